// Scheduler: nodes that run no local process (see scheduler.h) — nodes
// without steps, approval gates, and node types handed to an
// ExternalNodeHandler.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>

#include "core/ids.h"
#include "core/quantity.h"
#include "core/time_format.h"
#include "engine/scheduler.h"

namespace opz::engine {

using pipeline::NodeResult;
using pipeline::NodeStatus;

namespace {

std::string_view log_level(const std::string& level) {
  if (level == "debug" || level == "warn" || level == "error") return level;
  return "info";
}

int required_approvals(const pipeline::Node& node) {
  if (node.with.is_object() && node.with.contains("required_approvals")) {
    const Json& v = node.with["required_approvals"];
    if (v.is_number_integer() && v.get<int64_t>() >= 1 && v.get<int64_t>() <= 100)
      return static_cast<int>(v.get<int64_t>());
  }
  return 1;
}

}  // namespace

void Scheduler::start_instant(ExecutionRun& run, size_t i) {
  NodeRuntime& n = run.nodes[i];
  ++n.row.attempt;
  n.row.started_at = format_time(clock_.now());
  n.attempt_started_steady = std::chrono::steady_clock::now();
  node_succeeded(run, i, {}, "no steps to run");
}

void Scheduler::start_approval(ExecutionRun& run, size_t i) {
  NodeRuntime& n = run.nodes[i];
  const pipeline::Node& node = run.pipeline.nodes[i];
  if (!run.plan->set_waiting(i)) spdlog::error("engine: node {} cannot wait", node.id);
  n.phase = NodePhase::kApproval;
  const uint64_t gen = ++n.generation;
  ++run.waiting_approvals;
  std::string wait_until;
  if (n.resume_waiting) {  // recovered: the request and the 'waiting' row exist
    n.resume_waiting = false;
    wait_until = n.resume_wait_until;
  } else {
    NodeStatus from = n.status();
    const TimePoint now = clock_.now();
    ++n.row.attempt;
    n.row.status = "waiting";
    n.row.started_at = format_time(now);
    if (node.timeout) wait_until = format_time(now + *node.timeout);
    const int required = required_approvals(node);
    store::ApprovalRequestRecord request;
    request.id = new_uuid();
    request.execution_id = run.row.id;
    request.node_id = node.id;
    request.environment = node.environment.empty() ? run.row.environment : node.environment;
    request.status = "pending";
    request.required_approvals = required;
    request.requested_by = run.row.started_by;
    request.title = "Approve " + node.name;
    request.description = node.description;
    request.wait_until = wait_until;
    request.created_at = request.updated_at = n.row.started_at;
    recorder_.approval_requested(std::move(request));
    recorder_.node_changed(run, i, from, "waiting for approval");
    system_log(run, node.id, n.row.attempt, "info",
               "waiting for " + std::to_string(required) + " approval(s)");
  }
  if (!wait_until.empty()) {
    auto due = parse_time(wait_until);
    auto delay = due ? std::chrono::duration_cast<std::chrono::milliseconds>(*due - clock_.now())
                     : std::chrono::milliseconds(0);
    post_after(std::max(delay, std::chrono::milliseconds(0)),
               [this, id = run.row.id, i, gen] { approval_deadline(id, i, gen); });
  }
  settle_later(run);
}

void Scheduler::approval_deadline(const std::string& id, size_t i, uint64_t gen) {
  ExecutionRun* run = find(id);
  if (!run || run->finished()) return;
  NodeRuntime& n = run->nodes[i];
  if (n.phase != NodePhase::kApproval || n.generation != gen) return;
  ++n.generation;
  --run->waiting_approvals;
  recorder_.approval_resolved(id, n.row.node_id, false);
  const std::string why = "approval " + timeout_text(run->pipeline.nodes[i]);
  system_log(*run, n.row.node_id, n.row.attempt, "warn", why);
  node_ended(*run, i, NodeResult::kFailed, why, why);
}

void Scheduler::start_external(ExecutionRun& run, size_t i, ExternalNodeHandler& handler) {
  begin_attempt(run, i);
  NodeRuntime& n = run.nodes[i];
  const pipeline::Node& node = run.pipeline.nodes[i];
  n.phase = NodePhase::kExternal;
  n.output_path.clear();
  ExternalNodeRequest request;
  request.execution_id = run.row.id;
  request.project_id = run.row.project_id;
  request.node_id = node.id;
  request.attempt = n.row.attempt;
  request.type = n.row.type;
  request.with = node.with;
  auto env = step_env(run, i);
  if (!env) {
    const std::string error = "cannot start: " + env.error().message;
    system_log(run, node.id, n.row.attempt, "error", error);
    attempt_failed(run, i, error, std::nullopt, std::nullopt);
    return;
  }
  request.env = std::move(env).value();
  request.workspace = run.workspace;
  request.branch = run.row.branch;
  request.tag = run.tag;
  request.commit_sha = run.row.commit_hash;
  request.environment = node.environment.empty() ? run.row.environment : node.environment;
  request.started_by = run.row.started_by;
  request.trigger_type = run.row.trigger_type;
  request.metadata = run.row.metadata;
  request.node = node;

  const std::string id = run.row.id;
  const std::string node_id = node.id;
  const int attempt = n.row.attempt;
  const uint64_t gen = n.generation;
  auto done = std::make_shared<std::atomic<bool>>(false);
  ExternalNodeReporter reporter;
  reporter.log = [q = queue_, this, id, i, node_id, attempt](std::string message,
                                                             std::string level) {
    q->post([this, id, i, node_id, attempt, message = std::move(message),
             level = std::move(level)]() mutable {
      ExecutionRun* r = find(id);
      if (!r) return;
      // A handler's lines carry command output (deploy hooks): masked like a step's.
      const NodeRuntime& node_rt = r->nodes[i];
      if (node_rt.mask) message = node_rt.mask->mask(message);
      recorder_.log(id, node_id, attempt, "system", log_level(level), std::move(message),
                    clock_.now());
    });
  };
  reporter.finish = [q = queue_, this, id, i, gen, done](ExternalNodeResult result) {
    if (done->exchange(true)) return;
    q->post([this, id, i, gen, result = std::move(result)]() mutable {
      on_external_finish(id, i, gen, std::move(result));
    });
  };
  handler.start(request, std::move(reporter));
  if (node.timeout) post_after(*node.timeout, [this, id, i, gen] { attempt_timeout(id, i, gen); });
}

void Scheduler::on_external_finish(const std::string& id, size_t i, uint64_t gen,
                                   ExternalNodeResult result) {
  ExecutionRun* run = find(id);
  if (!run || run->finished()) return;
  NodeRuntime& n = run->nodes[i];
  if (n.phase != NodePhase::kExternal || n.generation != gen) return;
  if (result.success) {
    node_succeeded(*run, i, std::move(result.outputs), "succeeded");
  } else {
    std::string error = result.error.empty() ? "failed" : result.error;
    system_log(*run, n.row.node_id, n.row.attempt, "error", error);
    attempt_failed(*run, i, std::move(error), std::nullopt, std::nullopt);
  }
}

void Scheduler::attempt_timeout(const std::string& id, size_t i, uint64_t gen) {
  ExecutionRun* run = find(id);
  if (!run || run->finished()) return;
  NodeRuntime& n = run->nodes[i];
  if (n.phase != NodePhase::kExternal || n.generation != gen) return;
  stop_node(*run, i);
  const std::string error = timeout_text(run->pipeline.nodes[i]);
  system_log(*run, n.row.node_id, n.row.attempt, "error", error);
  attempt_failed(*run, i, error, std::nullopt, std::nullopt);
}

}  // namespace opz::engine
