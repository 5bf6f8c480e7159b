// The Opzenix version, reported by `opzenix version`, /api/v1/version and the
// opzenix_build_info metric.
#pragma once

namespace opz::app {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace opz::app
