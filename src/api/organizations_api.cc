// Organizations and their members: /api/v1/organizations.
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/user_json.h"
#include "audit/audit_log.h"

namespace opz::api {

Status register_organization_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/organizations", "organizations.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"name", "slug"}));
        OPZ_TRY(std::string name, f.required_string("name", 200));
        OPZ_TRY(std::optional<std::string> slug, f.optional_string("slug", 64));
        const std::string s = slug ? *slug : store::slugify(name);
        if (s.empty() || store::slugify(s) != s)
          return Error::validation("'slug' must be lower-case letters, digits and dashes", "slug");
        OPZ_TRY(auto o, ctx.projects.create_organization(name, s, p.user_id));
        (void)ctx.audit.record({"organization.created", "organization", o.id, p.user_id,
                                Json{{"slug", s}}, req.remote_addr});
        return Reply{201, to_json(o)};
      }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/organizations", "organizations.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY(auto page, store::parse_page_request(req.query_or("cursor"),
                                                                             req.query_or("limit")));
                                OPZ_TRY(auto orgs, ctx.projects.list_organizations(page));
                                Json items = Json::array();
                                for (const auto& o : orgs.items) items.push_back(to_json(o));
                                return Reply{200, list_body(std::move(items), orgs.next_cursor)};
                              },
      kCachedAnswer));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/organizations/{id}", "organizations.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY(auto o, ctx.projects.find_organization(req.param("id")));
                                return Reply{200, to_json(o)};
                              },
      kCachedAnswer));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PATCH", "/api/v1/organizations/{id}", "organizations.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"name"}));
        OPZ_TRY(std::optional<std::string> name, f.optional_string("name", 200));
        if (name && name->empty()) return Error::validation("'name' must not be empty", "name");
        OPZ_TRY(auto o, ctx.projects.update_organization(req.param("id"), name));
        (void)ctx.audit.record({"organization.updated", "organization", o.id, p.user_id, body,
                                req.remote_addr});
        return Reply{200, to_json(o)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/organizations/{id}", "organizations.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(auto o, ctx.projects.find_organization(req.param("id")));
        OPZ_TRY_STATUS(ctx.projects.delete_organization(o.id));
        (void)ctx.audit.record({"organization.deleted", "organization", o.id, p.user_id,
                                Json{{"slug", o.slug}}, req.remote_addr});
        return Reply{204, {}};
      }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/organizations/{id}/members",
                              "organizations.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY(auto members, ctx.projects.list_members(req.param("id")));
                                Json items = Json::array();
                                for (const auto& m : members) items.push_back(to_json(m));
                                return Reply{200, list_body(std::move(items), std::nullopt)};
                              }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/organizations/{id}/members", "organizations.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"user_id", "role"}));
        OPZ_TRY(std::string user_id, f.required_string("user_id", 64));
        OPZ_TRY(std::optional<std::string> role, f.optional_string("role", 16));
        const std::string rl = role.value_or("member");
        OPZ_TRY_STATUS(check_one_of("role", rl, {"admin", "member"}));
        OPZ_TRY(auto m, ctx.projects.add_member(req.param("id"), user_id, rl));
        (void)ctx.audit.record({"organization.member_added", "organization", m.organization_id,
                                p.user_id, Json{{"user_id", user_id}, {"role", rl}},
                                req.remote_addr});
        return Reply{201, to_json(m)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/organizations/{id}/members/{user_id}", "organizations.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(ctx.projects.remove_member(req.param("id"), req.param("user_id")));
        (void)ctx.audit.record({"organization.member_removed", "organization", req.param("id"),
                                p.user_id, Json{{"user_id", req.param("user_id")}},
                                req.remote_addr});
        return Reply{204, {}};
      }));
  return {};
}

}  // namespace opz::api
