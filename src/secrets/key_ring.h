// KeyRing: the master keys that encrypt stored secrets (secret_references).
//
// A ring holds one or more 32-byte keys, each with an id; the NEWEST key (the
// last one) encrypts, every key decrypts. `opzenix secrets rotate-key` adds a
// key and re-encrypts every secret under it; older keys stay in the ring so
// that a rotation stopped half-way loses nothing (rows not yet re-encrypted
// still name an older key id).
//
// Text format (the key ring file, and OPZENIX_MASTER_KEY), one key per line,
// oldest first:
//     opzenix-key <id> <base64 of 32 bytes>
// Blank lines and lines starting with '#' are ignored. Ids are 1..32 chars of
// [a-z0-9-], unique in the ring. A ring is never empty. parse() answers
// kValidation naming the line for anything else; errors never quote a key.
//
// Plain value type; copies are independent; the destructor wipes the keys.
// Thread-safety: a const KeyRing may be shared between threads.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace opz::secrets {

inline constexpr size_t kMasterKeyBytes = 32;
inline constexpr size_t kMaxKeysInRing = 64;

struct MasterKey {
  std::string id;
  std::array<unsigned char, kMasterKeyBytes> bytes{};
};

class KeyRing {
 public:
  static Result<KeyRing> parse(std::string_view text);
  // A ring with one fresh random key with id "k1".
  static KeyRing generate();

  // The file text (see the format above), with a header comment.
  std::string serialize() const;

  // Appends a fresh random key (the next "k<n>"), which becomes the newest;
  // answers its id. kConflict when the ring already holds kMaxKeysInRing.
  Result<std::string> add_key();

  const MasterKey& newest() const { return keys_.back(); }
  // nullptr for an id the ring does not hold.
  const MasterKey* find(std::string_view id) const;
  const std::vector<MasterKey>& keys() const { return keys_; }

  KeyRing(const KeyRing&) = default;
  KeyRing& operator=(const KeyRing&) = default;
  KeyRing(KeyRing&&) = default;
  KeyRing& operator=(KeyRing&&) = default;
  ~KeyRing();

 private:
  KeyRing() = default;
  std::vector<MasterKey> keys_;
};

// True for a valid key id (1..32 of [a-z0-9-]).
bool is_valid_key_id(std::string_view id);

}  // namespace opz::secrets
