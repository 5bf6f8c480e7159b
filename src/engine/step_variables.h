// Step variables: what a node receives beyond its pipeline — the environment
// configuration (environment_configs) and decrypted secrets — and the rule
// for which secrets it may receive.
//
// The rule (issue 12; GitHub's "environment secrets only after the
// environment's protection rules pass"):
//   - global and project secrets go to every node of the project;
//   - an environment's secrets go only to nodes of that
//     environment whose execution governance ADMITTED for it: the
//     execution's environment is the node's, its governance_status is
//     "allowed", its recorded governance request names that project and
//     environment and is not CI-only, and the request's ref is the run's ref
//     (a run with a tag must have been admitted as that tag, so a tag named
//     like a protected branch is never taken for the branch);
//   - an execution without a project receives nothing;
//   - the environment's configuration (not secret) goes to every node of
//     that environment.
// Precedence: environment secret > project secret > global secret.
//
// Secrets are decrypted at node start only (StepVariableLoader::load, from
// the engine thread), held in the node's memory for its attempt, and never
// written into checkpoints, snapshots, events or logs.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/result.h"
#include "secrets/master_keys.h"
#include "store/environment_config_store.h"
#include "store/execution_store.h"
#include "store/secret_store.h"

namespace opz::engine {

struct StepVariableRequest {
  std::string project_id;
  std::string environment;         // the node's environment
  bool environment_scoped = false;  // environment_secrets_allowed()
};

struct StepVariables {
  std::map<std::string, std::string> config;   // the environment's configuration
  std::map<std::string, std::string> secrets;  // name -> value, precedence applied
};

// Where the engine gets them (EngineOptions::step_variables); empty: none.
using StepVariableSource = std::function<Result<StepVariables>(const StepVariableRequest&)>;

// The rule above for one node. Pure.
bool environment_secrets_allowed(const store::ExecutionRecord& execution, const std::string& tag,
                                 const std::string& node_environment);

// The production source: the stores and the master key ring. Thread-safe.
class StepVariableLoader {
 public:
  StepVariableLoader(store::SecretStore& secrets, store::EnvironmentConfigStore& configs,
                     secrets::MasterKeys& keys)
      : secrets_(secrets), configs_(configs), keys_(keys) {}

  // A secret that does not decrypt (or no key ring while secrets exist)
  // fails the load naming the secret, never its value: a step must not run
  // without a secret it was given.
  Result<StepVariables> load(const StepVariableRequest& request);

 private:
  store::SecretStore& secrets_;
  store::EnvironmentConfigStore& configs_;
  secrets::MasterKeys& keys_;
};

}  // namespace opz::engine
