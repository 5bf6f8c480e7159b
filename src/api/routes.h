// The API's route table: every route Opzenix serves is registered here, by
// resource (one file per resource: auth_api.cc, projects_api.cc, ...).
#pragma once

#include "api/api_context.h"
#include "core/result.h"
#include "http/router.h"

namespace opz::api {

Status register_all_routes(http::Router& router, ApiContext& ctx);

// Per resource; each returns the first registration error.
Status register_system_routes(http::Router& router, ApiContext& ctx);
Status register_auth_routes(http::Router& router, ApiContext& ctx);
Status register_user_routes(http::Router& router, ApiContext& ctx);
Status register_organization_routes(http::Router& router, ApiContext& ctx);
Status register_project_routes(http::Router& router, ApiContext& ctx);
Status register_audit_routes(http::Router& router, ApiContext& ctx);
Status register_execution_routes(http::Router& router, ApiContext& ctx);
Status register_pipeline_routes(http::Router& router, ApiContext& ctx);
Status register_seed_function_routes(http::Router& router, ApiContext& ctx);
Status register_webhook_routes(http::Router& router, ApiContext& ctx);
Status register_github_integration_routes(http::Router& router, ApiContext& ctx);
Status register_branch_mapping_routes(http::Router& router, ApiContext& ctx);
Status register_approval_routes(http::Router& router, ApiContext& ctx);
Status register_notification_routes(http::Router& router, ApiContext& ctx);
// Governance (issue 8): environments and locks, freeze windows, the emergency stop.
Status register_environment_routes(http::Router& router, ApiContext& ctx);
Status register_freeze_window_routes(http::Router& router, ApiContext& ctx);
Status register_emergency_stop_routes(http::Router& router, ApiContext& ctx);
// Deployments (issue 9): records, history, rollback, promotion, canary
// control; rollback holds and the project's lifecycle.
Status register_deployment_routes(http::Router& router, ApiContext& ctx);
Status register_deployment_hold_routes(http::Router& router, ApiContext& ctx);
Status register_dashboard_routes(http::Router& router, ApiContext& ctx);
// The realtime event stream (issue 10): GET /api/v1/events.
Status register_event_routes(http::Router& router, ApiContext& ctx);
// Secrets and environment configuration (issue 12).
Status register_secret_routes(http::Router& router, ApiContext& ctx);
Status register_environment_config_routes(http::Router& router, ApiContext& ctx);
// The pipeline template library (issue 11): GET/POST /api/v1/pipeline-templates.
Status register_pipeline_template_routes(http::Router& router, ApiContext& ctx);
// Connections and their checks (issue 12; connections_api.cc).
Status register_connection_routes(http::Router& router, ApiContext& ctx);
// Telemetry, advisories and DORA (issue 13): the seeds' ops functions
// (ops_functions_api.cc) and GET /api/v1/projects/{id}/dora (dora_api.cc).
Status register_ops_function_routes(http::Router& router, ApiContext& ctx);
Status register_dora_routes(http::Router& router, ApiContext& ctx);
// Issue 15, 12, 13 (this session): one file each, named after the resource.
// PostgREST-style reads (issue 15): GET/HEAD /rest/v1/{table}; other methods 405. (rest_api.cc)
Status register_rest_routes(http::Router& router, ApiContext& ctx);
// The seeds' ops.* backend (issue 15): /rest/v1/rpc/{list_projects,project_branches}, /functions/v1/ops-trigger-build, GET /api/ops/projects. (ops_backend_api.cc)
Status register_ops_backend_routes(http::Router& router, ApiContext& ctx);
// Registry push notifications (issue 12): /functions/v1/artifact-webhook. (artifact_webhook_api.cc)
Status register_artifact_webhook_routes(http::Router& router, ApiContext& ctx);
// OTLP/HTTP receiver and signals (issue 13): /v1/traces, /v1/metrics, /v1/logs, /functions/v1/otel-adapter, GET /api/v1/telemetry/signals. (telemetry_api.cc)
Status register_telemetry_routes(http::Router& router, ApiContext& ctx);
// Per-user dashboards (issue 13): dashboard_layouts, user_preferences, widget_metrics. (dashboard_layouts_api.cc)
Status register_dashboard_layout_routes(http::Router& router, ApiContext& ctx);
// Insights (issue 13): slowest/flaky nodes, failure clusters, queue wait; /functions/v1/ai-insights, explain-config. (insights_api.cc)
Status register_insight_routes(http::Router& router, ApiContext& ctx);
// Remote agents (issue 14): registration tokens, the agent list and the agent protocol. (agent_api.cc)
Status register_agent_routes(http::Router& router, ApiContext& ctx);

}  // namespace opz::api
