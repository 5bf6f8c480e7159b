#include "secrets/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace opz::secrets {

namespace {

constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;

Status ensure_sodium() {
  if (sodium_init() < 0) return Error::internal("libsodium could not be initialized");
  return {};
}

std::string to_base64(const unsigned char* data, size_t size) {
  std::string out(sodium_base64_encoded_len(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::vector<unsigned char>> from_base64(std::string_view text, std::string_view what) {
  std::vector<unsigned char> out(text.size() / 4 * 3 + 3);
  size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), " \t\r\n", &len, nullptr,
                        kVariant) != 0) {
    return Error::malformed(std::string(what) + " is not valid base64");
  }
  out.resize(len);
  return out;
}

std::string errno_text(int err) { return std::strerror(err); }

Result<std::string> read_small_file(int fd, const std::string& path) {
  std::string text;
  char buf[256];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::internal("cannot read " + path + ": " + errno_text(errno));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > 4096) return Error::validation(path + " is too large to be a key file");
  }
  return text;
}

Status write_all(int fd, std::string_view text, const std::string& path) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::internal("cannot write " + path + ": " + errno_text(errno));
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

// Creates the key file exclusively. Answers false when it already exists.
Result<bool> create_key_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    return Error::internal("cannot create " + path + ": " + errno_text(errno));
  }
  std::array<unsigned char, kKeyBytes> key{};
  randombytes_buf(key.data(), key.size());
  std::string line = to_base64(key.data(), key.size()) + "\n";
  sodium_memzero(key.data(), key.size());
  Status written = write_all(fd, line, path);
  if (written.ok() && ::fsync(fd) != 0)
    written = Error::internal("cannot sync " + path + ": " + errno_text(errno));
  sodium_memzero(line.data(), line.size());
  ::close(fd);
  if (!written.ok()) {
    ::unlink(path.c_str());
    return written.error();
  }
  return true;
}

}  // namespace

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

Result<SecretBox> SecretBox::from_key(std::string_view key_bytes) {
  OPZ_TRY_STATUS(ensure_sodium());
  if (key_bytes.size() != kKeyBytes)
    return Error::validation("a secret key must be exactly 32 bytes, got " +
                             std::to_string(key_bytes.size()));
  SecretBox box;
  std::memcpy(box.key_.data(), key_bytes.data(), kKeyBytes);
  return box;
}

Result<SecretBox> SecretBox::open_or_create(const std::string& key_path) {
  OPZ_TRY_STATUS(ensure_sodium());
  OPZ_TRY(bool created, create_key_file(key_path));
  (void)created;
  int fd = ::open(key_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::internal("cannot open " + key_path + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Error::internal("cannot stat " + key_path + ": " + errno_text(err));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Error::forbidden(key_path + " may be read by group or others; run: chmod 600 " +
                            key_path);
  }
  auto text = read_small_file(fd, key_path);
  ::close(fd);
  if (!text) return text.error();
  auto key = from_base64(*text, key_path);
  sodium_memzero(text->data(), text->size());
  if (!key) return Error::validation(key_path + " does not hold a base64 key");
  if (key->size() != kKeyBytes) {
    return Error::validation(key_path + " holds " + std::to_string(key->size()) +
                             " bytes; a key is exactly 32");
  }
  SecretBox box;
  std::memcpy(box.key_.data(), key->data(), kKeyBytes);
  sodium_memzero(key->data(), key->size());
  return box;
}

Result<std::string> SecretBox::seal(std::string_view plaintext) const {
  std::vector<unsigned char> buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 plaintext.size());
  unsigned char* nonce = buf.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  if (crypto_secretbox_easy(buf.data() + crypto_secretbox_NONCEBYTES,
                            reinterpret_cast<const unsigned char*>(plaintext.data()),
                            plaintext.size(), nonce, key_.data()) != 0) {
    return Error::internal("encryption failed");
  }
  return std::string(kSealedPrefix) + to_base64(buf.data(), buf.size());
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  if (!sealed.starts_with(kSealedPrefix))
    return Error::malformed("not a sealed secret (expected the 'v1:' prefix)");
  OPZ_TRY(std::vector<unsigned char> raw,
          from_base64(sealed.substr(kSealedPrefix.size()), "sealed secret"));
  if (raw.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return Error::malformed("sealed secret is too short");
  const size_t cipher_len = raw.size() - crypto_secretbox_NONCEBYTES;
  std::string plain(cipher_len - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 raw.data() + crypto_secretbox_NONCEBYTES, cipher_len, raw.data(),
                                 key_.data()) != 0) {
    return Error::unauthenticated(
        "sealed secret does not open under this installation's key (altered, or sealed under "
        "another secret.key)");
  }
  return plain;
}

}  // namespace opz::secrets
