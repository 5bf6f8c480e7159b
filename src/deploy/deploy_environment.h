// The environment every command of a deployment sees: the node's step
// environment (DeployTarget::env) plus the OPZENIX_* facts of the version being
// deployed (or restored) and, per strategy, the slot and canary weight.
// Pure functions; later entries replace earlier ones with the same key, so a
// step's own OPZENIX_VERSION cannot shadow the one Opzenix sets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/deployment_run.h"

namespace opz::deploy {

// Which version a command acts on: the target's, or the stable one's when a
// rollback restores it.
struct VersionFacts {
  std::string version;
  std::string commit_sha;
  std::string image_tag;
};
VersionFacts version_of(const DeployTarget& target);
VersionFacts version_of(const StableVersion& stable);

// Strategy variables; unset members are not exported at all.
struct SlotFacts {
  std::optional<std::string> slot;           // OPZENIX_SLOT
  std::optional<std::string> previous_slot;  // OPZENIX_PREVIOUS_SLOT ("" on a first deployment)
  std::optional<int> canary_weight;          // OPZENIX_CANARY_WEIGHT
};

// target.env + OPZENIX_VERSION, _COMMIT_SHA, _IMAGE_TAG (from `version`),
// _REPLICAS, _ENVIRONMENT, _DEPLOYMENT_ID (from `target`), _STRATEGY, and the
// set members of `slots`.
std::vector<std::string> deploy_environment(const DeployTarget& target,
                                            pipeline::DeployStrategy strategy,
                                            const VersionFacts& version, const SlotFacts& slots);

// Sets KEY=value in `env`: replaces every entry with that key, else appends.
void set_env(std::vector<std::string>& env, std::string_view key, std::string_view value);

// The value of KEY in `env`, nullopt when absent.
std::optional<std::string> env_value(const std::vector<std::string>& env, std::string_view key);

}  // namespace opz::deploy
