// OpsMetricsStore: ingested operational metrics (ops_metrics, migration 017)
// and their 1-minute / 1-hour rollups (ops_metric_rollups_1m/_1h), the
// seed 003 materialized view kept as tables.
//
// Contract: insert() stores every sample of one request in ONE transaction or
// none (an unknown project is kValidation on "project_id"); the caller has
// validated names, values and the time. refresh_rollups() adds the samples
// stored since its last run to their buckets (count, sum, min and max
// combine exactly, so a refresh costs what was added, never the history) and
// records how far it got in the same transaction. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct OpsSample {
  std::string metric;
  double value = 0;
};

struct OpsRollupRow {
  std::string project_id;
  std::string metric;
  std::string bucket;  // minute or hour start, "2024-01-15T10:30:00.000Z"
  int64_t samples = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
};

// Per metric over [from, to): samples, sum, max (the advisory scan's window).
struct OpsMetricWindowRow {
  std::string metric;
  int64_t samples = 0;
  double sum = 0;
  double max = 0;
};

// How aggregate() folds a metric's samples into one value.
enum class OpsAggregate { kAvg, kMax, kMin, kSum, kCount };

class OpsMetricsStore {
 public:
  OpsMetricsStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The number of rows stored. `ts` in the stored time format.
  Result<int64_t> insert(const std::string& project_id, const std::string& ts,
                         const std::vector<OpsSample>& samples);
  // The number of new samples folded into the rollups.
  Result<int64_t> refresh_rollups(TimePoint now);

  enum class Resolution { kMinute, kHour };
  // A project's rollup rows for one metric, oldest bucket first.
  Result<std::vector<OpsRollupRow>> rollups(Resolution r, const std::string& project_id,
                                            const std::string& metric);
  // A project's rollup rows of every metric with from <= bucket < to (the
  // stored time format), by metric then oldest bucket first (the telemetry
  // analysis).
  Result<std::vector<OpsRollupRow>> rollups_between(Resolution r, const std::string& project_id,
                                                    const std::string& from,
                                                    const std::string& to);
  // Raw samples with from <= ts < to, per metric (times in the stored format).
  Result<std::vector<OpsMetricWindowRow>> window(const std::string& project_id,
                                                 const std::string& from, const std::string& to);
  // `aggregate` over a project's samples of `metric` with ts >= from (the
  // canary metric analysis); nullopt when there is none, for kCount too.
  Result<std::optional<double>> aggregate(const std::string& project_id,
                                          const std::string& metric, OpsAggregate aggregate,
                                          const std::string& from);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
