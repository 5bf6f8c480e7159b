// Operational endpoints: GET /healthz (process alive), GET /readyz (database
// reachable and migrated), GET /metrics (Prometheus text), and
// GET /api/v1/version, GET /api/v1/config (admin; secrets masked).
#include "api/endpoint.h"
#include "api/routes.h"
#include "http/error_body.h"
#include "telemetry/metrics.h"

namespace opz::api {

Status register_system_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(r.add("GET", "/healthz", [](http::Request&) {
    return http::Response::json(200, R"({"status":"ok"})");
  }));
  OPZ_TRY_STATUS(r.add("GET", "/readyz", [&ctx](http::Request&) {
    if (!ctx.db.ready())
      return http::error_response(
          Error::unavailable("database not reachable or migrations not applied"));
    return http::Response::json(200, R"({"status":"ready"})");
  }));
  OPZ_TRY_STATUS(r.add("GET", "/metrics", [&ctx](http::Request&) {
    return http::Response::text(200, ctx.metrics.render(), telemetry::MetricsRegistry::kContentType);
  }));
  OPZ_TRY_STATUS(add_public(r, "GET", "/api/v1/version", [&ctx](http::Request&) -> Result<Reply> {
    return Reply{200, Json{{"name", "opzenix"}, {"version", ctx.version}}};
  }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/config", "config.read",
                              [&ctx](http::Request&, const auth::Principal&) -> Result<Reply> {
                                return Reply{200, ctx.config_view ? ctx.config_view() : Json::object()};
                              }));
  return {};
}

Status register_all_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(register_system_routes(r, ctx));
  OPZ_TRY_STATUS(register_auth_routes(r, ctx));
  OPZ_TRY_STATUS(register_user_routes(r, ctx));
  OPZ_TRY_STATUS(register_organization_routes(r, ctx));
  OPZ_TRY_STATUS(register_project_routes(r, ctx));
  OPZ_TRY_STATUS(register_audit_routes(r, ctx));
  OPZ_TRY_STATUS(register_execution_routes(r, ctx));
  OPZ_TRY_STATUS(register_pipeline_routes(r, ctx));
  OPZ_TRY_STATUS(register_seed_function_routes(r, ctx));
  OPZ_TRY_STATUS(register_webhook_routes(r, ctx));
  OPZ_TRY_STATUS(register_github_integration_routes(r, ctx));
  OPZ_TRY_STATUS(register_branch_mapping_routes(r, ctx));
  OPZ_TRY_STATUS(register_approval_routes(r, ctx));
  OPZ_TRY_STATUS(register_notification_routes(r, ctx));
  OPZ_TRY_STATUS(register_environment_routes(r, ctx));
  OPZ_TRY_STATUS(register_freeze_window_routes(r, ctx));
  OPZ_TRY_STATUS(register_emergency_stop_routes(r, ctx));
  OPZ_TRY_STATUS(register_deployment_routes(r, ctx));
  OPZ_TRY_STATUS(register_deployment_hold_routes(r, ctx));
  OPZ_TRY_STATUS(register_dashboard_routes(r, ctx));
  OPZ_TRY_STATUS(register_event_routes(r, ctx));
  OPZ_TRY_STATUS(register_secret_routes(r, ctx));
  OPZ_TRY_STATUS(register_environment_config_routes(r, ctx));
  OPZ_TRY_STATUS(register_pipeline_template_routes(r, ctx));
  OPZ_TRY_STATUS(register_connection_routes(r, ctx));
  OPZ_TRY_STATUS(register_ops_function_routes(r, ctx));
  OPZ_TRY_STATUS(register_dora_routes(r, ctx));
  OPZ_TRY_STATUS(register_rest_routes(r, ctx));
  OPZ_TRY_STATUS(register_ops_backend_routes(r, ctx));
  OPZ_TRY_STATUS(register_artifact_webhook_routes(r, ctx));
  OPZ_TRY_STATUS(register_telemetry_routes(r, ctx));
  OPZ_TRY_STATUS(register_dashboard_layout_routes(r, ctx));
  OPZ_TRY_STATUS(register_insight_routes(r, ctx));
  OPZ_TRY_STATUS(register_agent_routes(r, ctx));
  return {};
}

}  // namespace opz::api
