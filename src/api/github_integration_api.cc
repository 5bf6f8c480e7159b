// A project's GitHub integration (docs/webhooks.md "Setting up GitHub"):
//   PUT    /api/v1/projects/{id}/github   integrations.manage
//          {"repository_owner", "repository_name", "webhook_secret",
//           "token"?, "api_base_url"?, "workflow_file"?, "repository_id"?,
//           "path_filters"?: ["services/api/**", "!**.md"]}
//   GET    /api/v1/projects/{id}/github   projects.read
//   DELETE /api/v1/projects/{id}/github   integrations.manage
// The webhook secret is sealed with the installation's SecretBox, the token
// with the master key ring into github_tokens (trigger/github_token.h; the
// SecretBox when the server has no ring yet); neither is ever returned:
// answers carry "has_webhook_secret" / "has_token" / "token_last4" and the
// URLs to give GitHub.
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/outbound_check.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "github/repository_locator.h"
#include "github/path_filter.h"
#include "trigger/trigger_service.h"

namespace opz::api {

namespace {

constexpr size_t kMaxSecretLength = 1024;

std::string trim_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

Json integration_json(const store::GithubIntegrationRecord& g, const std::string& public_url) {
  const std::string base = trim_slashes(public_url);
  const std::string preferred = base + "/api/v1/webhooks/github/" + g.project_id;
  return Json{
      {"id", g.id},
      {"project_id", g.project_id},
      {"repository_owner", g.repository_owner},
      {"repository_name", g.repository_name},
      {"full_name", g.full_name()},
      {"api_base_url", g.api_base_url},
      {"repository_id", g.repository_id.empty() ? Json(nullptr) : Json(g.repository_id)},
      {"workflow_file", g.workflow_file.empty() ? Json(nullptr) : Json(g.workflow_file)},
      {"path_filters", g.path_filters},
      {"has_webhook_secret", !g.webhook_secret_sealed.empty()},
      {"has_token", !g.token_sealed.empty()},
      {"token_last4", trigger::GithubTokens::last4(g.token_sealed).empty()
                          ? Json(nullptr)
                          : Json(trigger::GithubTokens::last4(g.token_sealed))},
      {"webhook_url", preferred},
      {"webhook_urls",
       {{"preferred", preferred},
        {"by_repository", base + "/api/v1/webhooks/github"},
        {"seed_alias", base + "/functions/v1/github-webhook"}}},
      {"content_type", "application/json"},
      {"events", Json::array({"push", "pull_request", "create", "release", "workflow_run"})},
      {"created_by", g.created_by.empty() ? Json(nullptr) : Json(g.created_by)},
      {"created_at", g.created_at},
      {"updated_at", g.updated_at}};
}

Status check_api_base(const std::string& url) {
  if (!(url.starts_with("https://") || url.starts_with("http://")) || url.size() > 2048 ||
      url.find_first_of(" \t\r\n?#") != std::string::npos)
    return Error::validation(
        "'api_base_url' must be an http(s):// URL without query or fragment "
        "(GitHub Enterprise: https://<host>/api/v3)",
        "api_base_url");
  return {};
}

Status check_workflow_file(const std::string& file) {
  if (file.empty() || file.size() > 255) return {};
  for (char c : file) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok)
      return Error::validation(
          "'workflow_file' is a file name in .github/workflows (e.g. "
          "deploy.yml) or a workflow id",
          "workflow_file");
  }
  return {};
}

// GitHub's repository id (64-bit): a JSON integer, or its decimal text; null
// or "" clears it. Deliveries must then carry this repository.id.
Result<std::string> read_repository_id(const Json& body) {
  auto it = body.find("repository_id");
  if (it == body.end() || it->is_null()) return std::string();
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  if (it->is_number_integer() && it->get<int64_t>() > 0) return std::to_string(it->get<int64_t>());
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    bool digits = text.size() <= 20;
    for (char c : text) digits = digits && c >= '0' && c <= '9';
    if (digits) return text;
  }
  return Error::validation("'repository_id' must be GitHub's numeric repository id", "repository_id");
}

// The monorepo path filters (github/path_filter.h): absent keeps the stored
// ones, null or [] removes them; each glob is checked (422 naming
// "path_filters[i]").
Result<std::optional<std::vector<std::string>>> read_path_filters(const Json& body) {
  using Filters = std::optional<std::vector<std::string>>;
  auto it = body.find("path_filters");
  if (it == body.end()) return Filters();
  if (it->is_null()) return Filters(std::vector<std::string>{});
  if (!it->is_array())
    return Error::validation("'path_filters' must be an array of globs", "path_filters");
  std::vector<std::string> patterns;
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& item = (*it)[i];
    if (!item.is_string())
      return Error::validation("a path filter must be a string",
                               "path_filters[" + std::to_string(i) + "]");
    patterns.push_back(item.get<std::string>());
  }
  OPZ_TRY_STATUS(github::PathFilter::compile(patterns));
  return Filters(std::move(patterns));
}

Result<Reply> put_integration(ApiContext& ctx, http::Request& req, const auth::Principal& p) {
  const std::string project_id = req.param("id");
  OPZ_TRY_STATUS(check_id(project_id, "project"));
  OPZ_TRY(Json body, parse_json_body(req));
  FieldReader f(body);
  OPZ_TRY_STATUS(f.reject_unknown({"repository_owner", "repository_name", "webhook_secret", "token",
                                   "api_base_url", "workflow_file", "repository_id",
                                   "path_filters"}));
  OPZ_TRY(std::string owner, f.required_string("repository_owner", 100));
  OPZ_TRY(std::string name, f.required_string("repository_name", 100));
  if (auto st = github::check_full_name(owner + "/" + name); !st.ok())
    return Error::validation(st.error().message, "repository_name");
  OPZ_TRY(auto secret, f.optional_string("webhook_secret", kMaxSecretLength));
  OPZ_TRY(auto token, f.optional_string("token", kMaxSecretLength));
  OPZ_TRY(auto api_base, f.optional_string("api_base_url", 2048));
  OPZ_TRY(auto workflow, f.optional_string("workflow_file", 255));
  OPZ_TRY(std::string repository_id, read_repository_id(body));
  OPZ_TRY(auto path_filters, read_path_filters(body));
  OPZ_TRY(store::ProjectRecord project, ctx.projects.find_project(project_id));

  auto existing = ctx.triggers->github().find_by_project(project_id);
  if (!existing && !existing.error().is_not_found()) return existing.error();
  store::GithubIntegrationFields fields;
  fields.repository_owner = owner;
  fields.repository_name = name;
  if (secret) {
    if (secret->empty())
      return Error::validation("'webhook_secret' must not be empty", "webhook_secret");
    OPZ_TRY(fields.webhook_secret_sealed, ctx.triggers->secret_box().seal(*secret));
  } else if (existing) {
    fields.webhook_secret_sealed = existing->webhook_secret_sealed;
  } else {
    return Error::validation(
        "'webhook_secret' is required (the secret configured on GitHub's "
        "webhook)",
        "webhook_secret");
  }
  if (token) {
    if (token->empty()) {
      fields.token_sealed = std::string();  // removes the token
    } else {
      OPZ_TRY(std::string sealed, ctx.triggers->github_tokens().seal(project_id, *token));
      fields.token_sealed = std::move(sealed);
    }
  }
  fields.api_base_url = trim_slashes(api_base && !api_base->empty() ? *api_base
                                     : existing                     ? existing->api_base_url
                                                : std::string(github::kDefaultApiBase));
  OPZ_TRY_STATUS(check_api_base(fields.api_base_url));
  // The integration's token goes to this host: the outbound guard decides.
  OPZ_TRY_STATUS(check_outbound_url(ctx, fields.api_base_url, "api_base_url", net::UrlKind::kHttp));
  fields.workflow_file = workflow ? *workflow : existing ? existing->workflow_file : "";
  fields.repository_id = body.contains("repository_id") ? repository_id
                         : existing                     ? existing->repository_id
                                                        : "";
  OPZ_TRY_STATUS(check_workflow_file(fields.workflow_file));
  fields.path_filters = std::move(path_filters);

  OPZ_TRY(auto saved, ctx.triggers->github().put(project.id, fields, p.user_id));
  (void)ctx.audit.record({existing ? "github_integration.updated" : "github_integration.created",
                          "project", project.id, p.user_id,
                          Json{{"repository", saved.full_name()},
                               {"api_base_url", saved.api_base_url},
                               {"webhook_secret_changed", secret.has_value()},
                               {"token_changed", token.has_value()}},
                          req.remote_addr});
  return Reply{200, integration_json(saved, ctx.triggers->public_url())};
}

}  // namespace

Status register_github_integration_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(
      add_endpoint(r, ctx, "PUT", "/api/v1/projects/{id}/github", "integrations.manage",
                   [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
                     if (!ctx.triggers)
                       return Error::unavailable("GitHub integrations are not available");
                     return put_integration(ctx, req, p);
                   }));
  OPZ_TRY_STATUS(
      add_endpoint(r, ctx, "GET", "/api/v1/projects/{id}/github", "projects.read",
                   [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                     if (!ctx.triggers)
                       return Error::unavailable("GitHub integrations are not available");
                     OPZ_TRY_STATUS(check_id(req.param("id"), "project"));
                     OPZ_TRY(auto g, ctx.triggers->github().find_by_project(req.param("id")));
                     return Reply{200, integration_json(g, ctx.triggers->public_url())};
                   }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/projects/{id}/github", "integrations.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        if (!ctx.triggers) return Error::unavailable("GitHub integrations are not available");
        OPZ_TRY_STATUS(check_id(req.param("id"), "project"));
        OPZ_TRY_STATUS(ctx.triggers->github().remove(req.param("id")));
        (void)ctx.audit.record({"github_integration.deleted", "project", req.param("id"), p.user_id,
                                Json::object(), req.remote_addr});
        return Reply{204, {}};
      }));
  return {};
}

}  // namespace opz::api
