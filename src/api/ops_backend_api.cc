// The seeds' ops.* backend (issue 15): /rest/v1/rpc/{list_projects,project_branches}, /functions/v1/ops-trigger-build, GET /api/ops/projects.
// Scaffold: the routes are registered by the helper that owns this file.
#include "api/routes.h"

namespace opz::api {

Status register_ops_backend_routes(http::Router&, ApiContext&) { return {}; }

}  // namespace opz::api
