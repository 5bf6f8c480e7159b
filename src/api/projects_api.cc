// Projects: /api/v1/projects.
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/outbound_check.h"
#include "api/routes.h"
#include "api/user_json.h"
#include "audit/audit_log.h"

namespace opz::api {

namespace {

Status check_url(const std::optional<std::string>& url, std::string_view field) {
  if (!url || url->empty()) return {};
  const std::string& u = *url;
  const bool ok = u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0 ||
                  u.rfind("ssh://", 0) == 0 || u.rfind("git@", 0) == 0 ||
                  u.rfind("file://", 0) == 0 || u.front() == '/';
  if (!ok)
    return Error::validation("'" + std::string(field) +
                                 "' must be an http(s)://, ssh://, git@, file:// URL or an "
                                 "absolute path",
                             std::string(field));
  return {};
}

Result<store::ProjectFields> read_project_fields(const ApiContext& ctx, const Json& body,
                                                 bool create) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.reject_unknown({"name", "slug", "description", "organization_id",
                                   "github_repo_url", "git_url", "poll_interval_seconds",
                                   "default_branch", "runtime_version"}));
  store::ProjectFields out;
  if (create) {
    OPZ_TRY(std::string name, f.required_string("name", 200));
    out.name = name;
  } else {
    OPZ_TRY(auto name, f.optional_string("name", 200));
    if (name && name->empty()) return Error::validation("'name' must not be empty", "name");
    out.name = name;
  }
  OPZ_TRY(out.slug, f.optional_string("slug", 64));
  if (out.slug && (out.slug->empty() || store::slugify(*out.slug) != *out.slug))
    return Error::validation("'slug' must be lower-case letters, digits and dashes", "slug");
  OPZ_TRY(out.description, f.optional_string("description", 4000));
  OPZ_TRY(out.organization_id, f.optional_string("organization_id", 64));
  if (!create && out.organization_id)
    return Error::validation("a project cannot move to another organization", "organization_id");
  OPZ_TRY(out.github_repo_url, f.optional_string("github_repo_url", 2048));
  OPZ_TRY_STATUS(check_url(out.github_repo_url, "github_repo_url"));
  OPZ_TRY(out.git_url, f.optional_string("git_url", 2048));
  OPZ_TRY_STATUS(check_url(out.git_url, "git_url"));
  // Both are fetched by the server (polling, mirrors): the outbound guard decides.
  if (out.github_repo_url)
    OPZ_TRY_STATUS(check_outbound_url(ctx, *out.github_repo_url, "github_repo_url", net::UrlKind::kGit));
  if (out.git_url)
    OPZ_TRY_STATUS(check_outbound_url(ctx, *out.git_url, "git_url", net::UrlKind::kGit));
  OPZ_TRY(out.poll_interval_seconds, f.optional_int("poll_interval_seconds", 0, 86400));
  if (out.poll_interval_seconds && *out.poll_interval_seconds > 0 && *out.poll_interval_seconds < 5)
    return Error::validation("'poll_interval_seconds' must be 0 (off) or at least 5",
                             "poll_interval_seconds");
  OPZ_TRY(out.default_branch, f.optional_string("default_branch", 255));
  // Seed 003's ops.projects.runtime_version ("19.0"): free text; "" clears it.
  OPZ_TRY(out.runtime_version, f.optional_string("runtime_version", 64));
  if (out.runtime_version) OPZ_TRY_STATUS(check_printable(*out.runtime_version, "runtime_version"));
  return out;
}

}  // namespace

Status register_project_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/projects", "projects.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(store::ProjectFields fields, read_project_fields(ctx, body, true));
        OPZ_TRY(auto project, ctx.projects.create_project(fields, p.user_id));
        (void)ctx.audit.record({"project.created", "project", project.id, p.user_id,
                                Json{{"name", project.name}, {"slug", project.slug}},
                                req.remote_addr});
        return Reply{201, to_json(project)};
      }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/projects", "projects.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY(auto page, store::parse_page_request(req.query_or("cursor"),
                                                                             req.query_or("limit")));
                                store::ProjectFilter filter;
                                filter.organization_id = req.query_or("organization_id");
                                filter.search = req.query_or("q");
                                if (filter.search.size() > 200)
                                  return Error::validation("'q' is longer than 200 characters", "q");
                                OPZ_TRY(auto projects, ctx.projects.list_projects(filter, page));
                                Json items = Json::array();
                                for (const auto& pr : projects.items) items.push_back(to_json(pr));
                                return Reply{200, list_body(std::move(items), projects.next_cursor)};
                              },
      kCachedAnswer));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/projects/{id}", "projects.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY_STATUS(check_id(req.param("id"), "project"));
                                OPZ_TRY(auto pr, ctx.projects.find_project(req.param("id")));
                                return Reply{200, to_json(pr)};
                              },
      kCachedAnswer));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PATCH", "/api/v1/projects/{id}", "projects.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "project"));
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(store::ProjectFields fields, read_project_fields(ctx, body, false));
        OPZ_TRY(auto pr, ctx.projects.update_project(req.param("id"), fields));
        (void)ctx.audit.record({"project.updated", "project", pr.id, p.user_id, body,
                                req.remote_addr});
        return Reply{200, to_json(pr)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/projects/{id}", "projects.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "project"));
        OPZ_TRY_STATUS(ctx.projects.delete_project(req.param("id")));
        (void)ctx.audit.record({"project.deleted", "project", req.param("id"), p.user_id,
                                Json::object(), req.remote_addr});
        return Reply{204, {}};
      }));
  return {};
}

}  // namespace opz::api
