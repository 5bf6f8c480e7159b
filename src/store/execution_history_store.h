// ExecutionHistoryStore: the read side of what executions append: log lines
// (tailing by sequence number), state events, checkpoints, artifacts and
// approval requests. Written only through ExecutionStore::apply().
//
// Log tailing contract: execution_logs.id is the sequence number, strictly
// increasing in commit order (one writer); a client that asks for lines
// "after N" and then after the last seq it received sees every line exactly
// once. Thread-safe.
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
};

class ExecutionHistoryStore {
 public:
  explicit ExecutionHistoryStore(Database& db) : db_(db) {}

  // Oldest first. kValidation for a limit outside 1..10000 or a negative after_seq.
  Result<std::vector<LogLineRecord>> logs(const LogQuery& query);
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
