// Telemetry analysis (issue 13; seed 004 ai-telemetry-analysis): anomaly
// detection and trends over the 1-minute rollups of ingested ops metrics.
// Pure: no I/O, no clock; the API loads the points of the recent window and
// of the baseline before it, and answers what analyse_metrics() says.
//
// Per metric, every point is one minute bucket's mean (sum / samples):
//   recent_mean      sample-weighted mean over the recent window
//   baseline_mean    mean of the baseline's minute means
//   baseline_stddev  their population standard deviation
//   z_score          (recent_mean - baseline_mean) / deviation, where the
//                    deviation is the stddev but at least 1% of |baseline_mean|
//                    (and 1e-9): a perfectly flat baseline gives a finite z,
//                    and a change of 3% from it counts as 3 sigma
//   trend_per_hour   least-squares slope of the recent minute means against
//                    time, in units per hour; nullopt with < 2 recent points
//   status           "new" without baseline points (never anomalous);
//                    "anomalous" with >= min_baseline_points baseline points,
//                    recent points and |z| >= z_threshold; else "normal"
// A figure with nothing to measure is std::nullopt. Metrics sorted by name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace opz::telemetry {

struct MetricPoint {
  std::string metric;
  TimePoint bucket;  // the minute's start
  int64_t samples = 0;
  double sum = 0;
};

struct AnomalyOptions {
  double z_threshold = 3.0;
  int64_t min_baseline_points = 10;
};

struct MetricAnalysis {
  std::string metric;
  std::optional<double> recent_mean;
  std::optional<double> baseline_mean;
  std::optional<double> baseline_stddev;
  std::optional<double> z_score;
  std::optional<double> trend_per_hour;
  int64_t points = 0;           // recent minute buckets
  int64_t baseline_points = 0;  // baseline minute buckets
  std::string status;           // anomalous | normal | new
  bool anomalous() const { return status == "anomalous"; }
};

// `recent` and `baseline` are the points of the two ranges (any metric, any
// order; points with samples <= 0 are ignored). Every metric seen in either
// range gets one entry.
std::vector<MetricAnalysis> analyse_metrics(const std::vector<MetricPoint>& recent,
                                            const std::vector<MetricPoint>& baseline,
                                            const AnomalyOptions& options = {});

}  // namespace opz::telemetry
