// POST /functions/v1/ai-telemetry-analysis (issue 13; seed 004): see
// telemetry_analysis_api.cc. Registered from register_insight_routes.
#pragma once

#include "api/api_context.h"
#include "core/result.h"
#include "http/router.h"

namespace opz::api {

Status register_telemetry_analysis_routes(http::Router& router, ApiContext& ctx);

}  // namespace opz::api
