#include "engine/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include "core/quantity.h"
#include "core/time_format.h"
#include "engine/workspace.h"

namespace opz::engine {

using pipeline::NodeResult;
using pipeline::NodeStatus;

namespace {

ExecutionStatus status_of(pipeline::ExecutionOutcome outcome) {
  switch (outcome) {
    case pipeline::ExecutionOutcome::kSuccess:
      return ExecutionStatus::kSuccess;
    case pipeline::ExecutionOutcome::kWarning:
      return ExecutionStatus::kWarning;
    case pipeline::ExecutionOutcome::kFailed:
      return ExecutionStatus::kFailed;
    case pipeline::ExecutionOutcome::kCancelled:
      return ExecutionStatus::kCancelled;
    case pipeline::ExecutionOutcome::kRunning:
      break;
  }
  return ExecutionStatus::kRunning;
}

int default_parallelism(int configured) {
  if (configured > 0) return configured;
  unsigned cores = std::thread::hardware_concurrency();
  return cores > 0 ? static_cast<int>(cores) : 2;
}

}  // namespace

Scheduler::Scheduler(ExecutionJournal& journal, runner::Runner& runner, EventBus& bus,
                     const Clock& clock, const EngineOptions& options, EngineMetrics& metrics,
                     std::shared_ptr<TaskQueue> queue,
                     std::map<std::string, std::shared_ptr<ExternalNodeHandler>> handlers,
                     ExecutionOwnership& ownership)
    : journal_(journal),
      runner_(runner),
      bus_(bus),
      clock_(clock),
      options_(options),
      metrics_(metrics),
      queue_(std::move(queue)),
      handlers_(std::move(handlers)),
      recorder_(journal, bus, clock, metrics),
      ownership_(ownership),
      max_parallel_(default_parallelism(options.max_parallel)) {
  // Several servers: every batch names the owner generation this server
  // holds each of its executions under, and the store writes nothing of an
  // execution another server has taken over since (the fence inside the
  // write transaction; after_round() drops those runs).
  if (ownership_.shared()) {
    recorder_.guard_with([this](const std::string& id) -> std::optional<store::OwnerGuard> {
      auto it = generations_.find(id);
      if (it == generations_.end()) return std::nullopt;  // not claimed: not guarded
      return store::OwnerGuard{ownership_.server_id(), it->second};
    });
  }
}

void Scheduler::post(Task task) { queue_->post(std::move(task)); }

void Scheduler::post_after(std::chrono::milliseconds delay, Task task) {
  queue_->post_at(std::chrono::steady_clock::now() + delay, std::move(task));
}

void Scheduler::round_after(bool& posted, std::chrono::steady_clock::duration delay) {
  if (posted) return;
  posted = true;
  post_after(std::chrono::ceil<std::chrono::milliseconds>(delay), [&posted] { posted = false; });
}

void Scheduler::system_log(const ExecutionRun& run, const std::string& node_id, int attempt,
                           std::string_view level, std::string message) {
  recorder_.log(run.row.id, node_id, attempt, "system", level, std::move(message), clock_.now());
}

ExecutionRun* Scheduler::find(const std::string& id) {
  auto it = runs_.find(id);
  return it == runs_.end() ? nullptr : it->second.get();
}

Status Scheduler::not_active(const std::string& id) {
  auto detail = journal_.load(id);
  if (!detail) return detail.error();
  return Error::conflict("execution " + id + " is " + detail->execution.status);
}

void Scheduler::mark_dirty(ExecutionRun& run) {
  if (run.in_dirty_list) return;
  run.in_dirty_list = true;
  dirty_.push_back(&run);
}

void Scheduler::add(std::unique_ptr<ExecutionRun> run) {
  if (!claim(run->row.id)) return;  // another server runs it
  ExecutionRun& r = *run;
  runs_[r.row.id] = std::move(run);
  begin(r);
}

// ---------------------------------------------------------------------------
// Dispatch: ask every changed Plan for ready nodes, then fill process slots.

void Scheduler::dispatch() {
  // Starting a node can end it at once (no steps, cannot start), which can
  // make more nodes ready: repeat until nothing changes.
  do {
    while (!dirty_.empty()) {
      std::vector<ExecutionRun*> batch;
      batch.swap(dirty_);
      for (ExecutionRun* run : batch) {
        run->in_dirty_list = false;
        if (run->finished() || !run->plan || !run->plan->started()) continue;
        for (size_t node : run->plan->take_ready()) handle_ready(*run, node);
      }
    }
    while (running_processes_ < max_parallel_ && !ready_.empty() && dirty_.empty()) {
      QueuedNode q = std::move(ready_.front());
      ready_.pop_front();
      ExecutionRun* run = find(q.execution_id);
      if (!run || run->finished()) continue;
      NodeRuntime& n = run->nodes[q.node];
      if (n.phase != NodePhase::kQueued || n.generation != q.generation) continue;
      begin_attempt(*run, q.node);
      start_steps(*run, q.node);
    }
  } while (!dirty_.empty());
  for (const QueuedNode& q : newly_queued_) {
    ExecutionRun* run = find(q.execution_id);
    if (!run || run->finished()) continue;
    NodeRuntime& n = run->nodes[q.node];
    if (n.phase != NodePhase::kQueued || n.generation != q.generation || n.queued_recorded)
      continue;
    NodeStatus from = n.status();
    n.row.status = "queued";
    n.queued_recorded = true;
    recorder_.node_changed(*run, q.node, from, "waiting for a free process slot");
  }
  newly_queued_.clear();
}

void Scheduler::handle_ready(ExecutionRun& run, size_t i) {
  NodeRuntime& n = run.nodes[i];
  const pipeline::Node& node = run.pipeline.nodes[i];
  if (!n.row.next_attempt_at.empty()) {
    // A retry scheduled before a restart keeps its backoff.
    auto due = parse_time(n.row.next_attempt_at);
    if (due && *due > clock_.now()) {
      n.phase = NodePhase::kRetryWait;
      uint64_t gen = ++n.generation;
      auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(*due - clock_.now());
      post_after(delay, [this, id = run.row.id, i, gen] { retry_due(id, i, gen); });
      return;
    }
  }
  if (node.type == pipeline::NodeType::kApproval) return start_approval(run, i);
  if (auto h = handlers_.find(std::string(pipeline::to_string(node.type))); h != handlers_.end())
    return start_external(run, i, *h->second);
  if (node.steps.empty()) {
    if (node.type == pipeline::NodeType::kGithubWorkflow) {
      // An external type whose handler is not registered cannot run here.
      ++n.row.attempt;
      const std::string why = "no handler is registered for node type '" +
                              std::string(pipeline::to_string(node.type)) + "'";
      system_log(run, node.id, n.row.attempt, "error", why);
      node_ended(run, i, NodeResult::kFailed, why, why);
      return;
    }
    return start_instant(run, i);
  }
  if (auto by_run = interrupted_.find(run.row.id); by_run != interrupted_.end()) {
    if (auto it = by_run->second.find(i); it != by_run->second.end()) {
      const Interrupted interrupted = it->second;
      by_run->second.erase(it);
      if (by_run->second.empty()) interrupted_.erase(by_run);
      if (adopt_or_renumber(run, i, interrupted)) return;
    }
  }
  n.phase = NodePhase::kQueued;
  n.queued_recorded = n.row.status == "queued";
  ready_.push_back({run.row.id, i, n.generation});
  newly_queued_.push_back({run.row.id, i, n.generation});
}

// ---------------------------------------------------------------------------
// Plan consequences, pausing, finishing.

void Scheduler::apply_plan_events(ExecutionRun& run, const pipeline::PlanEvents& events) {
  const std::string at = format_time(clock_.now());
  for (size_t s : events.skipped) {
    NodeRuntime& n = run.nodes[s];
    NodeStatus from = n.status();
    n.row.status = "skipped";
    n.row.completed_at = at;
    n.phase = NodePhase::kDone;
    ++n.generation;
    run.done_order.push_back(static_cast<uint32_t>(s));
    recorder_.node_changed(
        run, s, from,
        run.plan->condition_met(s) ? "a needed node did not succeed" : "condition is false");
    metrics_.node_finished("skipped", std::chrono::milliseconds(0));
  }
  for (size_t c : events.cancelled) {
    NodeRuntime& n = run.nodes[c];
    NodeStatus from = n.status();
    n.row.status = "cancelled";
    n.row.completed_at = at;
    n.phase = NodePhase::kDone;
    ++n.generation;
    run.done_order.push_back(static_cast<uint32_t>(c));
    recorder_.node_changed(run, c, from, "execution stopped before the node ran");
    metrics_.node_finished("cancelled", std::chrono::milliseconds(0));
  }
  for (size_t t : events.to_cancel) {
    stop_node(run, t);
    node_ended(run, t, NodeResult::kCancelled, "", "cancelled: another node failed (fail_fast)");
  }
  run.progress_dirty = true;
}

void Scheduler::set_status(ExecutionRun& run, ExecutionStatus status, std::string reason) {
  if (run.status == status) return;
  if (!transition_allowed(run.status, status)) {
    spdlog::error("engine: execution {} cannot go from {} to {} ({})", run.row.id,
                  to_string(run.status), to_string(status), reason);
    return;
  }
  ExecutionStatus from = run.status;
  run.status = status;
  run.row.status = std::string(to_string(status));
  if (run.plan) run.row.progress = run.plan->progress();
  run.progress_dirty = false;
  recorder_.execution_changed(run, from, std::move(reason));
}

void Scheduler::settle(ExecutionRun& run) {
  if (run.finished() || !run.plan) return;
  if (run.plan->finished()) {
    pipeline::ExecutionOutcome outcome = run.plan->outcome();
    ExecutionStatus target = status_of(outcome);
    std::string reason = "all nodes finished";
    if (outcome == pipeline::ExecutionOutcome::kFailed) reason = "a node failed";
    if (outcome == pipeline::ExecutionOutcome::kWarning)
      reason = "a node failed with continue_on_error";
    // The seeds' machine ends a paused execution only as failed (rejected)
    // or cancelled; an approved gate resumes it first.
    if (run.status == ExecutionStatus::kPaused && !transition_allowed(run.status, target))
      set_status(run, ExecutionStatus::kRunning, "approval resolved");
    finish(run, target, reason);
    return;
  }
  if (run.waiting_approvals > 0 && run.status == ExecutionStatus::kRunning)
    set_status(run, ExecutionStatus::kPaused, "waiting for approval");
  else if (run.waiting_approvals == 0 && run.status == ExecutionStatus::kPaused)
    set_status(run, ExecutionStatus::kRunning, "approval resolved");
}

void Scheduler::settle_later(ExecutionRun& run) {
  if (run.settle_pending) return;
  run.settle_pending = true;
  to_settle_.push_back(&run);
}

void Scheduler::finish(ExecutionRun& run, ExecutionStatus status, std::string reason) {
  if (run.finished()) return;
  run.row.completed_at = format_time(clock_.now());
  if (run.plan) run.row.progress = run.plan->progress();
  set_status(run, status, std::move(reason));
  metrics_.execution_finished(to_string(status));
  std::error_code ec;
  std::filesystem::remove_all(run.outputs_dir, ec);
}

void Scheduler::stop_node(ExecutionRun& run, size_t i) {
  NodeRuntime& n = run.nodes[i];
  switch (n.phase) {
    case NodePhase::kSteps:
      if (n.process != runner::kNoProcess) runner_.cancel(n.process);
      n.process = runner::kNoProcess;
      break;
    case NodePhase::kExternal: {
      auto h = handlers_.find(n.row.type);
      if (h != handlers_.end()) h->second->cancel(run.row.id, n.row.node_id, n.row.attempt);
      break;
    }
    case NodePhase::kApproval:
      --run.waiting_approvals;
      recorder_.approval_resolved(run.row.id, n.row.node_id, false);
      break;
    default:
      break;
  }
  ++n.generation;  // whatever the stopped attempt reports later is ignored
}

void Scheduler::abort_run(ExecutionRun& run, ExecutionStatus status, const std::string& reason,
                          const std::string& node_error) {
  if (run.finished()) return;
  if (!run.plan) {
    if (run.checkout != runner::kNoProcess) runner_.cancel(run.checkout);
    finish(run, status, reason);
    return;
  }
  pipeline::PlanEvents events = run.plan->cancel_all();
  const bool failing = status == ExecutionStatus::kFailed;
  pipeline::PlanEvents cancelled_only;
  cancelled_only.cancelled = events.cancelled;
  apply_plan_events(run, cancelled_only);
  for (size_t t : events.to_cancel) {
    stop_node(run, t);
    node_ended(run, t, failing ? NodeResult::kFailed : NodeResult::kCancelled,
               failing ? node_error : "", reason);
  }
  finish(run, status, reason);
}

// ---------------------------------------------------------------------------
// Periodic work.

void Scheduler::start_periodic() {
  schedule_ownership();
  sweep();
  post_after(options_.stuck_check_interval, [this] { check_stuck(); });
}

void Scheduler::check_stuck() {
  const TimePoint now = clock_.now();
  for (auto& [id, run] : runs_) {
    if (run->finished() || run->stuck_reported || run->row.started_at.empty()) continue;
    auto started = parse_time(run->row.started_at);
    if (!started || now - *started <= options_.stuck_after) continue;
    run->stuck_reported = true;
    metrics_.stuck_execution();
    auto minutes = std::chrono::duration_cast<std::chrono::minutes>(now - *started).count();
    spdlog::warn("engine: execution {} has been {} for {} minutes", id, run->row.status, minutes);
    EngineEvent e;
    e.kind = EventKind::kStuck;
    e.execution_id = id;
    e.new_state = run->row.status;
    e.reason = "running longer than " + format_duration(options_.stuck_after);
    e.at = now;
    e.data = {{"minutes_running", minutes}, {"started_at", run->row.started_at}};
    recorder_.announce(std::move(e));
  }
  post_after(options_.stuck_check_interval, [this] { check_stuck(); });
}

void Scheduler::sweep() {
  std::set<std::string> active;
  for (const auto& [id, run] : runs_) active.insert(id);
  const TimePoint now = clock_.now();
  for (const char* dir : {"workspaces", "outputs"}) {
    std::string root = (std::filesystem::path(options_.data_dir) / dir).string();
    for (const std::string& path :
         list_expired_dirs(root, now, options_.workspace_retention, active)) {
      spdlog::info("engine: removing expired {}", path);
      runner::ProcessCallbacks cb;
      cb.on_output = [](std::vector<runner::LogLine>&&) {};
      cb.on_exit = [path](const runner::ProcessResult& r) {
        if (!r.success()) spdlog::warn("engine: could not remove {}", path);
      };
      runner_.start({.command = remove_command(path),
                     .cwd = "",
                     .env = {},
                     .timeout = std::chrono::minutes(10),
                     .kill_grace = options_.kill_grace,
                     .log_cap_bytes = 64 * 1024},
                    std::move(cb));
    }
  }
  post_after(options_.sweep_interval, [this] { sweep(); });
}

// ---------------------------------------------------------------------------
// End of a round.

Result<std::vector<std::string>> Scheduler::commit() {
  auto fenced = recorder_.commit();
  last_commit_end_ = std::chrono::steady_clock::now();
  return fenced;
}

void Scheduler::commit_pending() {
  if (!recorder_.has_state_changes() && !recorder_.has_logs()) return;
  (void)commit();  // fenced or not, the loop ends next: nothing to drop
}

void Scheduler::write_progress() {
  const SteadyTime now = std::chrono::steady_clock::now();
  std::optional<SteadyTime> next_due;
  for (auto& [id, run] : runs_) {
    (void)id;
    if (!run->progress_dirty || run->finished() || !run->plan) continue;
    const int p = run->plan->progress();
    if (p == run->row.progress) {
      run->progress_dirty = false;
      continue;
    }
    const SteadyTime due = run->progress_written + options_.progress_interval;
    if (now < due) {  // held: written by the round the timer below posts
      next_due = next_due ? std::min(*next_due, due) : due;
      continue;
    }
    run->progress_dirty = false;
    run->progress_written = now;
    run->row.progress = p;
    recorder_.execution_changed(*run, run->status, "");
  }
  if (next_due) round_after(progress_timer_set_, *next_due - now);
}

void Scheduler::after_round(Commit when) {
  fenced_.clear();  // only this round's commit answers a command (committed())
  // The cheap early check; the commit below is fenced in its transaction.
  fence_if_stale();
  dispatch();
  for (ExecutionRun* run : to_settle_) {
    run->settle_pending = false;
    settle(*run);
  }
  to_settle_.clear();
  write_progress();
  bool commit_now = recorder_.has_state_changes() || (flush_due_ && recorder_.has_logs());
  bool waiting = false;
  if (commit_now && when == Commit::kMayWait && options_.commit_window.count() > 0) {
    const auto since = std::chrono::steady_clock::now() - last_commit_end_;
    if (since < options_.commit_window) {
      commit_now = false;
      waiting = true;
      round_after(commit_timer_set_, options_.commit_window - since);
    }
  }
  if (commit_now) {
    flush_due_ = false;
    auto fenced = commit();
    if (!fenced) round_after(commit_retry_set_, std::chrono::seconds(1));
    // Taken over since this server claimed them: nothing of theirs was
    // written; stop them as fence() does.
    if (fenced) {
      fenced_ = std::move(*fenced);
      for (const std::string& id : fenced_) drop(id, DropCause::kCommitFenced);
    }
  } else if (!waiting && recorder_.has_logs() && !flush_timer_set_) {
    flush_timer_set_ = true;
    post_after(options_.log_flush_interval, [this] {
      flush_timer_set_ = false;
      flush_due_ = true;
    });
  }
  for (auto it = runs_.begin(); it != runs_.end();) {
    ExecutionRun& run = *it->second;
    // While a commit waits, no run is dropped: a finished run's end may be
    // what waits, and until it is written the journal still has it running
    // and commands must find it here.
    if (run.finished() && run.live_processes == 0 && !run.in_dirty_list && !run.settle_pending &&
        !waiting) {
      generations_.erase(it->first);
      interrupted_.erase(it->first);
      it = runs_.erase(it);
    } else
      ++it;
  }
}

}  // namespace opz::engine
