#include "deploy/deploy_environment.h"

#include <algorithm>

namespace opz::deploy {
namespace {

bool has_key(const std::string& entry, std::string_view key) {
  return entry.size() > key.size() && entry[key.size()] == '=' && entry.starts_with(key);
}

}  // namespace

VersionFacts version_of(const DeployTarget& target) {
  return {target.version, target.commit_sha, target.image_tag};
}

VersionFacts version_of(const StableVersion& stable) {
  return {stable.version, stable.commit_sha, stable.image_tag};
}

std::vector<std::string> deploy_environment(const DeployTarget& target,
                                            pipeline::DeployStrategy strategy,
                                            const VersionFacts& version, const SlotFacts& slots) {
  std::vector<std::string> env = target.env;
  set_env(env, "OPZENIX_VERSION", version.version);
  set_env(env, "OPZENIX_COMMIT_SHA", version.commit_sha);
  set_env(env, "OPZENIX_IMAGE_TAG", version.image_tag);
  set_env(env, "OPZENIX_REPLICAS", std::to_string(target.replicas));
  set_env(env, "OPZENIX_ENVIRONMENT", target.environment);
  set_env(env, "OPZENIX_DEPLOYMENT_ID", target.deployment_id);
  set_env(env, "OPZENIX_STRATEGY", pipeline::to_string(strategy));
  if (slots.slot) set_env(env, "OPZENIX_SLOT", *slots.slot);
  if (slots.previous_slot) set_env(env, "OPZENIX_PREVIOUS_SLOT", *slots.previous_slot);
  if (slots.canary_weight) {
    set_env(env, "OPZENIX_CANARY_WEIGHT", std::to_string(*slots.canary_weight));
  }
  return env;
}

void set_env(std::vector<std::string>& env, std::string_view key, std::string_view value) {
  std::erase_if(env, [&](const std::string& entry) { return has_key(entry, key); });
  std::string entry(key);
  entry += '=';
  entry += value;
  env.push_back(std::move(entry));
}

std::optional<std::string> env_value(const std::vector<std::string>& env, std::string_view key) {
  auto it = std::find_if(env.rbegin(), env.rend(),
                         [&](const std::string& entry) { return has_key(entry, key); });
  if (it == env.rend()) return std::nullopt;
  return it->substr(key.size() + 1);
}

}  // namespace opz::deploy
