// Password hashing with argon2id (libsodium crypto_pwhash_str, "interactive"
// limits: ~64 MiB, a fraction of a second). The stored string carries its own
// salt and parameters, so limits can be raised later without a migration.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace opz::auth {

// Minimum 8, maximum 1024 bytes; answers kValidation otherwise.
Status check_password_policy(std::string_view password);
Result<std::string> hash_password(std::string_view password);
// Constant-time with respect to the password; false for a malformed hash.
bool verify_password(std::string_view stored_hash, std::string_view password);

}  // namespace opz::auth
