#include "auth/authenticator.h"

#include <strings.h>

#include "auth/password.h"
#include "auth/token.h"
#include "core/time_format.h"

namespace opz::auth {

namespace {
// Verifying against a fixed hash when the user does not exist keeps the
// response time of "unknown email" equal to "wrong password".
const std::string& decoy_hash() {
  static const std::string kHash = hash_password("decoy-password-never-matches").value_or("");
  return kHash;
}

Principal principal_from(const store::TokenOwner& owner) {
  return Principal{owner.user.id, owner.user.email, owner.user.full_name,
                   parse_role(owner.user.role).value_or(Role::kViewer), owner.kind,
                   owner.token_id};
}
}  // namespace

std::string_view bearer_token(std::string_view h) {
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  if (h.size() < 7 || strncasecmp(h.data(), "bearer ", 7) != 0) return {};
  h.remove_prefix(7);
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
  return h;
}

namespace {
std::string_view trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}
}  // namespace

std::string_view session_cookie(std::string_view header) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    const std::string_view pair = trimmed(header.substr(0, semi));
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && trimmed(pair.substr(0, eq)) == kSessionCookie) {
      std::string_view value = trimmed(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return value;
    }
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

Authenticator::Authenticator(store::UserStore& users, const Clock& clock,
                             std::chrono::seconds session_ttl, std::chrono::milliseconds cache_ttl)
    : users_(users), clock_(clock), session_ttl_(session_ttl), cache_ttl_(cache_ttl) {}

Result<LoginResult> Authenticator::login(std::string_view email, std::string_view password) {
  const Error denied = Error::unauthenticated("invalid email or password");
  auto user = users_.find_by_email(std::string(email));
  if (!user) {
    if (!user.error().is_not_found()) return user.error();
    verify_password(decoy_hash(), password);
    return denied;
  }
  if (!verify_password(user->password_hash, password)) return denied;
  const std::string token = generate_token(TokenKind::kSession);
  const TimePoint expires = clock_.now() + session_ttl_;
  OPZ_TRY_STATUS(users_.create_session(user->id, hash_token(token), expires));
  Principal p{user->id, user->email, user->full_name,
              parse_role(user->role).value_or(Role::kViewer), "session", ""};
  return LoginResult{token, format_time(expires), p, session_ttl_};
}

Status Authenticator::logout(std::string_view authorization) {
  std::string_view token = bearer_token(authorization);
  if (token.empty()) return Error::unauthenticated("missing bearer token");
  const std::string h = hash_token(token);
  {
    std::lock_guard lock(mu_);
    cache_.erase(h);
  }
  return users_.delete_session(h);
}

Result<Principal> Authenticator::authenticate(std::string_view authorization) {
  if (authorization.empty())
    return Error::unauthenticated("missing Authorization header: send 'Authorization: Bearer <token>'");
  std::string_view token = bearer_token(authorization);
  if (token.empty() || token.size() > 256)
    return Error::unauthenticated("malformed Authorization header: expected 'Bearer <token>'");
  return authenticate_token(token);
}

Result<Principal> Authenticator::authenticate(const Credentials& presented) {
  if (presented.authorization.empty() && !presented.apikey.empty()) {
    if (presented.apikey.size() > 256) return Error::unauthenticated("malformed apikey header");
    return authenticate_token(presented.apikey);
  }
  if (!presented.authorization.empty() || !presented.safe_method)
    return authenticate(presented.authorization);
  std::string_view token = session_cookie(presented.cookie_header);
  if (token.empty() && presented.access_token) token = *presented.access_token;
  if (token.empty()) return authenticate(presented.authorization);  // "missing ..."
  if (token.size() > 256) return Error::unauthenticated("malformed token");
  return authenticate_token(token);
}

Result<Principal> Authenticator::authenticate_token(std::string_view token) {
  const std::string h = hash_token(token);
  const TimePoint now = clock_.now();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(h);
    if (it != cache_.end()) {
      if (it->second.expires > now) return it->second.principal;
      cache_.erase(it);
    }
  }
  OPZ_TRY(store::TokenOwner owner, users_.find_token_owner(h));
  Principal p = principal_from(owner);
  std::lock_guard lock(mu_);
  if (cache_.size() > 10000) cache_.clear();  // bounded: a flood of tokens cannot grow it
  cache_[h] = CacheEntry{p, now + cache_ttl_};
  return p;
}

void Authenticator::invalidate_cache() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

}  // namespace opz::auth
