// Registry push notifications (issue 12): /functions/v1/artifact-webhook.
// Scaffold: the routes are registered by the helper that owns this file.
#include "api/routes.h"

namespace opz::api {

Status register_artifact_webhook_routes(http::Router&, ApiContext&) { return {}; }

}  // namespace opz::api
