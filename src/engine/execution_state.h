// ExecutionStatus: the seeds' execution state machine (000 §3.2) as a pure
// table, plus Opzenix's additions (cancelled; idle -> failed when a pipeline
// cannot even start).
//
//   idle    -> running | failed | cancelled
//   running -> paused | success | warning | failed | cancelled
//   paused  -> running | failed | cancelled
//   success, warning, failed, cancelled: terminal
//
// The strings are the database values (executions.status CHECK constraint).
//
// Node states (pipeline/node_status.h) follow a second table:
//   pending -> queued | running | waiting | success | failed | skipped | cancelled
//   queued  -> running | waiting | success | failed | skipped | cancelled
//   running -> success | failed | cancelled | pending (retry, or recovery after a crash)
//   waiting -> success | failed | cancelled
//   success, failed, skipped, cancelled: terminal
// (pending -> success: a node without steps, or one restored by a rerun;
// pending -> failed: a node that cannot start, e.g. an unknown type.)
// Pure functions, no state: thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "core/result.h"
#include "pipeline/node_status.h"

namespace opz::engine {

enum class ExecutionStatus { kIdle, kRunning, kPaused, kSuccess, kWarning, kFailed, kCancelled };

std::string_view to_string(ExecutionStatus status);
std::optional<ExecutionStatus> execution_status_from_string(std::string_view text);

// True for success, warning, failed and cancelled.
bool is_terminal(ExecutionStatus status);

// True when the state machine allows `from` -> `to` (a state never moves to itself).
bool transition_allowed(ExecutionStatus from, ExecutionStatus to);

// kConflict "execution is <from>; cannot become <to>" when not allowed.
Status check_transition(ExecutionStatus from, ExecutionStatus to);

// True when a node may move from `from` to `to` (never to itself).
bool node_transition_allowed(pipeline::NodeStatus from, pipeline::NodeStatus to);

}  // namespace opz::engine
