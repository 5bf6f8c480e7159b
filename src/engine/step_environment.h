// StepEnvironment: the exact environment of a step process. Nothing from the
// server's environment leaks in except a minimal base (PATH, HOME, LANG,
// TMPDIR when the server has them); no server secret ever reaches a step.
//
// Precedence, later wins:
//   1. base (PATH, HOME, LANG, TMPDIR)
//   2. the pipeline's env
//   3. the node's env
//   4. outputs of the nodes it needs (directly; in the pipeline's topological
//      order, a later one wins), each as `key` (only when key is a valid
//      variable name and not a base name: `artifact.x` keys are not) and as
//      OPZENIX_OUT_<NODE>_<KEY>
//   5. the environment's configuration (environment_configs)
//   6. secrets (step_variables.h: environment > project > global)
//   7. OPZENIX_EXECUTION_ID, OPZENIX_NODE_ID, OPZENIX_ATTEMPT, OPZENIX_BRANCH,
//      OPZENIX_TAG, OPZENIX_COMMIT_SHA, OPZENIX_ENVIRONMENT, OPZENIX_OUTPUT,
//      OPZENIX_WORKSPACE (always set, never overridable; OPZENIX_ENVIRONMENT is
//      the node's `environment`, else the execution's)
// Immutable after construction; build() is const and thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/model.h"
#include "engine/step_variables.h"
#include "runner/output_file.h"

namespace opz::engine {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The base variables the server passes on, read through `lookup` (::getenv in
// production). Absent ones are left out.
std::map<std::string, std::string> base_environment(const EnvLookup& lookup);

// The facts of one node attempt that steps see as OPZENIX_* variables.
struct StepFacts {
  std::string execution_id;
  std::string node_id;
  int attempt = 1;
  std::string branch;
  std::string tag;
  std::string commit_sha;
  std::string environment;
  std::string output_path;
  std::string workspace;
};

// Outputs of one upstream node.
struct UpstreamOutputs {
  const std::string* node_id;
  const runner::OutputValues* values;
};

class StepEnvironment {
 public:
  StepEnvironment(std::map<std::string, std::string> base,
                  const std::map<std::string, std::string>& pipeline_env);

  // "KEY=VALUE" entries, sorted by key. `upstream` in topological order;
  // `variables` may be null (none).
  std::vector<std::string> build(const pipeline::Node& node, const StepFacts& facts,
                                 const std::vector<UpstreamOutputs>& upstream,
                                 const StepVariables* variables = nullptr) const;

 private:
  std::map<std::string, std::string> fixed_;  // base + pipeline env
};

}  // namespace opz::engine
