// Insights (issue 13): slowest/flaky nodes, failure clusters, queue wait; /functions/v1/ai-insights, explain-config.
// Scaffold: the routes are registered by the helper that owns this file.
#include "api/routes.h"

namespace opz::api {

Status register_insight_routes(http::Router&, ApiContext&) { return {}; }

}  // namespace opz::api
