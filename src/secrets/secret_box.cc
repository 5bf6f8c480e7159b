#include "secrets/secret_box.h"

#include <sodium.h>

#include <cstring>
#include <string>
#include <vector>

#include "secrets/encoding.h"
#include "secrets/key_file.h"

namespace opz::secrets {

namespace {

Status ensure_sodium() {
  if (sodium_init() < 0) return Error::internal("libsodium could not be initialized");
  return {};
}

// Creates the key file exclusively; an existing file is kept (another
// process may have created it a moment ago).
Status create_key_file(const std::string& path) {
  std::array<unsigned char, kKeyBytes> key{};
  randombytes_buf(key.data(), key.size());
  std::string line =
      to_base64(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())) + "\n";
  sodium_memzero(key.data(), key.size());
  Status created = create_private_file(path, line);
  sodium_memzero(line.data(), line.size());
  if (!created.ok() && created.error().code == ErrorCode::kConflict) return {};
  return created;
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
  OPZ_TRY_STATUS(create_key_file(key_path));
  OPZ_TRY(std::string text, read_private_file(key_path));
  auto key = from_base64(text, key_path);
  sodium_memzero(text.data(), text.size());
  if (!key) return Error::validation(key_path + " does not hold a base64 key");
  if (key->size() != kKeyBytes) {
    sodium_memzero(key->data(), key->size());
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
  return std::string(kSealedPrefix) +
         to_base64(std::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  if (!sealed.starts_with(kSealedPrefix))
    return Error::malformed("not a sealed secret (expected the 'v1:' prefix)");
  OPZ_TRY(std::string raw_text, from_base64(sealed.substr(kSealedPrefix.size()), "sealed secret"));
  const auto* raw_bytes = reinterpret_cast<const unsigned char*>(raw_text.data());
  std::vector<unsigned char> raw(raw_bytes, raw_bytes + raw_text.size());
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
