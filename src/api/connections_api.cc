// Connections (issue 12): external services Opzenix checks.
//   POST   /api/v1/connections              {"type", "name", "config": {"url", ...}, "secret"?}
//   GET    /api/v1/connections              {"items": [...]}
//   GET    /api/v1/connections/{id}         the connection and its recent checks
//   DELETE /api/v1/connections/{id}
//   POST   /api/v1/connections/{id}/check   runs one check now, stores it
//   POST   /functions/v1/connection-health-check {"connection_id"}  (seed 000 §1.4: no
//          auth; answers the status only, never the message, config or secret)
//   POST   /functions/v1/github-validate-connection {"token", "api_base_url"?}
//   POST   /functions/v1/validate-registry          {"url", "username"?, "password"?}
//   POST   /functions/v1/validate-otel              {"url", "token"?}
//          the seeds' validations of a connection before it is saved: the same
//          check as a saved one (outbound guard included), nothing stored ->
//          {"valid", "status", "message", "response_time_ms"}
//   POST   /functions/v1/aks-validate, /functions/v1/azure-validate -> 501 naming
//          the generic http connection as the way to check such an endpoint
// The secret is sealed (secrets::SecretBox) and never answered; config.url is
// checked by the outbound guard when saved (422 "config.url") and at every
// check. Checks: api/connection_checks.h.
#include <spdlog/spdlog.h>

#include "api/connection_checks.h"
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/outbound_check.h"
#include "api/routes.h"
#include "api/scheduled_checks.h"
#include "audit/audit_log.h"
#include "store/connection_store.h"
#include "trigger/trigger_service.h"
#include "core/json_optional.h"

namespace opz::api {

namespace {

constexpr size_t kMaxSecret = 64 * 1024;
constexpr int kRecentChecks = 10;

Json connection_json(const store::ConnectionRecord& c) {
  return Json{{"id", c.id},
              {"type", c.type},
              {"name", c.name},
              {"status", c.status},
              {"config", c.config},
              {"validated", c.validated},
              {"last_validated_at", c.last_validated_at.empty() ? Json(nullptr)
                                                                : Json(c.last_validated_at)},
              {"has_secret", !c.secret_sealed.empty()},
              {"created_by", string_or_null(c.created_by)},
              {"created_at", c.created_at},
              {"updated_at", c.updated_at}};
}

Json check_json(const store::ConnectionHealthEvent& e) {
  return Json{{"connection_id", e.connection_id},
              {"status", e.status},
              {"response_time_ms", e.response_time_ms},
              {"message", e.message},
              {"checked_at", e.created_at}};
}

// config: an object of strings, numbers and booleans; credentials belong in
// "secret" (config is answered by the API).
Result<Json> read_config(ApiContext& ctx, const Json& body, const std::string& type) {
  const auto it = body.find("config");
  if (it == body.end() || it->is_null()) {
    if (type != "github") return Error::validation("'config' with a 'url' is required", "config.url");
    return Json::object();
  }
  if (!it->is_object()) return Error::validation("'config' must be an object", "config");
  for (const auto& [key, value] : it->items()) {
    const std::string field = "config." + key;
    if (key == "token" || key == "password" || key == "secret" || key == "api_key")
      return Error::validation("'" + field + "' looks like a credential: send it as 'secret'", field);
    if (value.is_object() || value.is_array())
      return Error::validation("'" + field + "' must be a string, number or boolean", field);
  }
  const auto url = it->find("url");
  if (url == it->end() || !url->is_string() || url->get<std::string>().empty()) {
    if (type != "github") return Error::validation("'config.url' is required", "config.url");
    return *it;
  }
  const std::string text = url->get<std::string>();
  OPZ_TRY_STATUS(net::parse_outbound_url(text, "config.url", net::UrlKind::kHttp));
  OPZ_TRY_STATUS(check_outbound_url(ctx, text, "config.url", net::UrlKind::kHttp));
  return *it;
}

Result<Reply> create_connection(ApiContext& ctx, http::Request& req, const auth::Principal& p) {
  OPZ_TRY(Json body, parse_json_body(req));
  FieldReader f(body);
  OPZ_TRY_STATUS(f.reject_unknown({"type", "name", "config", "secret"}));
  store::ConnectionRecord c;
  OPZ_TRY(c.type, f.required_string("type", 32));
  OPZ_TRY_STATUS(check_one_of("type", c.type, {"github", "registry", "otel", "http"}));
  OPZ_TRY(c.name, f.required_string("name", 100));
  if (c.name.empty()) return Error::validation("'name' must not be empty", "name");
  OPZ_TRY_STATUS(check_printable(c.name, "name"));
  OPZ_TRY(c.config, read_config(ctx, body, c.type));
  OPZ_TRY(auto secret, f.optional_string("secret", kMaxSecret));
  if (c.type == "github" && (!secret || secret->empty()))
    return Error::validation("a github connection needs its token in 'secret'", "secret");
  if (secret && !secret->empty()) {
    if (!ctx.triggers) return Error::unavailable("secrets cannot be sealed: triggers are not running");
    OPZ_TRY(c.secret_sealed, ctx.triggers->secret_box().seal(*secret));
  }
  c.created_by = p.user_id;
  OPZ_TRY(auto created, store::ConnectionStore(ctx.db, ctx.clock).create(std::move(c)));
  (void)ctx.audit.record({"connection.created", "connection", created.id, p.user_id,
                          Json{{"type", created.type}, {"name", created.name}}, req.remote_addr});
  return Reply{201, connection_json(created)};
}

// The transport every connection check uses: bounded, behind the outbound
// guard, refusals naming `field`.
github::HttpTransport check_transport(ApiContext& ctx, std::string field) {
  github::HttpTransportOptions options;
  options.connect_timeout = std::chrono::milliseconds(5000);
  options.total_timeout = std::chrono::milliseconds(10000);
  options.max_response_bytes = 256 * 1024;
  options.guard = ctx.outbound;
  options.guarded_field = std::move(field);
  return github::HttpTransport(options);
}

// One of the seeds' validation functions: checks an unsaved connection of
// `type` described by the body; stores nothing.
Result<Reply> validate_unsaved(ApiContext& ctx, http::Request& req, const std::string& type) {
  OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
  FieldReader f(body);
  store::ConnectionRecord c;
  c.type = type;
  c.name = "unsaved " + type + " connection";
  c.config = Json::object();
  std::string url_field = "url";
  std::optional<std::string> secret;
  if (type == "github") {
    OPZ_TRY_STATUS(f.reject_unknown({"token", "api_base_url"}));
    OPZ_TRY(std::string token, f.required_string("token", kMaxSecret));
    if (token.empty()) return Error::validation("'token' must not be empty", "token");
    secret = std::move(token);
    url_field = "api_base_url";
    OPZ_TRY(auto base, f.optional_string("api_base_url", 2048));
    if (base && !base->empty()) c.config["url"] = *base;
  } else {
    if (type == "registry")
      OPZ_TRY_STATUS(f.reject_unknown({"url", "username", "password"}));
    else
      OPZ_TRY_STATUS(f.reject_unknown({"url", "token"}));
    OPZ_TRY(std::string url, f.required_string("url", 2048));
    if (url.empty()) return Error::validation("'url' must not be empty", "url");
    c.config["url"] = url;
    OPZ_TRY(auto username, f.optional_string("username", 256));
    if (username) c.config["username"] = *username;
    OPZ_TRY(secret, f.optional_string(type == "registry" ? "password" : "token", kMaxSecret));
  }
  if (c.config.contains("url")) {
    const std::string url = c.config["url"].get<std::string>();
    OPZ_TRY_STATUS(net::parse_outbound_url(url, url_field, net::UrlKind::kHttp));
    OPZ_TRY_STATUS(check_outbound_url(ctx, url, url_field, net::UrlKind::kHttp));
  }
  const CheckRun run =
      run_connection_check(check_transport(ctx, url_field), c, secret.value_or(""));
  return Reply{200, Json{{"valid", run.verdict.status == "healthy"},
                         {"status", run.verdict.status},
                         {"message", run.verdict.message},
                         {"response_time_ms", run.response_time_ms}}};
}

// Runs and stores one check of connection `id`.
Result<store::ConnectionHealthEvent> check_connection(ApiContext& ctx, const std::string& id) {
  store::ConnectionStore store(ctx.db, ctx.clock);
  OPZ_TRY(store::ConnectionRecord c, store.find(id));
  std::string secret;
  if (!c.secret_sealed.empty()) {
    if (!ctx.triggers) return Error::unavailable("the connection's secret cannot be opened now");
    OPZ_TRY(secret, ctx.triggers->secret_box().open(c.secret_sealed));
  }
  const CheckRun run = run_connection_check(check_transport(ctx, "config.url"), c, secret);
  store::ConnectionHealthEvent event;
  event.connection_id = c.id;
  event.status = run.verdict.status;
  event.message = run.verdict.message;
  event.response_time_ms = run.response_time_ms;
  return store.record_check(std::move(event));
}

}  // namespace

Result<int> check_all_connections(ApiContext& ctx) {
  OPZ_TRY(auto all, store::ConnectionStore(ctx.db, ctx.clock).list());
  int checked = 0;
  for (const auto& c : all) {
    auto event = check_connection(ctx, c.id);
    if (!event) {
      spdlog::warn("connection check of '{}' could not run: {}", c.name, event.error().message);
      continue;
    }
    ++checked;
  }
  return checked;
}

Status register_connection_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/api/v1/connections", "connections.manage",
                              [&ctx](http::Request& req, const auth::Principal& p) {
                                return create_connection(ctx, req, p);
                              }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/connections", "connections.read",
      [&ctx](http::Request&, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY(auto all, store::ConnectionStore(ctx.db, ctx.clock).list());
        Json items = Json::array();
        for (const auto& c : all) items.push_back(connection_json(c));
        return Reply{200, Json{{"items", items}}};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/connections/{id}", "connections.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "connection"));
        store::ConnectionStore store(ctx.db, ctx.clock);
        OPZ_TRY(auto c, store.find(req.param("id")));
        OPZ_TRY(auto events, store.events(c.id, kRecentChecks));
        Json out = connection_json(c);
        out["recent_checks"] = Json::array();
        for (const auto& e : events) out["recent_checks"].push_back(check_json(e));
        return Reply{200, out};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/connections/{id}", "connections.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "connection"));
        OPZ_TRY_STATUS(store::ConnectionStore(ctx.db, ctx.clock).remove(req.param("id")));
        (void)ctx.audit.record({"connection.deleted", "connection", req.param("id"), p.user_id,
                                Json::object(), req.remote_addr});
        return Reply{204, Json()};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/connections/{id}/check", "connections.check",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "connection"));
        OPZ_TRY(auto event, check_connection(ctx, req.param("id")));
        return Reply{200, check_json(event)};
      }));
  for (const auto& [path, type] : {std::pair{"/functions/v1/github-validate-connection", "github"},
                                   std::pair{"/functions/v1/validate-registry", "registry"},
                                   std::pair{"/functions/v1/validate-otel", "otel"}}) {
    OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", path, "connections.check",
                                [&ctx, type = std::string(type)](http::Request& req,
                                                                 const auth::Principal&) {
                                  return validate_unsaved(ctx, req, type);
                                }));
  }
  for (const char* path : {"/functions/v1/aks-validate", "/functions/v1/azure-validate"}) {
    OPZ_TRY_STATUS(add_public(r, "POST", path, [](http::Request&) -> Result<Reply> {
      // The error body's shape with 501: there is no ErrorCode for "not offered".
      return Reply{501, Json{{"error",
                              {{"code", "not_implemented"},
                               {"message",
                                "Opzenix has no Azure-specific validation: check such an endpoint "
                                "with a generic http connection (POST /api/v1/connections "
                                "{\"type\": \"http\", \"name\", \"config\": {\"url\"}}) and "
                                "POST /api/v1/connections/{id}/check"}}}}};
    }));
  }
  return add_public(r, "POST", "/functions/v1/connection-health-check",
                    [&ctx](http::Request& req) -> Result<Reply> {
                      OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
                      FieldReader f(body);
                      OPZ_TRY_STATUS(f.reject_unknown({"connection_id"}));
                      OPZ_TRY(std::string id, f.required_string("connection_id", 64));
                      OPZ_TRY_STATUS(check_id(id, "connection"));
                      OPZ_TRY(auto event, check_connection(ctx, id));
                      Json out = check_json(event);
                      out.erase("message");  // status only: no addresses, no answers
                      return Reply{200, out};
                    });
}

}  // namespace opz::api
