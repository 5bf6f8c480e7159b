// ExecutionStore: executions and their nodes, and the one write path for
// everything an execution records (node rows, log lines, state events,
// artifacts, checkpoints, approval requests).
//
// Write contract: create() and apply() are each ONE transaction. apply()
// writes a whole ExecutionBatch atomically: log lines first (so lines flushed
// before a transition are committed with it), then node rows and the
// execution row, each status change appending an execution_state_events row
// (old_state, new_state, reason, created_at = batch.at), then artifacts,
// checkpoints and approval requests. An execution change carries the status
// the caller believes the row has; if the row has another one the batch is
// rolled back with kConflict (nothing else writes an execution's status
// behind the engine's back, so this only catches bugs and operator edits).
//
// Fencing (several servers, docs/postgres.md): a batch may carry an ownership
// guard (ExecutionBatch::owners, execution_owner_guard.h). Within the same
// transaction and before any write, apply() reads the owner rows of the
// guarded executions and leaves out everything of an execution whose row no
// longer names the guard's server and generation (another server took it
// over): its log lines, node inserts and changes with their state events,
// artifacts, checkpoints, approval requests and resolutions. The rest of the
// batch is written; BatchResult::fenced names the executions left out. An
// execution the guard does not name, and every execution of a batch without
// a guard (one server, SoleOwnership), is written unchecked.
//
// Rows are written as complete snapshots of their mutable columns (one SQL
// text per table, prepared once): the caller owns the in-memory state.
//
// Reads answer the API's queries: one execution with its nodes, filtered and
// cursor-paginated lists, and the unfinished executions to recover.
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/execution_owner_guard.h"
#include "store/page.h"

namespace opz::store {

struct ExecutionRecord {
  std::string id;
  std::string name;
  std::string project_id;        // empty: none (e.g. `opzenix run`)
  std::string flow_template_id;  // empty: none
  std::string pipeline;          // canonical JSON text; empty until resolved, or not loaded
  std::string status;            // idle | running | paused | success | warning | failed | cancelled
  std::string environment;
  std::string branch;
  std::string commit_hash;
  int progress = 0;  // 0..100
  std::string governance_status;
  std::string blocked_reason;
  std::string started_by;
  std::string
      trigger_type;  // manual | push | pull_request | tag | release | poll | rerun | replay | cli
  std::string parent_execution_id;
  std::string rerun_checkpoint_id;
  std::string cancel_reason;
  Json metadata = Json::object();
  std::string started_at;    // empty: not started
  std::string completed_at;  // empty: not finished
  std::string created_at;
  std::string updated_at;
};

struct ExecutionNodeRecord {
  std::string id;  // row id (uuid)
  std::string execution_id;
  std::string node_id;  // the pipeline's node id
  std::string name;
  std::string type;
  std::string
      status;       // pending | queued | running | success | failed | skipped | cancelled | waiting
  int attempt = 0;  // attempts started so far
  int max_attempts = 1;
  std::optional<int64_t> exit_code;
  std::optional<int64_t> signal;
  std::string error;
  Json outputs = Json::object();  // {"key": "value"}
  std::string logs;               // short summary: the tail of the output
  int64_t log_bytes = 0;
  bool log_truncated = false;
  std::string started_at;
  std::string completed_at;
  std::optional<int64_t> duration_ms;
  std::string next_attempt_at;  // empty: no retry scheduled
  int position = 0;             // index in the pipeline's topological order (list order)
  std::string created_at;
  std::string updated_at;
};

struct LogLineRecord {
  int64_t seq = 0;  // execution_logs.id; assigned by the database
  std::string execution_id;
  std::string node_id;  // empty: execution-level (workspace checkout, engine notes)
  int attempt = 0;
  std::string stream;  // stdout | stderr | system
  std::string level;   // debug | info | warn | error
  std::string message;
  std::string created_at;
};

struct StateEventRecord {
  std::string id;
  std::string execution_id;
  std::string node_id;  // empty: the execution's own state
  std::string old_state;
  std::string new_state;
  std::string reason;
  std::string created_at;
};

struct ArtifactRecord {
  std::string id;
  std::string name;
  std::string execution_id;
  std::string node_id;
  std::string image_digest;
  std::string image_tag;
  std::string registry_url;
  std::string type;
  std::optional<int64_t> size_bytes;
  Json metadata = Json::object();
  std::string created_at;
};

struct CheckpointRecord {
  std::string id;
  std::string execution_id;
  std::string node_id;
  std::string name;
  Json state = Json::object();
  std::string created_at;
  // When not empty: the state's JSON text, written instead of `state` (the
  // engine renders a checkpoint as text, engine/checkpoint_state.h). Reads
  // fill `state` only.
  std::string state_text;
};

struct ApprovalRequestRecord {
  std::string id;
  std::string execution_id;
  std::string node_id;
  std::string environment;
  std::string status;  // pending | approved | rejected
  int required_approvals = 1;
  std::string requested_by;
  std::string title;
  std::string description;
  std::string wait_until;  // empty: no deadline
  std::string resolved_at;
  std::string created_at;
  std::string updated_at;
};

struct ExecutionChange {
  ExecutionRecord row;          // mutable columns written as they are here
  std::string previous_status;  // what the row must hold now; == row.status: no event
  std::string reason;
  bool write_pipeline = false;  // also store row.pipeline (resolved after checkout)
};

struct NodeChange {
  ExecutionNodeRecord row;      // every mutable column written (by row.id)
  std::string previous_status;  // != row.status: a state event is appended
  std::string reason;
};

// One state change of a batch: a node row or the execution row.
using RowChange = std::variant<NodeChange, ExecutionChange>;

struct ApprovalResolution {
  std::string execution_id;
  std::string node_id;
  std::string status;  // approved | rejected; only a pending request changes
};

struct ExecutionBatch {
  std::string at;  // ISO time of the change: updated_at and state events
  std::vector<LogLineRecord> logs;
  std::vector<ExecutionNodeRecord> new_nodes;  // inserted
  std::vector<RowChange> changes;              // applied (and their events appended) in this order
  std::vector<ArtifactRecord> artifacts;
  std::vector<CheckpointRecord> checkpoints;
  std::vector<ApprovalRequestRecord> approvals;  // inserted
  std::vector<ApprovalResolution> approval_resolutions;
  // The owner each guarded execution's writer believes it is; empty: no
  // check. Not a change: a batch with only guards is empty().
  OwnerGuards owners;
  bool empty() const {
    return logs.empty() && new_nodes.empty() && changes.empty() && artifacts.empty() &&
           checkpoints.empty() && approvals.empty() && approval_resolutions.empty();
  }
};

struct BatchResult {
  // One per batch.logs entry, same order; 0 for a line left out (fenced).
  std::vector<int64_t> log_seqs;
  // The guarded executions whose owner row no longer matched: nothing of
  // theirs was written. In id order.
  std::vector<std::string> fenced;
};

struct ExecutionDetail {
  ExecutionRecord execution;
  std::vector<ExecutionNodeRecord> nodes;  // in creation order (the pipeline's topological order)
};

// One execution to create with its nodes (ExecutionStore::create_many); the
// rows are the caller's, referenced for the call.
struct NewExecutionRows {
  const ExecutionRecord& execution;
  const std::vector<ExecutionNodeRecord>& nodes;
};

struct ExecutionFilter {
  std::string status = {};
  std::string environment = {};
  std::string branch = {};
  std::string project_id = {};
  std::string since = {};  // ISO time: created_at >= since
  std::string trigger_type = {};
};

class ExecutionStore {
 public:
  explicit ExecutionStore(Database& db) : db_(db) {}

  // Inserts the execution and its nodes; appends the state event
  // "" -> execution.status ("created") for the execution.
  Status create(const ExecutionRecord& execution, const std::vector<ExecutionNodeRecord>& nodes);
  // create() for many executions in ONE transaction: all of them, or none
  // (the first failing insert's error). A batch admission's way to create
  // hundreds of executions with one commit instead of one each.
  Status create_many(const std::vector<NewExecutionRows>& executions);
  Result<BatchResult> apply(const ExecutionBatch& batch);

  // `with_pipeline`: also load the (possibly large) pipeline snapshot.
  Result<ExecutionRecord> find(const std::string& id, bool with_pipeline = true);
  Result<ExecutionDetail> get(const std::string& id);
  Result<std::vector<ExecutionNodeRecord>> nodes(const std::string& execution_id);
  // Newest first (created_at, id); without pipeline snapshots. Bad filters -> kValidation.
  Result<Page<ExecutionRecord>> list(const ExecutionFilter& filter, const PageRequest& page);
  // idle, running and paused executions, oldest first, with pipeline snapshots.
  Result<std::vector<ExecutionRecord>> list_unfinished();
  // Executions held by governance (status paused, governance_status waiting
  // or pending_approval), oldest first; without pipelines.
  Result<std::vector<ExecutionRecord>> list_held();
  // Unfinished executions that deploy to (project, environment): everything
  // not terminal and not CI-only (metadata.ci_only), oldest first — the deploy
  // queue of that environment as the store sees it.
  Result<std::vector<ExecutionRecord>> list_deploying(const std::string& project_id,
                                                      const std::string& environment);
  // Records a governance decision on the execution: governance_status,
  // blocked_reason ("" clears it) and metadata.governance (the explanation).
  Status set_governance(const std::string& id, const std::string& governance_status,
                        const std::string& blocked_reason, const Json& explanation,
                        const std::string& updated_at);
  // Deployments in flight: unfinished executions that governance admitted
  // (idle, running, or paused at a node gate — not held with
  // governance_status waiting or pending_approval) and that are not CI-only
  // (metadata.ci_only), every project, oldest first; without pipelines. What
  // an emergency stop with mode 'cancel' cancels.
  Result<std::vector<ExecutionRecord>> list_admitted_deployments();

 private:
  Database& db_;
};

}  // namespace opz::store
