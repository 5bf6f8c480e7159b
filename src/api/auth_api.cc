// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me,
// and the caller's personal API tokens under /api/v1/tokens.
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/user_json.h"
#include "audit/audit_log.h"
#include "auth/token.h"
#include "core/quantity.h"
#include "core/time_format.h"

namespace opz::api {

namespace {

Json principal_json(const auth::Principal& p) {
  return Json{{"id", p.user_id},
              {"email", p.email},
              {"full_name", p.full_name},
              {"role", auth::to_string(p.role)},
              {"authenticated_via", p.via}};
}

// The browser's copy of the session (HttpOnly: scripts cannot read it;
// SameSite=Strict: never sent from another site). Only GET/HEAD accept it
// (auth::Credentials), which is what EventSource needs.
std::string session_cookie_header(std::string_view token, std::chrono::seconds max_age) {
  return std::string(auth::kSessionCookie) + "=" + std::string(token) +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
}

}  // namespace

Status register_auth_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_public(r, "POST", "/api/v1/auth/login", [&ctx](http::Request& req) -> Result<Reply> {
    OPZ_TRY(Json body, parse_json_body(req));
    FieldReader f(body);
    OPZ_TRY_STATUS(f.reject_unknown({"email", "password"}));
    OPZ_TRY(std::string email, f.required_string("email", 320));
    OPZ_TRY(std::string password, f.required_string("password", 1024));
    const std::string agent(req.header("User-Agent"));
    Result<auth::LoginResult> tried = ctx.authenticator.login(email, password);
    if (!tried) {
      // A refused login is audited with the email it tried, never the password.
      if (tried.error().code == ErrorCode::kUnauthenticated)
        (void)ctx.audit.record({"auth.login_failed", "profile", "", "", Json{{"email", email}},
                                req.remote_addr, agent});
      return tried.error();
    }
    auth::LoginResult login = std::move(*tried);
    (void)ctx.audit.record({"user.login", "profile", login.principal.user_id, login.principal.user_id,
                            Json::object(), req.remote_addr, agent});
    Reply reply{200, Json{{"token", login.token},
                          {"token_type", "Bearer"},
                          {"expires_at", login.expires_at},
                          {"user", principal_json(login.principal)}}};
    reply.headers.add("Set-Cookie", session_cookie_header(login.token, login.expires_in));
    return reply;
  }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/api/v1/auth/logout", "self.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY_STATUS(ctx.authenticator.logout(req.header("Authorization")));
                                Reply reply{204, {}};  // and the browser forgets its cookie
                                reply.headers.add("Set-Cookie",
                                                  session_cookie_header("", std::chrono::seconds(0)));
                                return reply;
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/auth/me", "self.read",
                              [](http::Request&, const auth::Principal& p) -> Result<Reply> {
                                return Reply{200, principal_json(p)};
                              }));

  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/tokens", "tokens.manage_own",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"name", "expires_in"}));
        OPZ_TRY(std::string name, f.required_string("name", 100));
        OPZ_TRY(std::optional<std::string> expires_in, f.optional_string("expires_in", 32));
        std::optional<TimePoint> expires;
        if (expires_in) {
          auto d = parse_duration(*expires_in);
          if (!d) return Error::validation(d.error().message, "expires_in");
          expires = ctx.clock.now() + *d;
        }
        const std::string token = auth::generate_token(auth::TokenKind::kApiToken);
        OPZ_TRY(store::ApiTokenRecord rec,
                ctx.users.create_api_token(p.user_id, name, auth::hash_token(token),
                                           auth::token_prefix(token), expires));
        (void)ctx.audit.record({"token.created", "api_token", rec.id, p.user_id,
                                Json{{"name", name}}, req.remote_addr});
        Json out = to_json(rec);
        out["token"] = token;  // shown once
        return Reply{201, out};
      }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/tokens", "tokens.manage_own",
                              [&ctx](http::Request&, const auth::Principal& p) -> Result<Reply> {
                                OPZ_TRY(auto tokens, ctx.users.list_api_tokens(p.user_id));
                                Json items = Json::array();
                                for (const auto& t : tokens) items.push_back(to_json(t));
                                return Reply{200, list_body(std::move(items), std::nullopt)};
                              }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/tokens/{id}", "tokens.manage_own",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "token"));
        OPZ_TRY_STATUS(ctx.users.revoke_api_token(p.user_id, req.param("id")));
        ctx.authenticator.invalidate_cache();
        (void)ctx.audit.record({"token.revoked", "api_token", req.param("id"), p.user_id,
                                Json::object(), req.remote_addr});
        return Reply{204, {}};
      }));
  return {};
}

}  // namespace opz::api
