// ExecutionHistoryStore: the read side of what executions append: log lines
// (tailing by sequence number), state events, checkpoints, artifacts and
// approval requests. Written only through ExecutionStore::apply().
//
// Log tailing contract: execution_logs.id is the sequence number, strictly
// increasing in commit order (one writer); a client that asks for lines
// "after N" and then after the last seq it received sees every line exactly
// once. Thread-safe.
//
// A viewer that shows a long log's end first asks for its tail (the last N
// lines) with the log's extent (line count and first seq) read in the same
// snapshot, so "lines before the tail" = total - N is exact; lines before the
// tail never change (seqs only grow), so it can fill them in afterwards.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/execution_store.h"

namespace opz::store {

struct LogQuery {
  std::string execution_id = {};
  std::string node_id = {};  // empty: every node's lines and the execution's own
  int64_t after_seq = 0;     // lines with seq > after_seq
  int limit = 1000;          // 1..10000
  int attempt = 0;           // 0: every attempt
  int tail = 0;              // 1..10000: the last `tail` lines instead (after_seq must be 0)
};

// How much log there is in a query's scope (the node, or the whole execution,
// and the attempt), whatever after_seq/limit/tail select.
struct LogExtent {
  int64_t total = 0;      // lines
  int64_t first_seq = 0;  // the first line's seq; 0 when there is none
};

struct LogPage {
  std::vector<LogLineRecord> lines;  // oldest first
  LogExtent extent;                  // read in the same snapshot as the lines
};

class ExecutionHistoryStore {
 public:
  explicit ExecutionHistoryStore(Database& db) : db_(db) {}

  // Oldest first. kValidation for a limit outside 1..10000 or a negative after_seq.
  Result<std::vector<LogLineRecord>> logs(const LogQuery& query);
  // The same lines (or, with `tail`, the last ones, still oldest first) and
  // the scope's extent. kValidation as logs(), and for a tail outside
  // 1..10000 or a tail with after_seq. The count walks only the
  // (execution_id, node_id, id) index, never the table (a node's 100,000
  // lines: a few ms).
  Result<LogPage> log_page(const LogQuery& query);
  // In the order they were recorded.
  Result<std::vector<StateEventRecord>> state_events(const std::string& execution_id);
  Result<std::vector<CheckpointRecord>> checkpoints(const std::string& execution_id);
  Result<CheckpointRecord> find_checkpoint(const std::string& checkpoint_id);
  Result<std::vector<ArtifactRecord>> artifacts(const std::string& execution_id);
  Result<std::vector<ApprovalRequestRecord>> approval_requests(const std::string& execution_id);

 private:
  Database& db_;
};

}  // namespace opz::store
