#include "secrets/master_keys.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "secrets/key_file.h"

namespace opz::secrets {

namespace {

Result<KeyRing> parse_wiping(std::string& text, const std::string& origin) {
  auto ring = KeyRing::parse(text);
  sodium_memzero(text.data(), text.size());
  if (!ring) return Error::validation(origin + ": " + ring.error().message);
  return ring;
}

}  // namespace

Result<std::shared_ptr<const KeyRing>> MasterKeys::ring() {
  std::lock_guard lock(mu_);
  if (source_.env_text) {
    if (!cached_) {
      std::string text = *source_.env_text;
      OPZ_TRY(KeyRing ring, parse_wiping(text, std::string(kMasterKeyEnv)));
      cached_ = std::make_shared<const KeyRing>(std::move(ring));
    }
    return cached_;
  }
  struct stat st {};
  if (::stat(source_.file.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      cached_.reset();
      return Error::unavailable("no master key: secrets cannot be stored or read until one is "
                                "created with `" + source_.init_hint + "` (it writes " +
                                source_.file + ")");
    }
    return Error::internal("cannot stat " + source_.file + ": " + std::strerror(errno));
  }
  FileStamp stamp{static_cast<unsigned long long>(st.st_dev),
                  static_cast<unsigned long long>(st.st_ino),
                  static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                  static_cast<long long>(st.st_size)};
  if (cached_ && stamp == stamp_) return cached_;
  OPZ_TRY(KeyRing ring, read_key_ring_file(source_.file));
  cached_ = std::make_shared<const KeyRing>(std::move(ring));
  stamp_ = stamp;
  return cached_;
}

Status init_key_ring_file(const std::string& file) {
  KeyRing ring = KeyRing::generate();
  std::string text = ring.serialize();
  Status created = create_private_file(file, text);
  sodium_memzero(text.data(), text.size());
  return created;
}

Result<KeyRing> read_key_ring_file(const std::string& file) {
  OPZ_TRY(std::string text, read_private_file(file));
  return parse_wiping(text, file);
}

Status write_key_ring_file(const std::string& file, const KeyRing& ring) {
  std::string text = ring.serialize();
  Status written = replace_private_file(file, text);
  sodium_memzero(text.data(), text.size());
  return written;
}

}  // namespace opz::secrets
