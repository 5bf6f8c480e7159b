// SqlExecutionJournal: the ExecutionJournal backed by the database, through
// store::ExecutionStore (writes, executions and nodes) and
// store::ExecutionHistoryStore (checkpoints, approval requests, artifacts).
// Thread-safe (the stores are).
#pragma once

#include "engine/execution_journal.h"
#include "store/database.h"
#include "store/execution_history_store.h"
#include "store/execution_store.h"

namespace opz::engine {

class SqlExecutionJournal final : public ExecutionJournal {
 public:
  explicit SqlExecutionJournal(store::Database& db) : executions_(db), history_(db) {}

  Status create(const store::ExecutionRecord& execution,
                const std::vector<store::ExecutionNodeRecord>& nodes) override {
    return executions_.create(execution, nodes);
  }
  Status create_many(const std::vector<store::NewExecutionRows>& executions) override {
    return executions_.create_many(executions);
  }
  Result<store::BatchResult> apply(const store::ExecutionBatch& batch) override {
    return executions_.apply(batch);
  }
  Result<store::ExecutionDetail> load(const std::string& execution_id) override {
    return executions_.get(execution_id);
  }
  Result<std::vector<store::ExecutionRecord>> unfinished() override {
    return executions_.list_unfinished();
  }
  Result<store::CheckpointRecord> checkpoint(const std::string& checkpoint_id) override {
    return history_.find_checkpoint(checkpoint_id);
  }
  Result<std::vector<store::ApprovalRequestRecord>> approval_requests(
      const std::string& execution_id) override {
    return history_.approval_requests(execution_id);
  }
  Result<std::vector<store::ArtifactRecord>> artifacts(const std::string& execution_id) override {
    return history_.artifacts(execution_id);
  }

 private:
  store::ExecutionStore executions_;
  store::ExecutionHistoryStore history_;
};

}  // namespace opz::engine
