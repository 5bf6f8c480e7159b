#include "engine/execution_state.h"

#include <array>
#include <string>

namespace opz::engine {

namespace {

constexpr int kCount = 7;
constexpr std::array<std::string_view, kCount> kNames = {
    "idle", "running", "paused", "success", "warning", "failed", "cancelled"};

using S = ExecutionStatus;

// kAllowed[from][to]
constexpr bool kAllowed[kCount][kCount] = {
    //           idle   run    pause  ok     warn   fail   cancel
    /* idle  */ {false, true, false, false, false, true, true},
    /* run   */ {false, false, true, true, true, true, true},
    /* pause */ {false, true, false, false, false, true, true},
    /* ok    */ {false, false, false, false, false, false, false},
    /* warn  */ {false, false, false, false, false, false, false},
    /* fail  */ {false, false, false, false, false, false, false},
    /* cancel*/ {false, false, false, false, false, false, false},
};

using N = pipeline::NodeStatus;
constexpr size_t kNodeCount = pipeline::kNodeStatusCount;

// kNodeAllowed[from][to], in NodeStatus order:
// pending queued running success failed skipped cancelled waiting
constexpr bool kNodeAllowed[kNodeCount][kNodeCount] = {
    /* pending  */ {false, true, true, true, true, true, true, true},
    /* queued   */ {false, false, true, true, true, true, true, true},
    /* running  */ {true, false, false, true, true, false, true, false},
    /* success  */ {false, false, false, false, false, false, false, false},
    /* failed   */ {false, false, false, false, false, false, false, false},
    /* skipped  */ {false, false, false, false, false, false, false, false},
    /* cancelled*/ {false, false, false, false, false, false, false, false},
    /* waiting  */ {false, false, false, true, true, false, true, false},
};
static_assert(static_cast<size_t>(N::kWaiting) == 7 && static_cast<size_t>(N::kQueued) == 1);

}  // namespace

bool node_transition_allowed(pipeline::NodeStatus from, pipeline::NodeStatus to) {
  return kNodeAllowed[static_cast<size_t>(from)][static_cast<size_t>(to)];
}

std::string_view to_string(ExecutionStatus status) { return kNames[static_cast<int>(status)]; }

std::optional<ExecutionStatus> execution_status_from_string(std::string_view text) {
  for (int i = 0; i < kCount; ++i) {
    if (kNames[i] == text) return static_cast<ExecutionStatus>(i);
  }
  return std::nullopt;
}

bool is_terminal(ExecutionStatus status) {
  return status == S::kSuccess || status == S::kWarning || status == S::kFailed ||
         status == S::kCancelled;
}

bool transition_allowed(ExecutionStatus from, ExecutionStatus to) {
  return kAllowed[static_cast<int>(from)][static_cast<int>(to)];
}

Status check_transition(ExecutionStatus from, ExecutionStatus to) {
  if (transition_allowed(from, to)) return ok_status();
  return Error::conflict("execution is " + std::string(to_string(from)) + "; cannot become " +
                         std::string(to_string(to)));
}

}  // namespace opz::engine
