// ExecutionRecorder: group commit of everything the engine records.
//
// During a round of the engine loop, state changes, log lines, artifacts,
// checkpoints and approval requests accumulate in ONE store::ExecutionBatch;
// commit() writes it in one transaction (ExecutionJournal::apply) and only
// then publishes the matching events on the EventBus, in the order the
// changes were made, log lines included: an event comes after every line
// logged before it (so whoever sees a node or an execution finish has already
// had all its lines). Log lines are buffered the same way; the engine commits
// a round with only log lines at most every log flush interval, and every
// commit that carries a state change also carries every line buffered before
// it, so a node's lines are always durable before its transition is.
//
// When a commit fails (database busy or gone), the batch is kept and retried
// by the next commit, so nothing is reordered or half-written; after
// kMaxCommitAttempts failures of the same batch it is dropped (logged and
// counted) so that a poisoned batch cannot wedge the engine forever. At most
// kMaxBufferedLogLines lines wait for a commit; lines beyond are dropped,
// counted (dropped_log_lines()) and reported in the server log.
//
// Fencing (several servers): with an owner source set (guard_with), the
// first change or line of an execution in a batch also records, in the
// batch's guard, the owner (server, generation) this server holds it under.
// The store then leaves out, in the same transaction, everything of an
// execution another server has taken over since (store::ExecutionStore::apply);
// commit() publishes nothing of those and answers their ids, and the
// scheduler drops their runs. The guard is taken when the change is
// recorded, so a batch retried after its run ended is still checked.
// Not thread-safe: engine thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "engine/engine_metrics.h"
#include "engine/event_bus.h"
#include "engine/execution_journal.h"
#include "engine/execution_run.h"

namespace opz::engine {

class ExecutionRecorder {
 public:
  static constexpr int kMaxCommitAttempts = 5;
  static constexpr size_t kMaxBufferedLogLines = 200'000;

  ExecutionRecorder(ExecutionJournal& journal, EventBus& bus, const Clock& clock,
                    EngineMetrics& metrics)
      : journal_(journal), bus_(bus), clock_(clock), metrics_(metrics) {}

  // The node's row already holds its new state; `from` is the state it left.
  void node_changed(const ExecutionRun& run, size_t node, pipeline::NodeStatus from,
                    std::string reason);
  // The execution's row already holds its new state (from == to: progress or
  // other columns only, no state event).
  void execution_changed(const ExecutionRun& run, ExecutionStatus from, std::string reason,
                         bool write_pipeline = false);
  // Inserts every node row of `run` (pipeline resolved after the checkout).
  void nodes_created(const ExecutionRun& run);
  void artifact(store::ArtifactRecord artifact);
  void checkpoint(store::CheckpointRecord checkpoint);
  void approval_requested(store::ApprovalRequestRecord request);
  void approval_resolved(const std::string& execution_id, const std::string& node_id,
                         bool approved);
  // Published at once (not a database change), e.g. a stuck execution.
  void announce(EngineEvent event);

  // The owner this server holds an execution under; nullopt: not guarded.
  using OwnerOf = std::function<std::optional<store::OwnerGuard>(const std::string&)>;
  // Unset (one server owns everything): batches carry no guard.
  void guard_with(OwnerOf owner_of) { owner_of_ = std::move(owner_of); }
  // Forgets everything of `execution_id` not committed yet (its run was
  // dropped: another server owns it now): none of it is written or published.
  void discard(const std::string& execution_id);

  // node_id empty: an execution-level line.
  void log(const std::string& execution_id, const std::string& node_id, int attempt,
           std::string_view stream, std::string_view level, std::string message, TimePoint at);

  bool has_state_changes() const;
  bool has_logs() const { return !batch_.logs.empty(); }
  // Writes the batch; publishes its events. Answers the executions the store
  // fenced off (another server owns them now; nothing of theirs was written
  // or published), in id order. On error the batch stays queued.
  Result<std::vector<std::string>> commit();
  uint64_t dropped_log_lines() const { return dropped_log_lines_; }

 private:
  // An event waiting for its batch to commit, with how many of the batch's
  // log lines were logged before it.
  struct PendingEvent {
    EngineEvent event;
    size_t lines_before = 0;
  };

  void record(EngineEvent event);
  // Adds `execution_id`'s owner to the batch's guard (first time only).
  void guard(const std::string& execution_id);
  // Publishes the committed batch's events and lines, none of `fenced`.
  void publish_committed(const std::vector<int64_t>& log_seqs,
                         const std::set<std::string>& fenced);
  // Publishes batch_.logs[begin, end), one event per (execution, node).
  void publish_logs(size_t begin, size_t end, const std::vector<int64_t>& log_seqs,
                    const std::set<std::string>& fenced);

  ExecutionJournal& journal_;
  EventBus& bus_;
  const Clock& clock_;
  EngineMetrics& metrics_;
  store::ExecutionBatch batch_;
  std::vector<PendingEvent> events_;  // events of batch_, in recorded order
  OwnerOf owner_of_;
  int failed_attempts_ = 0;
  uint64_t dropped_log_lines_ = 0;
};

}  // namespace opz::engine
