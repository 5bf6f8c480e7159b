// Checkpoint state: the JSON document stored in checkpoints.state after a
// node with `checkpoint: true` succeeds (the seeds' 000 §3.3 shape), and
// reading it back for a rerun.
//
//   {"artifacts": {"<name>": {"image_digest": ..., "image_tag": ..., ...}},
//    "environment_variables": {pipeline env + the node's env, secrets removed},
//    "previous_nodes": {"<node>": "<status>", ...every node final so far},
//    "outputs": {"<node>": {"key": "value"}},
//    "metadata": {"commit_sha": ..., "branch": ..., "timestamp": ...}}
//
// A variable is a secret when its name contains SECRET, TOKEN, PASSWORD, KEY
// or CREDENTIAL (any case); secrets never enter a checkpoint.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "runner/output_file.h"

namespace opz::engine {

bool is_secret_name(std::string_view name);

struct CheckpointInputs {
  Json artifacts = Json::object();  // name -> fields, every artifact of the execution so far
  std::map<std::string, std::string> environment;                   // pipeline env + node env
  std::vector<std::pair<std::string, std::string>> previous_nodes;  // (node id, status)
  std::vector<std::pair<std::string, const runner::OutputValues*>> outputs;  // (node id, values)
  std::string commit_sha;
  std::string branch;
  std::string timestamp;
};

Json build_checkpoint_state(const CheckpointInputs& inputs);

// What a rerun restores from a checkpoint.
struct CheckpointRestore {
  std::map<std::string, std::string> previous_nodes;    // node id -> status
  std::map<std::string, runner::OutputValues> outputs;  // node id -> values
};

// kValidation when `state` lacks a previous_nodes object.
Result<CheckpointRestore> read_checkpoint_state(const Json& state);

}  // namespace opz::engine
