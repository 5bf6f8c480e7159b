// InsightsStore: the records pipeline insights are computed from
// (telemetry/insights.h): a project's finished node runs and its executions'
// timings since a point in time. Read-only; thread-safe.
//
// Bounds: at most kMaxNodeRuns node runs (the most recent executions' first),
// and only the last kLogTailBytes of a failed node's log tail (the engine
// keeps at most 4 KiB of each node's latest attempt in execution_nodes.logs),
// so one request reads a bounded amount whatever the history holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct InsightNodeRunRow {
  std::string execution_id;
  std::string node_id;
  std::string status;  // success | failed
  int64_t attempt = 1;
  std::optional<int64_t> exit_code;
  std::optional<int64_t> duration_ms;
  std::string finished_at;  // completed_at, else updated_at
  std::string commit_hash;  // "" when none
  std::string branch;       // "" when none
  std::string log_tail;     // failed runs only; "" otherwise
  std::string error;
  std::string queued_at;         // first 'queued' state event; "" when never queued
  std::string first_started_at;  // first 'running' state event; "" when never started
};

struct InsightExecutionRow {
  std::string id;
  std::string created_at;
  std::string started_at;  // "" when never started
};

class InsightsStore {
 public:
  static constexpr int64_t kMaxNodeRuns = 20000;
  static constexpr int64_t kMaxExecutions = 20000;
  static constexpr int64_t kLogTailBytes = 2048;

  explicit InsightsStore(Database& db) : db_(db) {}

  // Finished (success or failed) nodes of the project's executions created at
  // or after `since`, most recent executions first.
  Result<std::vector<InsightNodeRunRow>> node_runs(const std::string& project_id,
                                                   const std::string& since);
  // The project's executions created at or after `since`, most recent first.
  Result<std::vector<InsightExecutionRow>> executions(const std::string& project_id,
                                                      const std::string& since);

 private:
  Database& db_;
};

}  // namespace opz::store
