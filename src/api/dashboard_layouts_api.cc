// Per-user dashboards (issue 13): dashboard_layouts, user_preferences, widget_metrics.
// Scaffold: the routes are registered by the helper that owns this file.
#include "api/routes.h"

namespace opz::api {

Status register_dashboard_layout_routes(http::Router&, ApiContext&) { return {}; }

}  // namespace opz::api
