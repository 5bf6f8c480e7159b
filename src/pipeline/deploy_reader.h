// Reads a deploy node's DeploySpec (deploy_spec.h) from its two sources and
// validates it: the node's top-level keys in opzenix.yml / a flow template's
// `data` (durations as "30s"), and the canonical JSON of pipeline_json
// (durations as "<key>_ms" integers, absent optionals as null). Both share
// one set of rules: unknown strategy, canary weights outside 0..100 or not
// strictly increasing, health-check URLs that are not http(s), a health check
// or an analysis without (or with two) probes, counts below 1, hooks without
// run or with an unknown `when`, a blue_green deploy without `switch`, a
// canary one without `traffic`, strategy options on another strategy.
// Problems go to Diagnostics at the offending path; the spec keeps its
// defaults for fields that are wrong. Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "core/json.h"
#include "pipeline/deploy_spec.h"
#include "pipeline/diagnostics.h"

namespace opz::pipeline {

// The node keys only deploy nodes take. `steps` is not among them: every
// node takes it (see is_canary_step_list).
inline constexpr std::string_view kDeployNodeKeys[] = {"strategy",     "auto_rollback", "version",
                                                       "health_check", "hooks",         "switch",
                                                       "cleanup",      "cleanup_delay", "traffic"};

// Whether a deploy node's `steps` list is canary steps rather than shell
// steps: some entry is a map with set_weight, pause or analysis. Then every
// entry must be one, and the node's command comes from `run`.
bool is_canary_step_list(const Json& steps);

// A deploy node's spec from its fields (the node map at `path`): the keys of
// kDeployNodeKeys, `with.strategy` when `strategy` is not given (a string
// only; other values stay opaque `with` data), and `steps` when
// is_canary_step_list. A canary spec without steps gets default_canary_steps().
DeploySpec read_deploy_node(const Json& fields, const std::string& path, Diagnostics& diag);

// The canonical JSON (to_json(DeploySpec)) at `path`. Strict: unknown keys
// and wrong types are problems; a missing key keeps its default, so specs
// stored before a key existed still read.
DeploySpec read_deploy_json(const Json& value, const std::string& path, Diagnostics& diag);

}  // namespace opz::pipeline
