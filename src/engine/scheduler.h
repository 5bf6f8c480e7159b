// Scheduler: the engine thread's brain. It owns every active ExecutionRun,
// asks each Plan what may start, starts node attempts (step processes through
// the LocalRunner, approval gates, external handlers), turns their results
// into node and execution transitions, retries, checkpoints, artifacts, and
// hands every change to the ExecutionRecorder, which commits once per round.
//
// Slots: at most `max_parallel` step processes run at once over all
// executions; a ready step node beyond that waits in a FIFO as 'queued'.
// Each Plan is also created with that limit, so a single execution never
// queues globally. Approval gates, external nodes and nodes without steps take
// no process slot.
//
// Every entry point runs on the engine thread (Engine posts to it); runner and
// external-handler callbacks only post tasks, tagged with the node attempt's
// generation so that a late callback of a stopped attempt changes nothing.
// Implementation split: scheduler.cc (dispatch, settling, finishing, periodic
// work), scheduler_commands.cc (API commands), node_execution.cc (step
// attempts and their results), node_gates.cc (nodes without a local process),
// scheduler_recovery.cc (start-up of a run, workspaces, recovery),
// scheduler_ownership.cc (several servers: claims, lease renewal, fencing,
// takeover, commands from other servers; engine/execution_ownership.h).
// Not thread-safe by design: engine thread only.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "engine/engine.h"
#include "engine/engine_metrics.h"
#include "engine/event_bus.h"
#include "engine/execution_journal.h"
#include "engine/execution_ownership.h"
#include "engine/execution_recorder.h"
#include "engine/execution_run.h"
#include "engine/external_node.h"
#include "runner/runner.h"

namespace opz::engine {

// A command's answer: its status, or the live server that owns the execution
// (the Engine sends the command there, off the engine thread).
struct CommandAnswer {
  Status status;
  std::string forward_to;  // non-empty: forward; `status` is meaningless
};

// Submitted held and not yet admitted (NewExecution::held): governance
// releases it, never recovery or a takeover.
bool held_by_governance(const store::ExecutionRecord& row);

class Scheduler {
 public:
  Scheduler(ExecutionJournal& journal, runner::Runner& runner, EventBus& bus,
            const Clock& clock, const EngineOptions& options, EngineMetrics& metrics,
            std::shared_ptr<TaskQueue> queue,
            std::map<std::string, std::shared_ptr<ExternalNodeHandler>> handlers,
            ExecutionOwnership& ownership);
  int max_parallel() const { return max_parallel_; }

  // A new execution whose rows exist (status idle): claim it and start it
  // (another server that claimed it first runs it instead).
  void add(std::unique_ptr<ExecutionRun> run);
  // Claims and resumes every unfinished execution no other live server owns.
  Result<RecoveryReport> recover();
  // Loads a held execution from the journal and starts it (Engine::release).
  Status release(const std::string& execution_id, const std::string& reason);
  // Ends an execution this engine does not hold in memory (held by
  // governance, or left by another server) in the journal: its unfinished
  // nodes end, then the execution ends with `end` (failed or cancelled).
  Status end_in_journal(const std::string& id, ExecutionStatus end, const std::string& why,
                        const std::string& blocked_reason);
  // Commands: for an execution not in memory, another live owner gets it
  // forwarded (forward_to); a dead owner's (or our own) is claimed and
  // resumed first; one without an owner (held by governance) is ended in
  // the journal as before.
  CommandAnswer cancel(const std::string& id, const std::string& reason, const std::string& actor);
  CommandAnswer resolve_approval(const std::string& id, const std::string& node_id, bool approved,
                                 const std::string& actor, const std::string& reason);
  CommandAnswer force_fail(const std::string& id, const std::string& reason,
                           const std::string& actor);
  // One ownership round (scheduler_ownership.cc): renew the lease, drop the
  // runs another server now owns, take over orphans, run the commands other
  // servers queued here. Every lease_timeout/3 when ownership is shared.
  void ownership_round();
  // The queued commands only: when the database announces one
  // (ExecutionOwnership::watch_commands), and every command_poll_fallback()
  // then, else every kCommandPoll (200 ms).
  void run_forwarded_commands();
  EngineSnapshot snapshot() const;
  // Periodic work: the workspace sweep now and every sweep_interval, and the
  // stuck check every stuck_check_interval.
  void start_periodic();
  // End of every loop round: start what is ready, settle executions, commit.
  // Commands also run it before answering, so what they changed is durable
  // when the caller hears "ok". The loop's rounds may wait for the commit
  // window (EngineOptions::commit_window); kNow commits whatever is pending.
  enum class Commit { kNow, kMayWait };
  void after_round(Commit when = Commit::kNow);
  // Writes what waits for the commit window, starting nothing (Engine::stop).
  void commit_pending();

 private:
  // recorder_.commit(), noting when it ended (where the commit window starts).
  Result<std::vector<std::string>> commit();
  // Records each running execution's changed progress, at most once per
  // EngineOptions::progress_interval; a change held back has a round posted
  // for when it is due.
  void write_progress();

  struct QueuedNode {
    std::string execution_id;
    size_t node;
    uint64_t generation;
  };

  // --- runs (scheduler.cc)
  ExecutionRun* find(const std::string& id);
  Status not_active(const std::string& id);
  // What a command on `id` answers once after_round() committed it: ok, or
  // kUnavailable when that commit was fenced off (another server took the
  // execution over first: nothing of the command was written; a retry is
  // routed to the new owner).
  CommandAnswer committed(const std::string& id) const;
  void mark_dirty(ExecutionRun& run);
  void dispatch();
  void handle_ready(ExecutionRun& run, size_t node);
  void apply_plan_events(ExecutionRun& run, const pipeline::PlanEvents& events);
  void settle(ExecutionRun& run);        // pause/resume/finish after a change
  void settle_later(ExecutionRun& run);  // settle at the end of the round
  void set_status(ExecutionRun& run, ExecutionStatus status, std::string reason);
  void finish(ExecutionRun& run, ExecutionStatus status, std::string reason);
  // Stops all work of `run` and finishes it with `status` (cancelled or failed).
  void abort_run(ExecutionRun& run, ExecutionStatus status, const std::string& reason,
                 const std::string& node_error);
  void stop_node(ExecutionRun& run, size_t node);
  void check_stuck();
  void sweep();
  void post(Task task);
  void post_after(std::chrono::milliseconds delay, Task task);
  // A round of the loop after `delay` (the task does nothing; after_round
  // follows it), unless `posted` says one is already on its way for this
  // reason: a held progress write, a waiting commit, a commit to retry.
  void round_after(bool& posted, std::chrono::steady_clock::duration delay);
  void system_log(const ExecutionRun& run, const std::string& node_id, int attempt,
                  std::string_view level, std::string message);

  // --- node attempts (node_execution.cc)
  void begin_attempt(ExecutionRun& run, size_t node);
  void start_steps(ExecutionRun& run, size_t node);
  void start_step(ExecutionRun& run, size_t node);
  void on_step_output(const std::string& id, size_t node, int attempt,
                      std::vector<runner::LogLine>&& lines);
  void on_step_exit(const std::string& id, size_t node, uint64_t generation, int attempt,
                    const runner::ProcessResult& result);
  // The runner's callbacks for one step of `attempt`: both hop onto the
  // engine's queue (a started step and an adopted agent job alike).
  runner::ProcessCallbacks step_callbacks(const std::string& id, size_t node, uint64_t generation,
                                          int attempt);
  void start_instant(ExecutionRun& run, size_t node);
  void start_approval(ExecutionRun& run, size_t node);
  void approval_deadline(const std::string& id, size_t node, uint64_t generation);
  void start_external(ExecutionRun& run, size_t node, ExternalNodeHandler& handler);
  void on_external_finish(const std::string& id, size_t node, uint64_t generation,
                          ExternalNodeResult result);
  void attempt_timeout(const std::string& id, size_t node, uint64_t generation);
  void retry_due(const std::string& id, size_t node, uint64_t generation);
  // The attempt ended well: outputs, artifacts, checkpoint, plan.
  void node_succeeded(ExecutionRun& run, size_t node, runner::OutputValues outputs,
                      std::string reason);
  // The attempt failed: retry when attempts are left, else the node fails.
  void attempt_failed(ExecutionRun& run, size_t node, std::string error,
                      std::optional<int64_t> exit_code, std::optional<int64_t> signal);
  // The node ends as failed or cancelled (no retry).
  void node_ended(ExecutionRun& run, size_t node, pipeline::NodeResult result, std::string error,
                  std::string reason);
  std::vector<UpstreamOutputs> upstream_of(ExecutionRun& run, size_t node);
  void record_checkpoint(ExecutionRun& run, size_t node);
  // The node's environment; loads its configuration and secrets (and sets
  // its log mask) at each node start. An error when secrets cannot be read.
  Result<std::vector<std::string>> step_env(ExecutionRun& run, size_t node);

  // --- ownership (scheduler_ownership.cc)
  // Claims `id` for this server; false (logged) when another server owns it.
  bool claim(const std::string& id);
  // Not in memory: forward_to (a live owner elsewhere), or resumed here (a
  // dead owner's or our own: claimed), or neither (no owner: the journal path).
  struct Route {
    std::string forward_to;
    bool resumed = false;
  };
  Result<Route> route(const std::string& id);
  // Renews the lease and drops every run another server owns now (or under
  // another generation); false when the lease could not be renewed.
  bool fence();
  // Before a commit: fence() first when the lease is not fresh. Only the
  // cheap early check: the commit itself is fenced inside its transaction
  // (ExecutionRecorder's guard), and after_round() drops what it fenced off.
  void fence_if_stale();
  // How this server learnt that another one owns a run now.
  enum class DropCause { kOwnershipCheck, kCommitFenced };
  // Stops a run another server owns now: its processes killed, nothing
  // written (what it recorded and did not commit yet is discarded too);
  // counted in opzenix_executions_dropped_total{at}.
  void drop(const std::string& id, DropCause cause);
  void take_over_orphans();
  Status run_forwarded(const ForwardedCommand& command);
  // Renews the lease now, then starts the two timers below.
  void schedule_ownership();
  void ownership_timer();  // ownership_round() every lease_timeout/3
  void commands_timer();   // run_forwarded_commands() every command poll


  // --- recovery and workspaces (scheduler_recovery.cc)
  void begin(ExecutionRun& run);
  void checkout(ExecutionRun& run);
  void on_checkout_exit(const std::string& id, const runner::ProcessResult& result);
  void workspace_ready(ExecutionRun& run);
  void fail_before_start(ExecutionRun& run, const std::string& message);
  void resume_run(std::unique_ptr<ExecutionRun> run, RecoveryReport& report);
  // A resumed node that may have a job on an agent (steps with runs_on).
  // Its attempt is decided when it is ready (handle_ready): the runner adopts
  // the job of `attempt` (a node that was running, or one whose next attempt
  // may have been queued just before the crash) and the node continues at
  // that attempt; otherwise it runs again as its next attempt, after every
  // attempt a job ran under. Never two runs under one attempt number, and a
  // restart or takeover alone never spends an attempt.
  struct Interrupted {
    int attempt = 0;
    bool was_running = false;
  };
  // From handle_ready: true when the node is handled (adopted, or failed
  // without attempts left); false: start it as usual.
  bool adopt_or_renumber(ExecutionRun& run, size_t node, Interrupted interrupted);
  // Follows an adopted job as the node's running step process.
  void follow_adopted(ExecutionRun& run, size_t node, const runner::Adoption& adopted,
                      std::vector<std::string> env, std::string output_path, bool was_running);
  // A node that was running and cannot continue (before the plan starts):
  // pending for its next attempt, or failed when none is left (true).
  bool interrupted_without_retry(ExecutionRun& run, size_t node);
  // running -> pending, to run again as its next attempt.
  void retry_interrupted(ExecutionRun& run, size_t node);
  // Loads, rebuilds and resumes one unfinished execution from the journal
  // (an unreadable one is failed); false when it could not be resumed.
  bool resume_from_journal(store::ExecutionRecord row, RecoveryReport& report);

  ExecutionJournal& journal_;
  runner::Runner& runner_;
  EventBus& bus_;
  const Clock& clock_;
  const EngineOptions& options_;
  EngineMetrics& metrics_;
  std::shared_ptr<TaskQueue> queue_;
  std::map<std::string, std::shared_ptr<ExternalNodeHandler>> handlers_;
  ExecutionRecorder recorder_;
  ExecutionOwnership& ownership_;
  int max_parallel_;
  // The owner generation each run in memory was claimed with (fencing: the
  // guard of every batch that touches it).
  std::unordered_map<std::string, int64_t> generations_;
  // The executions the last commit was fenced off from (after_round()).
  std::vector<std::string> fenced_;
  // When after_round() last fenced because the lease was not fresh (at most
  // one attempt per kFenceRetry while the database does not answer).
  std::chrono::steady_clock::time_point last_stale_fence_{};

  // Resumed nodes whose attempt is decided when they are ready, per
  // execution and node index (resume_run, handle_ready).
  std::unordered_map<std::string, std::map<size_t, Interrupted>> interrupted_;

  std::unordered_map<std::string, std::unique_ptr<ExecutionRun>> runs_;
  std::vector<ExecutionRun*> dirty_;      // may have ready nodes
  std::vector<ExecutionRun*> to_settle_;  // changed this round
  std::deque<QueuedNode> ready_;          // step nodes waiting for a process slot
  std::vector<QueuedNode> newly_queued_;  // entered ready_ this round
  int running_processes_ = 0;             // step processes alive (slots in use)
  bool flush_timer_set_ = false;
  bool flush_due_ = false;
  bool progress_timer_set_ = false;  // a held progress write has its round posted
  bool commit_timer_set_ = false;  // a waiting commit has its round posted
  std::chrono::steady_clock::time_point last_commit_end_{};
  bool commit_retry_set_ = false;
  // Commands are announced (watch_commands): poll only as a fallback. Last
  // member, so destroyed first: no call posts to this scheduler after it.
  std::unique_ptr<CommandWatch> command_watch_;
};

}  // namespace opz::engine
