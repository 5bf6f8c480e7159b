// Authenticator: turns credentials into a Principal.
//
//  * login(email, password) -> a new session token (shown once, stored hashed,
//    expiring after `session_ttl`);
//  * authenticate("Bearer <token>") -> the Principal, for sessions and personal
//    API tokens alike.
//
// Resolved tokens are cached for `cache_ttl` (default 2 s) so that a busy API
// does not hit the database on every request; a revoked token or a role change
// therefore takes effect within that time. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/role.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/user_store.h"

namespace opz::auth {

struct Principal {
  std::string user_id;
  std::string email;
  std::string full_name;
  Role role = Role::kViewer;
  std::string via;       // "session" | "api_token"
  std::string token_id;  // row id of the session or API token
};

struct LoginResult {
  std::string token;
  std::string expires_at;
  Principal principal;
};

class Authenticator {
 public:
  Authenticator(store::UserStore& users, const Clock& clock,
                std::chrono::seconds session_ttl = std::chrono::hours(24),
                std::chrono::milliseconds cache_ttl = std::chrono::seconds(2));

  // kUnauthenticated with one message for unknown email and wrong password alike.
  Result<LoginResult> login(std::string_view email, std::string_view password);
  Status logout(std::string_view bearer_header);
  // `authorization` is the raw Authorization header value.
  Result<Principal> authenticate(std::string_view authorization);
  // Drops cached entries (after a role change or revocation, for this process).
  void invalidate_cache();

 private:
  store::UserStore& users_;
  const Clock& clock_;
  std::chrono::seconds session_ttl_;
  std::chrono::milliseconds cache_ttl_;

  struct CacheEntry {
    Principal principal;
    TimePoint expires;
  };
  std::mutex mu_;
  std::unordered_map<std::string, CacheEntry> cache_;  // token hash -> principal
};

// "Bearer abc" -> "abc"; empty when the header is not a bearer credential.
std::string_view bearer_token(std::string_view authorization);

}  // namespace opz::auth
