// Pipeline insights (issue 13): pure computation over plain records of one
// project's node runs and executions. No I/O and no clock: the API loads the
// records (store::InsightsStore) for the window and the window before it, and
// answers what compute_insights() says. Definitions:
//
//   slowest nodes     per node id, over its finished runs (success or failed)
//                     in the window: p50/p95 of the last attempt's duration,
//                     the previous window's p95, a trend, and a daily p95
//                     series (days with runs, oldest first); slowest p95 first
//   flaky nodes       per node id: passed_after_retry (succeeded on attempt
//                     > 1) and flips (a finished run whose outcome differs
//                     from the previous finished run of the same node on the
//                     same commit, or the same branch when no commit is known);
//                     score = (passed_after_retry + flips) / runs, at most 1;
//                     only nodes with a score > 0, highest first
//   failure clusters  failed runs grouped by (exit code, log signature —
//                     telemetry/log_signature.h); count, first/last seen, up to
//                     kClusterExamples example execution ids (latest first)
//   queue wait        per execution: created -> started; per node: queued (no
//                     free process slot) -> running, 0 for a node that started
//                     as soon as it was ready; p50/p95 of each
// Percentiles are nearest-rank (the value at rank ceil(p * n)): always a value
// that was measured. A figure with nothing to measure is std::nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace opz::telemetry {

inline constexpr size_t kInsightListLimit = 10;  // entries per list
inline constexpr size_t kClusterExamples = 3;

struct NodeRun {
  std::string execution_id;
  std::string node_id;
  std::string status;  // success | failed (others are ignored)
  int attempts = 1;    // the last attempt's number (1 = first try)
  std::optional<int64_t> exit_code;
  std::optional<int64_t> duration_ms;  // of the last attempt
  TimePoint finished_at;               // windows, ordering, first/last seen
  std::string commit;                  // may be empty
  std::string branch;                  // may be empty
  std::string log_tail;                // failed runs: the output's last lines
  std::string error;                   // the engine's failure description
  std::optional<TimePoint> queued_at;         // first time it waited for a slot
  std::optional<TimePoint> first_started_at;  // first attempt's start
};

struct ExecutionTiming {
  std::string execution_id;
  TimePoint created_at;
  std::optional<TimePoint> started_at;
};

struct DailyP95 {
  std::string date;  // YYYY-MM-DD (UTC)
  int64_t p95_ms = 0;
  int64_t runs = 0;
};

struct SlowNode {
  std::string node_id;
  int64_t runs = 0;
  int64_t p50_ms = 0;
  int64_t p95_ms = 0;
  std::optional<int64_t> previous_p95_ms;
  std::string trend;  // slower | faster | steady (within ±10%) | new (no previous runs)
  std::vector<DailyP95> series;
};

struct FlakyNode {
  std::string node_id;
  int64_t runs = 0;
  int64_t failures = 0;
  int64_t passed_after_retry = 0;
  int64_t flips = 0;
  double score = 0;
};

struct FailureCluster {
  std::string signature;
  std::optional<int64_t> exit_code;
  int64_t count = 0;
  TimePoint first_seen;
  TimePoint last_seen;
  std::vector<std::string> example_execution_ids;
  std::vector<std::string> node_ids;  // distinct, latest failure first
};

struct WaitFigures {
  std::optional<int64_t> p50_ms;
  std::optional<int64_t> p95_ms;
  int64_t samples = 0;
};

struct QueueWait {
  WaitFigures executions;
  WaitFigures nodes;
};

struct Insights {
  std::vector<SlowNode> slowest_nodes;
  std::vector<FlakyNode> flaky_nodes;
  std::vector<FailureCluster> failure_clusters;
  QueueWait queue_wait;
};

// The value at rank ceil(p * n) of `values` (any order); nullopt when empty.
std::optional<int64_t> nearest_rank(std::vector<int64_t> values, double p);

// Runs finishing in [window_start, now) make the window; runs finishing in
// [window_start - (now - window_start), window_start) only feed the previous
// p95. Executions count for queue wait when created in [window_start, now).
Insights compute_insights(const std::vector<NodeRun>& runs,
                          const std::vector<ExecutionTiming>& executions, TimePoint window_start,
                          TimePoint now);

// The parts, for tests and for callers that need one.
std::vector<SlowNode> slowest_nodes(const std::vector<NodeRun>& runs, TimePoint window_start,
                                    TimePoint now);
std::vector<FlakyNode> flaky_nodes(const std::vector<NodeRun>& window_runs);
std::vector<FailureCluster> failure_clusters(const std::vector<NodeRun>& window_runs);
QueueWait queue_wait(const std::vector<NodeRun>& window_runs,
                     const std::vector<ExecutionTiming>& window_executions);

}  // namespace opz::telemetry
