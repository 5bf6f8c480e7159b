// Registry push notifications (issue 12; docs/artifacts.md):
//   POST /functions/v1/artifact-webhook
//     - Docker Registry v2 notifications (no X-GitHub-Event header):
//       ?connection_id=<a registry connection>; the registry's endpoint
//       config sends `Authorization: Bearer <that connection's secret>`
//       (compared in constant time, api/function_token.h); the project is the connection's
//       config.project_id.
//     - GHCR `package` events (X-GitHub-Event: package): X-Hub-Signature-256
//       over the raw body under the webhook secret of the project whose
//       GitHub integration is repository.full_name.
//     -> 200 {"registered": [artifact + "duplicate"], "ignored": [reasons]};
//        202 {"status": "ignored", "ignored": [...]} when nothing is a push;
//        401 unsigned / wrong token or signature (checked before anything is
//        stored or answered about the body's content); 400/422 naming the
//        field (`events[2].target.digest`). All pushes of one request are
//        stored in one transaction with their `artifact.registered` audit
//        rows, or none; a push already registered (same repository, digest,
//        tag) is answered with "duplicate": true and not stored again.
//   GET /api/v1/projects/{id}/artifacts?limit=  (projects.read) -> {"items": [...]}
#include "api/endpoint.h"
#include "api/function_token.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "github/registry_event.h"
#include "github/signature.h"
#include "store/artifact_store.h"
#include "store/connection_store.h"
#include "store/github_store.h"
#include "trigger/trigger_service.h"

namespace opz::api {

namespace {

constexpr uint64_t kMaxNotificationBytes = 4u << 20;

Json artifact_json(const store::ArtifactRecord& a) {
  auto text = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return Json{{"id", a.id},
              {"name", a.name},
              {"execution_id", text(a.execution_id)},
              {"node_id", text(a.node_id)},
              {"image_digest", text(a.image_digest)},
              {"image_tag", text(a.image_tag)},
              {"registry_url", text(a.registry_url)},
              {"type", a.type},
              {"size_bytes", a.size_bytes ? Json(*a.size_bytes) : Json(nullptr)},
              {"metadata", a.metadata},
              {"created_at", a.created_at}};
}

struct Sender {
  std::string project_id;
  std::string kind;  // "docker-registry" | "ghcr"
  std::string id;    // the connection or integration that authenticated it
};

const secrets::SecretBox* secret_box(ApiContext& ctx) {
  return ctx.triggers ? &ctx.triggers->secret_box() : nullptr;
}

// A Docker registry: the connection named by ?connection_id, its secret as
// the bearer token.
Result<Sender> authenticate_registry(ApiContext& ctx, const http::Request& req) {
  const std::string_view authorization = req.header("Authorization");
  if (authorization.empty())
    return Error::unauthenticated("missing Authorization header: configure the registry's "
                                  "notification endpoint to send Bearer <connection secret>");
  const std::string connection_id = req.query_or("connection_id");
  if (connection_id.empty())
    return Error::validation("the connection_id query parameter names the registry connection",
                             "connection_id");
  OPZ_TRY_STATUS(check_id(connection_id, "connection"));
  auto connection = store::ConnectionStore(ctx.db, ctx.clock).find(connection_id);
  // Unknown, not a registry or without a secret: the same 401 (nothing to learn).
  const secrets::SecretBox* box = secret_box(ctx);
  if (!box) return Error::unavailable("secrets cannot be opened: triggers are not running");
  std::string secret;
  if (connection && connection->type == "registry" && !connection->secret_sealed.empty()) {
    OPZ_TRY(secret, box->open(connection->secret_sealed));
  }
  if (secret.empty() || !same_secret(authorization, "Bearer " + secret))
    return Error::unauthenticated("invalid Authorization for registry connection " +
                                  connection_id);
  const std::string project_id = connection->config.value("project_id", std::string());
  if (project_id.empty())
    return Error::validation("registry connection " + connection_id +
                                 " names no project: set its config.project_id",
                             "config.project_id");
  OPZ_TRY_STATUS(ctx.projects.find_project(project_id));
  return Sender{project_id, "docker-registry", connection_id};
}

// GHCR: the signature under the webhook secret of the repository's project.
Result<Sender> authenticate_package_event(ApiContext& ctx, const http::Request& req,
                                          const std::string& full_name) {
  const size_t slash = full_name.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == full_name.size())
    return Error::validation("repository.full_name must be owner/name", "repository.full_name");
  auto integration = store::GithubStore(ctx.db, ctx.clock)
                         .find_by_repository(full_name.substr(0, slash), full_name.substr(slash + 1));
  if (!integration) return integration.error();
  const secrets::SecretBox* box = secret_box(ctx);
  if (!box) return Error::unavailable("secrets cannot be opened: triggers are not running");
  std::string secret;
  if (!integration->webhook_secret_sealed.empty()) {
    OPZ_TRY(secret, box->open(integration->webhook_secret_sealed));
  }
  OPZ_TRY_STATUS(github::verify_signature(secret, req.body, req.header(github::kSignatureHeader)));
  return Sender{integration->project_id, "ghcr", integration->id};
}

Result<Reply> register_pushes(ApiContext& ctx, const http::Request& req, const Sender& sender,
                              const github::RegistryNotification& n) {
  Json ignored = Json::array();
  for (const std::string& reason : n.ignored) ignored.push_back(reason);
  if (n.pushes.empty())
    return Reply{202, Json{{"status", "ignored"}, {"registered", Json::array()},
                           {"ignored", ignored}}};
  store::ArtifactStore artifacts(ctx.db, ctx.clock);
  OPZ_TRY(Json registered, ctx.db.write([&](store::SqlSession& tx) -> Result<Json> {
    Json out = Json::array();
    for (const github::RegistryPush& p : n.pushes) {
      store::ArtifactPush push{sender.project_id, p.repository,  p.digest,   p.tag,
                               p.registry_url,    p.size_bytes,  p.revision, p.metadata};
      OPZ_TRY(store::ArtifactRegistration r, artifacts.register_push(tx, push));
      if (!r.duplicate) {
        OPZ_TRY_STATUS(ctx.audit.record_in(
            tx, {"artifact.registered", "artifact", r.artifact.id, "",
                 Json{{"project_id", sender.project_id},
                      {"name", r.artifact.name},
                      {"image_digest", r.artifact.image_digest},
                      {"image_tag", r.artifact.image_tag},
                      {"execution_id", r.artifact.execution_id.empty()
                                           ? Json(nullptr)
                                           : Json(r.artifact.execution_id)},
                      {"sender", sender.kind},
                      {"sender_id", sender.id}},
                 req.remote_addr, std::string(req.header("User-Agent"))}));
      }
      Json item = artifact_json(r.artifact);
      item["duplicate"] = r.duplicate;
      out.push_back(std::move(item));
    }
    return out;
  }));
  return Reply{200, Json{{"registered", registered}, {"ignored", ignored}}};
}

Result<Reply> receive(ApiContext& ctx, http::Request& req) {
  const std::string_view github_event = req.header("X-GitHub-Event");
  if (!github_event.empty()) {
    if (req.header(github::kSignatureHeader).empty())
      return Error::unauthenticated("missing X-Hub-Signature-256 header");
    if (github_event != "package")
      return Reply{202, Json{{"status", "ignored"},
                             {"registered", Json::array()},
                             {"ignored", Json::array({"GitHub event '" + std::string(github_event) +
                                                      "' is not a package event"})}}};
    OPZ_TRY(github::PackageEvent event, github::parse_ghcr_package_event(req.body));
    OPZ_TRY(Sender sender, authenticate_package_event(ctx, req, event.repository_full_name));
    return register_pushes(ctx, req, sender, event.notification);
  }
  OPZ_TRY(Sender sender, authenticate_registry(ctx, req));
  OPZ_TRY(github::RegistryNotification n, github::parse_docker_notification(req.body));
  return register_pushes(ctx, req, sender, n);
}

}  // namespace

Status register_artifact_webhook_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_public(
      r, "POST", "/functions/v1/artifact-webhook",
      [&ctx](http::Request& req) { return receive(ctx, req); },
      EndpointOptions{kMaxNotificationBytes}));
  return add_endpoint(
      r, ctx, "GET", "/api/v1/projects/{id}/artifacts", "projects.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        const std::string project_id = req.param("id");
        OPZ_TRY_STATUS(check_id(project_id, "project"));
        OPZ_TRY_STATUS(ctx.projects.find_project(project_id));
        int limit = 100;
        const std::string text = req.query_or("limit");
        if (!text.empty()) {
          char* end = nullptr;
          const long v = std::strtol(text.c_str(), &end, 10);
          if (*end != '\0' || v < 1 || v > 500)
            return Error::validation("limit must be a number from 1 to 500", "limit");
          limit = static_cast<int>(v);
        }
        OPZ_TRY(auto found, store::ArtifactStore(ctx.db, ctx.clock).list_for_project(project_id, limit));
        Json items = Json::array();
        for (const auto& a : found) items.push_back(artifact_json(a));
        return Reply{200, list_body(std::move(items), std::nullopt)};
      });
}

}  // namespace opz::api
