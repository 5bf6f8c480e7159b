// The states of a node within one execution and the outcome of an execution,
// with the exact strings stored in the database (execution_nodes.status,
// executions.status) and sent over the API. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace opz::pipeline {

enum class NodeStatus {
  kPending,  // needs not finished yet
  kQueued,   // needs satisfied, waiting for a free slot
  kRunning,  // started by the engine
  kSuccess,
  kFailed,
  kSkipped,    // condition false, or a need failed / was skipped / was cancelled
  kCancelled,  // execution cancelled or fail_fast
  kWaiting,    // running but parked on a gate (approval); takes no parallel slot
};
inline constexpr size_t kNodeStatusCount = 8;

// "pending", "queued", "running", "success", "failed", "skipped", "cancelled", "waiting".
std::string_view to_string(NodeStatus status);
std::optional<NodeStatus> node_status_from_string(std::string_view text);
// success, failed, skipped and cancelled are final.
bool is_final(NodeStatus status);

// How a started node ended, as reported by the engine.
enum class NodeResult { kSuccess, kFailed, kCancelled };

// "running" until every node is final; then "success", "warning" (only
// continue_on_error failures), "failed" or "cancelled".
enum class ExecutionOutcome { kRunning, kSuccess, kWarning, kFailed, kCancelled };
std::string_view to_string(ExecutionOutcome outcome);
std::optional<ExecutionOutcome> execution_outcome_from_string(std::string_view text);

}  // namespace opz::pipeline
