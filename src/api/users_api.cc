// Users and roles (admin only): /api/v1/users.
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/user_json.h"
#include "audit/audit_log.h"
#include "auth/password.h"

namespace opz::api {

Status register_user_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/users", "users.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"email", "password", "role", "full_name"}));
        OPZ_TRY(std::string email, f.required_string("email", 320));
        if (email.find('@') == std::string::npos || email.front() == '@' || email.back() == '@')
          return Error::validation("'email' must be an email address", "email");
        OPZ_TRY(std::string password, f.required_string("password", 1024));
        OPZ_TRY(std::optional<std::string> role, f.optional_string("role", 16));
        OPZ_TRY(std::optional<std::string> full_name, f.optional_string("full_name", 200));
        const std::string r = role.value_or("viewer");  // the seeds' handle_new_user default
        OPZ_TRY_STATUS(check_one_of("role", r, {"admin", "operator", "viewer"}));
        OPZ_TRY(std::string hash, auth::hash_password(password));
        OPZ_TRY(store::UserRecord u, ctx.users.create(email, full_name.value_or(""), hash, r));
        (void)ctx.audit.record({"user.created", "profile", u.id, p.user_id,
                                Json{{"email", email}, {"role", r}}, req.remote_addr});
        return Reply{201, to_json(u)};
      }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/users", "users.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY(auto page, store::parse_page_request(req.query_or("cursor"),
                                                                             req.query_or("limit")));
                                OPZ_TRY(auto users, ctx.users.list(page));
                                Json items = Json::array();
                                for (const auto& u : users.items) items.push_back(to_json(u));
                                return Reply{200, list_body(std::move(items), users.next_cursor)};
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/users/{id}", "users.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY_STATUS(check_id(req.param("id"), "user"));
                                OPZ_TRY(auto u, ctx.users.find(req.param("id")));
                                return Reply{200, to_json(u)};
                              }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PUT", "/api/v1/users/{id}/role", "users.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "user"));
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"role"}));
        OPZ_TRY(std::string role, f.required_string("role", 16));
        OPZ_TRY_STATUS(check_one_of("role", role, {"admin", "operator", "viewer"}));
        if (req.param("id") == p.user_id && role != "admin")
          return Error::conflict("an admin cannot demote themselves; ask another admin", "role");
        OPZ_TRY(store::UserRecord before, ctx.users.find(req.param("id")));
        OPZ_TRY_STATUS(ctx.users.set_role(req.param("id"), role));
        ctx.authenticator.invalidate_cache();
        (void)ctx.audit.record({"user.role_changed", "profile", before.id, p.user_id,
                                Json{{"from", before.role}, {"to", role}}, req.remote_addr});
        OPZ_TRY(auto u, ctx.users.find(req.param("id")));
        return Reply{200, to_json(u)};
      }));
  return {};
}

}  // namespace opz::api
