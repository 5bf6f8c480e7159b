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
//
// Written as text, not built as a Json document: every checkpoint lists every
// node final so far, so a run of N checkpointed nodes writes N^2/2 entries.
// As documents (a map insert, then a serialisation, for each entry of each
// checkpoint) that was a fifth of `opzenix run`'s user CPU on a 1,000-node
// pipeline of `true` steps (8.5 MB of state in all); FinishedNodes renders
// each final node once, and a checkpoint copies the text.
// Pure; a FinishedNodes belongs to one run (not thread-safe), the functions
// are thread-safe.
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

// The final nodes of a run, in the order they became final, as the members
// of `previous_nodes` and `outputs`. A node is added once, when final: its
// status and outputs never change after that.
class FinishedNodes {
 public:
  void add(std::string_view node_id, std::string_view status,
           const runner::OutputValues& outputs);
  size_t size() const { return count_; }
  // `"<node>":"<status>"` for each node, comma-separated, no braces.
  const std::string& previous_nodes() const { return previous_nodes_; }
  // `"<node>":{"key":"value",...}` for each node with outputs, likewise.
  const std::string& outputs() const { return outputs_; }

 private:
  std::string previous_nodes_;
  std::string outputs_;
  size_t count_ = 0;
};

struct CheckpointInputs {
  Json artifacts = Json::object();  // name -> fields, every artifact of the execution so far
  std::map<std::string, std::string> environment;  // pipeline env + node env
  const FinishedNodes* finished = nullptr;        // none when null
  std::string commit_sha;
  std::string branch;
  std::string timestamp;
};

// The state's JSON text (one line; invalid UTF-8 replaced, as dump_json does).
std::string checkpoint_state_text(const CheckpointInputs& inputs);

// What a rerun restores from a checkpoint.
struct CheckpointRestore {
  std::map<std::string, std::string> previous_nodes;    // node id -> status
  std::map<std::string, runner::OutputValues> outputs;  // node id -> values
};

// kValidation when `state` lacks a previous_nodes object.
Result<CheckpointRestore> read_checkpoint_state(const Json& state);

}  // namespace opz::engine
