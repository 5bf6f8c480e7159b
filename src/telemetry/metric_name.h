// The format of an ingested metric name (issue 13, POST
// /functions/v1/ops-metrics-ingest): a letter or '_', then up to 127 letters,
// digits, '_', '.' or ':' ("cpu_pct", "http.5xx_pct", "db:pool_pct"). What
// Prometheus and OpenTelemetry names share, so they can be exported as is.
#pragma once

#include <string_view>

namespace opz::telemetry {

inline constexpr size_t kMaxMetricNameLength = 128;

bool valid_metric_name(std::string_view name);

}  // namespace opz::telemetry
