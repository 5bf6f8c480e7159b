// The engine's deploy::MetricSource: a canary `metric` analysis reads the
// deployment's project's ingested ops metrics (issue 13) from the store —
// aggregate over ts >= now - window, one SELECT. No samples in the window is
// an error naming the metric and the window ("no http_5xx_pct samples in the
// last 5m"), so the analysis counts a failed sample.
#pragma once

#include <string>

#include "core/clock.h"
#include "deploy/metric_source.h"
#include "store/database.h"

namespace opz::engine {

// Bound to `project_id`; `db` and `clock` must outlive the returned source.
deploy::MetricSource ops_metric_source(store::Database& db, const Clock& clock,
                                       std::string project_id);

}  // namespace opz::engine
