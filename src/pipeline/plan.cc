#include "pipeline/plan.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

namespace opz::pipeline {
namespace {

int combined_limit(int a, int b) {
  if (a <= 0) return b > 0 ? b : 0;
  if (b <= 0) return a;
  return std::min(a, b);
}

void sort_events(PlanEvents& events) {
  std::sort(events.skipped.begin(), events.skipped.end());
  std::sort(events.cancelled.begin(), events.cancelled.end());
  std::sort(events.to_cancel.begin(), events.to_cancel.end());
}

}  // namespace

Plan::Plan(const Pipeline& pipeline, PlanOptions options, const RunContext& context)
    : nodes_(pipeline.nodes.size()),
      parallel_limit_(combined_limit(pipeline.max_parallel, options.max_parallel)),
      fail_fast_(pipeline.fail_fast || options.fail_fast) {
  counts_[static_cast<size_t>(NodeStatus::kPending)] = nodes_.size();
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(pipeline.nodes.size());
  for (size_t i = 0; i < pipeline.nodes.size(); ++i) index.emplace(pipeline.nodes[i].id, i);
  std::vector<size_t> seen_by(nodes_.size(), nodes_.size());  // dedupes needs in O(1)
  for (size_t i = 0; i < pipeline.nodes.size(); ++i) {
    const Node& node = pipeline.nodes[i];
    NodeState& state = nodes_[i];
    state.continue_on_error = node.continue_on_error;
    state.condition_met = !node.condition || node.condition->evaluate(context);
    for (const std::string& need : node.needs) {
      auto it = index.find(need);
      if (it == index.end() || it->second == i) continue;  // impossible in a validated pipeline
      if (seen_by[it->second] == i) continue;
      seen_by[it->second] = i;
      state.needs.push_back(it->second);
      nodes_[it->second].dependents.push_back(i);
    }
  }
}

Status Plan::check_index(size_t node) const {
  if (node >= nodes_.size())
    return Error::validation("node index " + std::to_string(node) + " out of range");
  return ok_status();
}

void Plan::set_status(size_t node, NodeStatus status) {
  --counts_[static_cast<size_t>(nodes_[node].status)];
  ++counts_[static_cast<size_t>(status)];
  nodes_[node].status = status;
}

bool Plan::satisfies_dependents(size_t node) const {
  const NodeState& state = nodes_[node];
  return state.status == NodeStatus::kSuccess ||
         (state.status == NodeStatus::kFailed && state.continue_on_error);
}

Status Plan::restore(size_t node, NodeStatus status) {
  OPZ_TRY_STATUS(check_index(node));
  if (started_) return Error::conflict("restore() must come before start()");
  if (status != NodeStatus::kPending && !is_final(status)) {
    return Error::validation("cannot restore a node as " + std::string(to_string(status)) +
                             "; use success, failed, skipped, cancelled or pending");
  }
  NodeState& state = nodes_[node];
  if (state.status == NodeStatus::kFailed)
    --(state.continue_on_error ? soft_failures_ : hard_failures_);
  if (status == NodeStatus::kFailed) ++(state.continue_on_error ? soft_failures_ : hard_failures_);
  set_status(node, status);
  return ok_status();
}

PlanEvents Plan::start() {
  PlanEvents events;
  if (started_) return events;
  started_ = true;
  for (NodeState& state : nodes_) {
    if (state.status != NodeStatus::kPending) continue;
    state.unmet_needs = 0;
    for (size_t need : state.needs)
      if (!satisfies_dependents(need)) ++state.unmet_needs;
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (is_final(nodes_[i].status) && !satisfies_dependents(i))
      for (size_t dependent : nodes_[i].dependents) skip_from(dependent, events);
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].status == NodeStatus::kPending && nodes_[i].unmet_needs == 0) on_ready(i, events);
  }
  sort_events(events);
  return events;
}

void Plan::on_ready(size_t node, PlanEvents& events) {
  if (!nodes_[node].condition_met) {
    skip_from(node, events);
    return;
  }
  set_status(node, NodeStatus::kQueued);
  ready_.push(node);
}

// Skips `node` (when still pending) and, transitively, its pending dependents.
// Each node is skipped at most once, so all skips of an execution cost O(edges).
void Plan::skip_from(size_t node, PlanEvents& events) {
  std::vector<size_t> stack{node};
  while (!stack.empty()) {
    size_t current = stack.back();
    stack.pop_back();
    if (nodes_[current].status != NodeStatus::kPending) continue;
    set_status(current, NodeStatus::kSkipped);
    events.skipped.push_back(current);
    for (size_t dependent : nodes_[current].dependents) stack.push_back(dependent);
  }
}

std::vector<size_t> Plan::take_ready() {
  std::vector<size_t> started;
  if (!started_) return started;
  while (!ready_.empty()) {
    if (parallel_limit_ > 0 && count(NodeStatus::kRunning) >= static_cast<size_t>(parallel_limit_))
      break;
    size_t node = ready_.top();
    ready_.pop();
    if (nodes_[node].status != NodeStatus::kQueued) continue;  // cancelled meanwhile
    set_status(node, NodeStatus::kRunning);
    started.push_back(node);
  }
  return started;
}

Status Plan::set_waiting(size_t node) {
  OPZ_TRY_STATUS(check_index(node));
  if (nodes_[node].status != NodeStatus::kRunning) {
    return Error::conflict("node " + std::to_string(node) + " is " +
                           std::string(to_string(nodes_[node].status)) + ", not running");
  }
  set_status(node, NodeStatus::kWaiting);
  return ok_status();
}

Status Plan::resume(size_t node) {
  OPZ_TRY_STATUS(check_index(node));
  if (nodes_[node].status != NodeStatus::kWaiting) {
    return Error::conflict("node " + std::to_string(node) + " is " +
                           std::string(to_string(nodes_[node].status)) + ", not waiting");
  }
  set_status(node, NodeStatus::kRunning);
  return ok_status();
}

Result<PlanEvents> Plan::complete(size_t node, NodeResult result) {
  OPZ_TRY_STATUS(check_index(node));
  NodeState& state = nodes_[node];
  if (state.status != NodeStatus::kRunning && state.status != NodeStatus::kWaiting) {
    return Error::conflict("node " + std::to_string(node) + " is " +
                           std::string(to_string(state.status)) + ", not running");
  }
  PlanEvents events;
  bool hard_failure = false;
  switch (result) {
    case NodeResult::kSuccess:
      set_status(node, NodeStatus::kSuccess);
      break;
    case NodeResult::kFailed:
      set_status(node, NodeStatus::kFailed);
      hard_failure = !state.continue_on_error;
      ++(hard_failure ? hard_failures_ : soft_failures_);
      break;
    case NodeResult::kCancelled:
      set_status(node, NodeStatus::kCancelled);
      break;
  }
  if (satisfies_dependents(node)) {
    for (size_t dependent : state.dependents) {
      NodeState& d = nodes_[dependent];
      if (d.status == NodeStatus::kPending && --d.unmet_needs == 0) on_ready(dependent, events);
    }
  } else {
    for (size_t dependent : state.dependents) skip_from(dependent, events);
  }
  if (hard_failure && fail_fast_ && !fail_fast_triggered_ && !cancel_requested_) {
    fail_fast_triggered_ = true;
    cancel_remaining(events);
  }
  sort_events(events);
  return events;
}

void Plan::cancel_remaining(PlanEvents& events) {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    switch (nodes_[i].status) {
      case NodeStatus::kPending:
      case NodeStatus::kQueued:
        set_status(i, NodeStatus::kCancelled);
        events.cancelled.push_back(i);
        break;
      case NodeStatus::kRunning:
      case NodeStatus::kWaiting:
        events.to_cancel.push_back(i);
        break;
      default:
        break;
    }
  }
}

PlanEvents Plan::cancel_all() {
  PlanEvents events;
  cancel_requested_ = true;
  cancel_remaining(events);
  return events;
}

bool Plan::finished() const {
  return count(NodeStatus::kPending) + count(NodeStatus::kQueued) + count(NodeStatus::kRunning) +
             count(NodeStatus::kWaiting) ==
         0;
}

ExecutionOutcome Plan::outcome() const {
  if (!finished()) return ExecutionOutcome::kRunning;
  if (cancel_requested_) return ExecutionOutcome::kCancelled;
  if (hard_failures_ > 0) return ExecutionOutcome::kFailed;
  if (count(NodeStatus::kCancelled) > 0) return ExecutionOutcome::kCancelled;
  if (soft_failures_ > 0) return ExecutionOutcome::kWarning;
  return ExecutionOutcome::kSuccess;
}

int Plan::progress() const {
  if (nodes_.empty()) return 100;
  size_t final_nodes = count(NodeStatus::kSuccess) + count(NodeStatus::kFailed) +
                       count(NodeStatus::kSkipped) + count(NodeStatus::kCancelled);
  return static_cast<int>(final_nodes * 100 / nodes_.size());
}

}  // namespace opz::pipeline
