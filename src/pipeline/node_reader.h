// Reads the node fields shared by every front-end (opzenix.yml nodes and the
// `data` of flow-template nodes): description, run/steps, env, timeout,
// retry, if, environment, checkpoint, continue_on_error, with, and for deploy
// nodes their DeploySpec (deploy_reader.h; `steps` may then be canary steps,
// the command coming from `run`). The front-end handles the rest (id, type,
// name/label, needs/edges, unknown keys).
// Problems go to Diagnostics at "<path>.<key>"; the node keeps its defaults
// for fields that are wrong. Pure; thread-compatible.
#pragma once

#include <array>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "pipeline/condition.h"
#include "pipeline/diagnostics.h"
#include "pipeline/model.h"

namespace opz::pipeline {

// The last ones are deploy_reader.h's kDeployNodeKeys: allowed on every node
// so a misplaced one gets "only deploy nodes take <key>", not "unknown key".
inline constexpr std::string_view kNodeBodyKeys[] = {
    "description", "run",      "steps",         "env",           "timeout",
    "retry",       "if",       "environment",   "checkpoint",    "continue_on_error",
    "with",        "strategy", "auto_rollback", "version",       "health_check",
    "hooks",       "switch",   "cleanup",       "cleanup_delay", "traffic",
    "runs_on"};

// The keys a front-end allows on a node: its own (`own`), then kNodeBodyKeys.
template <size_t N>
constexpr std::array<std::string_view, N + std::size(kNodeBodyKeys)> node_keys(
    const std::string_view (&own)[N]) {
  std::array<std::string_view, N + std::size(kNodeBodyKeys)> out{};
  size_t i = 0;
  for (std::string_view k : own) out[i++] = k;
  for (std::string_view k : kNodeBodyKeys) out[i++] = k;
  return out;
}

// `fields` is the node's map; `node.id` and `node.type` must be set (the type
// decides the checkpoint default, whether steps are required and whether the
// deploy keys are read: node.deploy is set exactly for deploy nodes).
void read_node_body(const Json& fields, const std::string& path, Node& node, Diagnostics& diag);

// `retry: true` / `retry: {}` -> RetryPolicy::seeds_default(); `retry: false`
// -> one attempt; a map overrides max_attempts (1..100), initial (0..1h) and
// max (0..24h) of the seeds' default; initial must not exceed max.
std::optional<RetryPolicy> read_retry(const Json& value, const std::string& path,
                                      Diagnostics& diag);

// A string in the condition_parser.h grammar (errors placed at the column),
// or the map form {branch|tag|environment: pattern or [patterns]}: every
// listed key must match one of its glob patterns.
std::optional<Condition> read_condition(const Json& value, const std::string& path,
                                        Diagnostics& diag);

}  // namespace opz::pipeline
