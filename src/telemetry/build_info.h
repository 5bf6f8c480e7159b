// The conventional "build info" metric: opzenix_build_info{version="..."} 1,
// a constant gauge that lets dashboards show (and join on) the running version.
// Thread-safe (the registry is).
#pragma once

#include <string>

#include "core/result.h"
#include "telemetry/metrics.h"

namespace opz::telemetry {

// Registers the gauge and sets the child for `version` to 1. Calling it again
// with the same version is harmless.
Status register_build_info(MetricsRegistry& registry, const std::string& version);

}  // namespace opz::telemetry
