// The per-user dashboard routes (issue 13) besides the layouts, registered
// by register_dashboard_layout_routes (dashboard_layouts_api.cc):
// user_preferences_api.cc and widget_metrics_api.cc.
#pragma once

#include <cstddef>

#include "api/api_context.h"
#include "core/json.h"
#include "core/result.h"
#include "http/router.h"

namespace opz::api {

// The largest layout / ui_preferences document (serialized JSON) a user may keep.
inline constexpr size_t kMaxDashboardJsonBytes = 64 * 1024;

// kValidation naming `field` unless `value` is an object of at most
// kMaxDashboardJsonBytes once serialized.
Status check_dashboard_object(const Json& value, const char* field);

Status register_user_preference_routes(http::Router& router, ApiContext& ctx);
Status register_widget_metric_routes(http::Router& router, ApiContext& ctx);

}  // namespace opz::api
