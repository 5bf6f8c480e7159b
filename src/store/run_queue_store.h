// RunQueueStore: seed 003's ops.run_queue (table ops_run_queue, migration
// 018): builds requested through POST /functions/v1/ops-trigger-build, waiting
// for trigger::RunQueueRunner to turn them into executions.
//
// A row is 'queued' until the runner handles it, then 'dispatched' (with the
// execution it became) or 'failed' (with the reason); it never goes back.
// mark_dispatched()/mark_failed() only move a queued row (kConflict
// otherwise), so two drains can never both claim one row. Each call is one
// transaction. The build as users see it is the ops_builds view (its status
// follows the execution). Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct RunQueueRecord {
  std::string id;
  std::string project_id;
  std::string branch;
  std::string commit_sha;  // empty: the branch's head when the build runs
  std::string trigger;     // "manual" (the function), as the seed's ops.builds.trigger
  std::string status;      // queued | dispatched | failed
  std::string execution_id;
  std::string error;
  std::string requested_by;  // the user who asked (a profile id)
  std::string created_at;
  std::string dispatched_at;  // when the runner handled it (either way)
};

struct NewQueuedBuild {
  std::string project_id;
  std::string branch;
  std::string commit_sha;
  std::string trigger = "manual";
  std::string requested_by;
};

class RunQueueStore {
 public:
  RunQueueStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kNotFound naming "project_id" when the project does not exist.
  Result<RunQueueRecord> enqueue(const NewQueuedBuild& build);
  Result<RunQueueRecord> find(const std::string& id);
  // Queued rows, oldest first (at most `limit`).
  Result<std::vector<RunQueueRecord>> queued(int limit);
  // The execution an earlier drain already created for this row (it carries
  // metadata.ops_build_id = the row's id) but could not record, e.g. because
  // the server stopped between the two; nullopt when there is none. This is
  // what makes a drain after a crash start each build at most once.
  Result<std::optional<std::string>> execution_for(const RunQueueRecord& row);
  // queued -> dispatched / failed; kConflict when the row is no longer queued,
  // kNotFound when it does not exist. `also` runs in the same transaction
  // after the row moved (the audit entry), and undoes the move if it fails.
  using Also = std::function<Status(SqlSession&)>;
  Status mark_dispatched(const std::string& id, const std::string& execution_id,
                         const Also& also = {});
  Status mark_failed(const std::string& id, const std::string& error, const Also& also = {});

 private:
  Status mark(const std::string& id, const std::string& status, const std::string& execution_id,
              const std::string& error, const Also& also);

  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
