// Authenticator: turns credentials into a Principal.
//
//  * login(email, password) -> a new session token (shown once, stored hashed,
//    expiring after `session_ttl`);
//  * authenticate("Bearer <token>") -> the Principal, for sessions and personal
//    API tokens alike;
//  * authenticate(Credentials) -> the same for what a request presents, where
//    browsers may use the session cookie or an access_token query parameter
//    on safe requests (see Credentials).
//
// Resolved tokens are cached for `cache_ttl` (default 2 s) so that a busy API
// does not hit the database on every request; a revoked token or a role change
// therefore takes effect within that time. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
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
  std::chrono::seconds expires_in{0};  // the session's lifetime from now (cookie Max-Age)
};

// The session cookie's name (Set-Cookie on login; read by authenticate).
inline constexpr std::string_view kSessionCookie = "opzenix_session";

// What a request presents. A browser's EventSource cannot set headers, so a
// safe request (GET/HEAD: it changes nothing) may instead carry the session
// cookie or an `access_token` query parameter. The Authorization header comes
// first; then, for safe requests only, the cookie, then the parameter. A
// state-changing request is judged on the header alone: the browser attaches
// cookies to cross-site requests too (CSRF), and a token in a URL must never
// authorize a change. Error messages never contain a presented token.
struct Credentials {
  std::string_view authorization;               // the raw Authorization header
  std::string_view cookie_header;               // the raw Cookie header
  std::optional<std::string_view> access_token;  // the query parameter, when given
  bool safe_method = false;                     // GET or HEAD
  // The `apikey` header (Supabase clients and the seeds' curl examples send the
  // token there). A custom header cannot be sent cross-site without a CORS
  // preflight, so unlike the cookie it is accepted on every method; the
  // Authorization header wins when both are present.
  std::string_view apikey;
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
  Result<Principal> authenticate(const Credentials& presented);
  // Drops cached entries (after a role change or revocation, for this process).
  void invalidate_cache();

 private:
  Result<Principal> authenticate_token(std::string_view token);

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
// The value of the opzenix_session cookie in a Cookie header ("a=1;
// opzenix_session=tok"); empty when absent.
std::string_view session_cookie(std::string_view cookie_header);

}  // namespace opz::auth
