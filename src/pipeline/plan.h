// Plan: the pure scheduler of one execution. It decides which nodes may start
// and what follows from each result; it never runs anything, reads a clock or
// touches storage (the engine does, and records what the Plan answers).
//
// Usage:
//   Plan plan(pipeline, {.max_parallel = 4}, {.branch = "main"});
//   plan.restore(i, NodeStatus::kSuccess);     // resume / rerun, before start()
//   PlanEvents e = plan.start();                // record e.skipped
//   for (size_t i : plan.take_ready()) run(i);  // now kRunning
//   ... on result: e = plan.complete(i, NodeResult::kFailed);
//                  record e.skipped / e.cancelled, stop e.to_cancel
//   until plan.finished(); plan.outcome() is the execution status.
//
// Rules:
// - A node is ready when each need succeeded or failed with
//   continue_on_error ("partial success"). A need that failed otherwise, was
//   skipped or was cancelled skips the node and, transitively, its dependents.
// - A ready node whose condition is false (evaluated once against the
//   RunContext) is skipped at once, with its dependents; it never starts.
// - Ready nodes start in topological order, at most min(pipeline.max_parallel,
//   options.max_parallel) running at a time (0 = unlimited); kWaiting nodes
//   (parked on an approval gate) take no slot.
// - fail_fast (pipeline or options): the first failure without
//   continue_on_error cancels every pending and queued node and asks the
//   caller to stop the running and waiting ones (then complete them kCancelled).
// - cancel_all(): the same for an execution cancelled by a user.
// Every operation is O(affected nodes + their edges) (take_ready O(k log n)),
// so a whole execution is O((nodes + edges) log nodes).
// Not thread-safe: one owner (the engine's execution driver) calls it.
#pragma once

#include <array>
#include <cstddef>
#include <queue>
#include <vector>

#include "core/result.h"
#include "pipeline/condition.h"
#include "pipeline/model.h"
#include "pipeline/node_status.h"

namespace opz::pipeline {

struct PlanOptions {
  int max_parallel = 0;    // 0 = unlimited; the pipeline's own limit also applies
  bool fail_fast = false;  // or'ed with the pipeline's fail_fast
};

// What the Plan decided on its own; node indices in ascending (topological) order.
struct PlanEvents {
  std::vector<size_t> skipped;    // newly kSkipped (condition false, or a need did not succeed)
  std::vector<size_t> cancelled;  // newly kCancelled pending/queued nodes
  std::vector<size_t> to_cancel;  // running/waiting nodes the caller must stop
  bool empty() const { return skipped.empty() && cancelled.empty() && to_cancel.empty(); }
};

class Plan {
 public:
  // Node indices are positions in `pipeline.nodes`. The Plan copies what it
  // needs; the pipeline need not outlive it.
  Plan(const Pipeline& pipeline, PlanOptions options, const RunContext& context);

  // Before start(): sets a node's status from an earlier run. success,
  // skipped, failed and cancelled count as done (a failure with
  // continue_on_error satisfies its dependents); pending means "run again".
  // kValidation for other statuses or a bad index, kConflict after start().
  Status restore(size_t node, NodeStatus status);

  // Computes the first ready nodes; answers the nodes skipped at once. Call once.
  PlanEvents start();

  // Ready nodes to start now, up to the free parallel slots, marked kRunning.
  // Empty before start().
  std::vector<size_t> take_ready();

  // kRunning -> kWaiting (frees its slot) and back; kConflict otherwise.
  Status set_waiting(size_t node);
  Status resume(size_t node);

  // A running or waiting node ended. kConflict when it was not running/waiting.
  Result<PlanEvents> complete(size_t node, NodeResult result);

  // The execution is cancelled: pending and queued nodes become kCancelled;
  // answers the running/waiting ones to stop. Idempotent.
  PlanEvents cancel_all();

  bool started() const { return started_; }
  // No node pending, queued, running or waiting.
  bool finished() const;
  ExecutionOutcome outcome() const;
  // Final nodes * 100 / all nodes, rounded down (100 only when finished).
  int progress() const;
  size_t count(NodeStatus status) const { return counts_[static_cast<size_t>(status)]; }
  NodeStatus status(size_t node) const { return nodes_[node].status; }
  // Whether the node's condition holds for this execution (true without one).
  bool condition_met(size_t node) const { return nodes_[node].condition_met; }
  size_t size() const { return nodes_.size(); }
  int parallel_limit() const { return parallel_limit_; }

 private:
  struct NodeState {
    NodeStatus status = NodeStatus::kPending;
    bool condition_met = true;
    bool continue_on_error = false;
    size_t unmet_needs = 0;  // needs not yet satisfied (pending nodes)
    std::vector<size_t> needs;
    std::vector<size_t> dependents;
  };

  void set_status(size_t node, NodeStatus status);
  bool satisfies_dependents(size_t node) const;
  void on_ready(size_t node, PlanEvents& events);
  void skip_from(size_t node, PlanEvents& events);
  void cancel_remaining(PlanEvents& events);
  Status check_index(size_t node) const;

  std::vector<NodeState> nodes_;
  std::array<size_t, kNodeStatusCount> counts_{};
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready_;
  int parallel_limit_ = 0;
  bool fail_fast_ = false;
  bool started_ = false;
  bool cancel_requested_ = false;
  bool fail_fast_triggered_ = false;
  size_t hard_failures_ = 0;  // failed without continue_on_error
  size_t soft_failures_ = 0;  // failed with continue_on_error
};

}  // namespace opz::pipeline
