// The report windows of the telemetry routes (insights, DORA): "7d", "30d"
// or "90d". Pure; thread-safe.
#pragma once

#include <string_view>

#include "core/result.h"

namespace opz::api {

// Days in `text`; 422 naming `field` ("window") otherwise.
Result<int> report_window_days(std::string_view text, std::string_view field = "window");

}  // namespace opz::api
