// ExecutionJournal: the seam through which the engine records everything an
// execution does, durably, and reads back what it needs to rerun or recover.
//
// Contract: create() and apply() are each one atomic transaction (see
// store::ExecutionStore::apply for what a batch holds and how every status
// change appends a state event). The engine publishes events on its EventBus
// only after apply() succeeded. Implementations: SqlExecutionJournal (the
// database) and, in tests, recording/failing fakes.
// Thread-safety: implementations must accept calls from any thread; the
// engine writes only from its own thread.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/execution_store.h"

namespace opz::engine {

class ExecutionJournal {
 public:
  virtual ~ExecutionJournal() = default;

  virtual Status create(const store::ExecutionRecord& execution,
                        const std::vector<store::ExecutionNodeRecord>& nodes) = 0;
  virtual Result<store::BatchResult> apply(const store::ExecutionBatch& batch) = 0;
  // create() for many executions in one transaction (all or none); this
  // default, for fakes, creates them one by one.
  virtual Status create_many(const std::vector<store::NewExecutionRows>& executions) {
    for (const store::NewExecutionRows& e : executions)
      OPZ_TRY_STATUS(create(e.execution, e.nodes));
    return {};
  }

  // The execution (with its pipeline snapshot) and its nodes; kNotFound.
  virtual Result<store::ExecutionDetail> load(const std::string& execution_id) = 0;
  // idle, running and paused executions with their snapshots (crash recovery).
  virtual Result<std::vector<store::ExecutionRecord>> unfinished() = 0;
  virtual Result<store::CheckpointRecord> checkpoint(const std::string& checkpoint_id) = 0;
  virtual Result<std::vector<store::ApprovalRequestRecord>> approval_requests(
      const std::string& execution_id) = 0;
  virtual Result<std::vector<store::ArtifactRecord>> artifacts(const std::string& execution_id) = 0;
};

}  // namespace opz::engine
