// Scheduler: the commands the API sends (see scheduler.h): cancel, force-fail,
// approval decisions, snapshots. Each answers after its changes committed.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/time_format.h"
#include "engine/leftover_processes.h"
#include "engine/run_builder.h"
#include "engine/scheduler.h"

namespace opz::engine {

using pipeline::NodeResult;
using pipeline::NodeStatus;

CommandAnswer Scheduler::committed(const std::string& id) const {
  if (std::find(fenced_.begin(), fenced_.end(), id) == fenced_.end()) return {ok_status(), ""};
  return {Error::unavailable("execution " + id +
                             " was taken over by another server before this command was "
                             "written; nothing was changed, retry it"),
          ""};
}

CommandAnswer Scheduler::cancel(const std::string& id, const std::string& reason,
                                const std::string& actor) {
  std::string why = "cancelled by " + (actor.empty() ? std::string("system") : actor);
  if (!reason.empty()) why += ": " + reason;
  if (!find(id)) {
    auto route_to = route(id);
    if (!route_to) return {route_to.error(), ""};
    if (!route_to->forward_to.empty()) return {ok_status(), route_to->forward_to};
    // Held by governance (not in memory, no owner): ended in the journal.
    if (!route_to->resumed) return {end_in_journal(id, ExecutionStatus::kCancelled, why, ""), ""};
  }
  ExecutionRun* run = find(id);
  if (!run || run->finished()) return {not_active(id), ""};
  run->row.cancel_reason = reason.empty() ? "cancelled" : reason;
  system_log(*run, "", 0, "warn", why);
  abort_run(*run, ExecutionStatus::kCancelled, why, "");
  after_round();  // durable before the caller hears "ok"
  return committed(id);
}

CommandAnswer Scheduler::force_fail(const std::string& id, const std::string& reason,
                                    const std::string& actor) {
  std::string why = "force-failed by " + (actor.empty() ? std::string("system") : actor);
  if (!reason.empty()) why += ": " + reason;
  if (!find(id)) {
    auto route_to = route(id);
    if (!route_to) return {route_to.error(), ""};
    if (!route_to->forward_to.empty()) return {ok_status(), route_to->forward_to};
    // No owner (held by governance, or never claimed): ended in the journal.
    if (!route_to->resumed)
      return {end_in_journal(id, ExecutionStatus::kFailed, why, reason.empty() ? why : reason), ""};
  }
  ExecutionRun* run = find(id);
  if (!run || run->finished()) return {not_active(id), ""};
  run->row.blocked_reason = reason.empty() ? why : reason;
  system_log(*run, "", 0, "error", why);
  abort_run(*run, ExecutionStatus::kFailed, why, why);
  after_round();
  return committed(id);
}

Status Scheduler::end_in_journal(const std::string& id, ExecutionStatus end, const std::string& why,
                                 const std::string& blocked_reason) {
  OPZ_TRY(store::ExecutionDetail detail, journal_.load(id));
  auto status = execution_status_from_string(detail.execution.status);
  if (!status || is_terminal(*status))
    return Error::conflict("execution " + id + " is " + detail.execution.status);
  OPZ_TRY(std::unique_ptr<ExecutionRun> loose,
          build_run_from_journal(std::move(detail.execution), std::move(detail.nodes),
                                 options_.data_dir, max_parallel_));
  kill_execution_processes(id);
  const std::string at = format_time(clock_.now());
  for (size_t i = 0; i < loose->nodes.size(); ++i) {
    NodeRuntime& n = loose->nodes[i];
    NodeStatus from = n.status();
    if (pipeline::is_final(from)) continue;
    bool was_active = from == NodeStatus::kRunning || from == NodeStatus::kWaiting;
    const bool failed = was_active && end == ExecutionStatus::kFailed;
    n.row.status = failed ? "failed" : "cancelled";
    if (failed) n.row.error = why;
    n.row.completed_at = at;
    recorder_.node_changed(*loose, i, from, why);
  }
  if (!blocked_reason.empty()) loose->row.blocked_reason = blocked_reason;
  if (end == ExecutionStatus::kCancelled) loose->row.cancel_reason = why;
  loose->row.completed_at = at;
  ExecutionStatus from = loose->status;
  loose->status = end;
  loose->row.status = std::string(to_string(end));
  recorder_.execution_changed(*loose, from, why);
  metrics_.execution_finished(std::string(to_string(end)));
  after_round();
  return ok_status();
}

CommandAnswer Scheduler::resolve_approval(const std::string& id, const std::string& node_id,
                                          bool approved, const std::string& actor,
                                          const std::string& reason) {
  if (!find(id)) {
    auto route_to = route(id);
    if (!route_to) return {route_to.error(), ""};
    if (!route_to->forward_to.empty()) return {ok_status(), route_to->forward_to};
    if (route_to->resumed) after_round();  // its gates wait again
  }
  ExecutionRun* run = find(id);
  if (!run || run->finished()) return {not_active(id), ""};
  auto it = run->index.find(node_id);
  if (it == run->index.end())
    return {Error::not_found("execution " + id + " has no node " + node_id), ""};
  size_t i = it->second;
  NodeRuntime& n = run->nodes[i];
  if (n.phase != NodePhase::kApproval)
    return {
        Error::conflict("node " + node_id + " is " + n.row.status + ", not waiting for approval"),
        ""};
  ++n.generation;
  --run->waiting_approvals;
  recorder_.approval_resolved(id, node_id, approved);
  const std::string who = actor.empty() ? std::string("system") : actor;
  if (approved) {
    std::string why = "approved by " + who + (reason.empty() ? "" : ": " + reason);
    system_log(*run, node_id, n.row.attempt, "info", why);
    node_succeeded(*run, i, {}, why);
  } else {
    std::string why = "rejected by " + who + (reason.empty() ? "" : ": " + reason);
    system_log(*run, node_id, n.row.attempt, "warn", why);
    node_ended(*run, i, NodeResult::kFailed, why, why);
  }
  after_round();
  return committed(id);
}

EngineSnapshot Scheduler::snapshot() const {
  EngineSnapshot s;
  s.active_executions = runs_.size();
  s.running_processes = static_cast<size_t>(running_processes_);
  s.queued_nodes = ready_.size();
  return s;
}

}  // namespace opz::engine
