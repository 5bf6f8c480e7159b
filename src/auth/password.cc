#include "auth/password.h"

#include <sodium.h>

namespace opz::auth {

Status check_password_policy(std::string_view password) {
  if (password.size() < 8)
    return Error::validation("password must be at least 8 characters", "password");
  if (password.size() > 1024)
    return Error::validation("password must be at most 1024 bytes", "password");
  return {};
}

Result<std::string> hash_password(std::string_view password) {
  OPZ_TRY_STATUS(check_password_policy(password));
  if (sodium_init() < 0) return Error::internal("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Error::internal("password hashing ran out of memory");
  return std::string(out);
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(stored_hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

}  // namespace opz::auth
