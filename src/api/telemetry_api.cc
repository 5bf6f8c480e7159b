// OTLP/HTTP receiver and signals (issue 13): /v1/traces, /v1/metrics, /v1/logs, /functions/v1/otel-adapter, GET /api/v1/telemetry/signals.
// Scaffold: the routes are registered by the helper that owns this file.
#include "api/routes.h"

namespace opz::api {

Status register_telemetry_routes(http::Router&, ApiContext&) { return {}; }

}  // namespace opz::api
