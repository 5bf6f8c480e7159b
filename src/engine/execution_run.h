// ExecutionRun: the engine's in-memory state of one execution while it is
// active: the pipeline, its Plan, and per node the durable row snapshot plus
// what only a live engine knows (the running process, the step, the attempt
// generation, buffered output tail, computed outputs).
//
// The row snapshots (ExecutionRun::row, NodeRuntime::row) are exactly what
// the recorder writes: the engine changes them, then records the change.
// Owned and touched only by the engine thread (no locking).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/json.h"
#include "engine/checkpoint_state.h"
#include "engine/engine_loop.h"
#include "engine/execution_state.h"
#include "engine/step_environment.h"
#include "engine/workspace.h"
#include "pipeline/model.h"
#include "pipeline/plan.h"
#include "runner/process_spec.h"
#include "secrets/log_masker.h"
#include "store/execution_store.h"

namespace opz::engine {

enum class NodePhase {
  kIdle,       // not started by this engine (pending, or final)
  kQueued,     // in the global ready queue, waiting for a process slot
  kSteps,      // a step process is running
  kExternal,   // handed to an ExternalNodeHandler
  kApproval,   // parked on an approval gate
  kRetryWait,  // failed attempt, next attempt scheduled
  kDone,       // final
};

struct NodeRuntime {
  store::ExecutionNodeRecord row;
  NodePhase phase = NodePhase::kIdle;
  uint64_t generation = 0;  // bumped per attempt and on stop: stale callbacks are ignored
  runner::ProcessId process = runner::kNoProcess;
  size_t step = 0;
  bool queued_recorded = false;  // the 'queued' state was written
  SteadyTime attempt_started_steady{};
  std::vector<std::string> env;  // of the current attempt (all its steps)
  // The secrets injected into the current attempt, as masking patterns
  // (null: none): every line of its output is masked before it is recorded.
  std::shared_ptr<const secrets::MaskPatterns> mask;
  // One masker per stream of the running step (set with `mask`, renewed at
  // each step): it joins the pieces of an over-long line, so a value cut
  // between two pieces is masked too.
  std::unique_ptr<secrets::StreamMasker> stdout_mask;
  std::unique_ptr<secrets::StreamMasker> stderr_mask;
  // The environment configuration the current attempt received (checkpoints).
  std::map<std::string, std::string> config;
  std::string output_path;
  runner::OutputValues outputs;    // final outputs (success, or restored by a rerun); written
                                   // by ExecutionRun::set_outputs() only
  std::string tail;                // the last lines of output, for the row's `logs` summary
  uint64_t attempt_log_bytes = 0;  // output kept so far in this attempt (the log cap)
  // Recovered while waiting on an approval gate whose request is still pending:
  // re-enter the wait without a new request or transition.
  bool resume_waiting = false;
  std::string resume_wait_until;  // that request's deadline (empty: none)

  // The row's status as the domain value (a row this engine wrote always reads; pending if not).
  pipeline::NodeStatus status() const {
    return pipeline::node_status_from_string(row.status).value_or(pipeline::NodeStatus::kPending);
  }
};

// What a node that ran past its `timeout` is told, in its log and its row's error.
std::string timeout_text(const pipeline::Node& node);

struct ExecutionRun {
  store::ExecutionRecord row;  // without the pipeline text
  pipeline::Pipeline pipeline;
  std::unique_ptr<pipeline::Plan> plan;  // null until the pipeline is resolved
  std::vector<NodeRuntime> nodes;
  std::unordered_map<std::string, size_t> index;  // node id -> position
  std::unique_ptr<StepEnvironment> env;
  ExecutionStatus status = ExecutionStatus::kIdle;

  // Facts and places.
  std::string tag;
  WorkspaceSource source;
  bool pipeline_from_repository = false;
  std::string pipeline_path = "opzenix.yml";
  std::string workspace;  // where steps run
  std::string outputs_dir;

  // Bookkeeping.
  int live_processes = 0;  // started, on_exit not yet seen (including the checkout)
  runner::ProcessId checkout = runner::kNoProcess;
  std::string checkout_last_line;  // the checked-out sha
  size_t waiting_approvals = 0;
  std::vector<uint32_t> done_order;  // final nodes in the order they finished
  // done_order's first rendered_done.size() nodes, rendered for checkpoints.
  FinishedNodes rendered_done;
  // How many nodes have outputs: while none has, no node has upstream
  // outputs and upstream_of() need not walk the graph (most pipelines'
  // steps write none, and the walk is O(ancestors) for every node started).
  // Kept by set_outputs(), the one writer of NodeRuntime::outputs.
  size_t nodes_with_outputs = 0;
  void set_outputs(size_t node, runner::OutputValues values) {
    if (!nodes[node].outputs.empty()) --nodes_with_outputs;
    if (!values.empty()) ++nodes_with_outputs;
    nodes[node].outputs = std::move(values);
  }
  Json artifacts = Json::object();   // name -> fields, for checkpoints
  SteadyTime started_steady{};
  bool stuck_reported = false;
  bool progress_dirty = false;
  // When the progress column was last written on its own (progress_interval).
  SteadyTime progress_written{};
  bool settle_pending = false;
  bool in_dirty_list = false;
  uint64_t generation = 0;  // bumped when the run stops (cancel, force-fail)

  bool finished() const { return is_terminal(status); }
  pipeline::RunContext context() const { return {row.branch, tag, row.environment}; }
};

}  // namespace opz::engine
