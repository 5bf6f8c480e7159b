// PostgREST-style reads (issue 15): GET/HEAD /rest/v1/{table}; other methods 405.
// Scaffold: the routes are registered by the helper that owns this file.
#include "api/routes.h"

namespace opz::api {

Status register_rest_routes(http::Router&, ApiContext&) { return {}; }

}  // namespace opz::api
