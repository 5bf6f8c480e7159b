// SecretBox: symmetric encryption of secrets at rest (webhook secrets,
// notification webhook secrets, connection secrets; GitHub tokens only until
// the master key ring exists, see trigger/github_token.h) with libsodium's
// crypto_secretbox_easy (XSalsa20-Poly1305) under one 32-byte key per
// installation.
//
// The key lives in <data_dir>/secret.key: 32 random bytes, base64 text on one
// line, created with mode 0600 on first start (O_EXCL, so two processes
// starting together agree on one key). A key file that others may read (mode
// & 077) or that does not hold exactly 32 bytes is refused: the caller must
// fix it rather than run with a leaked or broken key. Losing the key makes the
// stored secrets unreadable (they must be entered again); it is never stored
// in the database.
//
// Sealed text format: "v1:" + base64(nonce || ciphertext-with-MAC), a fresh
// random 24-byte nonce per call, so sealing the same plaintext twice gives
// different texts. open() fails with kUnauthenticated for a text sealed under
// another key or altered in any byte, and kMalformed for text that is not a
// sealed secret at all. Neither the key nor plaintexts are ever logged or put
// in an error message.
//
// Thread-safety: an opened SecretBox is immutable; seal()/open() may be called
// from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace opz::secrets {

inline constexpr size_t kKeyBytes = 32;
inline constexpr std::string_view kKeyFileName = "secret.key";
inline constexpr std::string_view kSealedPrefix = "v1:";

class SecretBox {
 public:
  // Reads the key at `key_path`, creating it (mode 0600) when it does not
  // exist. kInternal for I/O failures, kValidation for a key file with the
  // wrong size, kForbidden for a key file readable by group or others.
  static Result<SecretBox> open_or_create(const std::string& key_path);
  // A box over raw key bytes (tests, tools). kValidation unless 32 bytes.
  static Result<SecretBox> from_key(std::string_view key_bytes);

  // Plaintext -> sealed text (see the format above).
  Result<std::string> seal(std::string_view plaintext) const;
  // Sealed text -> plaintext.
  Result<std::string> open(std::string_view sealed) const;

  SecretBox(const SecretBox&) = default;
  SecretBox& operator=(const SecretBox&) = default;
  ~SecretBox();

 private:
  SecretBox() = default;
  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace opz::secrets
