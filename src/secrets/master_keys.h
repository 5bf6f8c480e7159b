// MasterKeys: where the server and the CLI find the key ring.
//
// Source, first that applies: the key ring text in OPZENIX_MASTER_KEY (the
// environment variable's value IS the ring, see key_ring.h), else the key
// ring file (`master-key-file`, default <data_dir>/master.key). The file is
// created by `opzenix secrets init` only, never implicitly: without it,
// ring() answers kUnavailable saying how to create one, and no secret can be
// stored.
//
// ring() re-reads the file whenever its identity or modification time
// changed, so a server picks up `secrets init` and `secrets rotate-key` run
// beside it without a restart (rows re-encrypted under a new key open as
// soon as they are read). A file others may read is refused (kForbidden).
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/result.h"
#include "secrets/key_ring.h"

namespace opz::secrets {

inline constexpr std::string_view kMasterKeyFileName = "master.key";
inline constexpr std::string_view kMasterKeyEnv = "OPZENIX_MASTER_KEY";

struct MasterKeySource {
  std::string file;                      // the key ring file's path
  std::optional<std::string> env_text;   // OPZENIX_MASTER_KEY, when set
  // What the file-less error message tells people to run.
  std::string init_hint = "opzenix secrets init";
};

class MasterKeys {
 public:
  explicit MasterKeys(MasterKeySource source) : source_(std::move(source)) {}

  Result<std::shared_ptr<const KeyRing>> ring();
  const MasterKeySource& source() const { return source_; }

 private:
  struct FileStamp {
    unsigned long long dev = 0, ino = 0;
    long long mtime_ns = 0, size = 0;
    bool operator==(const FileStamp&) const = default;
  };

  MasterKeySource source_;
  std::mutex mu_;
  std::shared_ptr<const KeyRing> cached_;
  FileStamp stamp_;
};

// `opzenix secrets init`: writes a new ring with one key to `file` (0600,
// exclusive). kConflict when the file exists (its keys are kept).
Status init_key_ring_file(const std::string& file);
// Reads the ring file (kNotFound when missing, kForbidden when others may read it).
Result<KeyRing> read_key_ring_file(const std::string& file);
// Replaces the ring file atomically (key_file.h).
Status write_key_ring_file(const std::string& file, const KeyRing& ring);

}  // namespace opz::secrets
