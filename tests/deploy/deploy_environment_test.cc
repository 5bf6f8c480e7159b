#include "deploy/deploy_environment.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace opz::deploy {
namespace {

DeployTarget target() {
  DeployTarget t;
  t.deployment_id = "dep-7";
  t.environment = "Staging";
  t.version = "v7";
  t.commit_sha = "abc123";
  t.image_tag = "staging-abc123";
  t.replicas = 4;
  t.env = {"PATH=/usr/bin", "OPZENIX_SLOT=spoofed", "OPZENIX_VERSION=old", "APP=web"};
  return t;
}

size_t count_key(const std::vector<std::string>& env, const std::string& key) {
  return static_cast<size_t>(std::count_if(
      env.begin(), env.end(), [&](const std::string& e) { return e.starts_with(key + "="); }));
}

TEST(DeployEnvironmentTest, AddsTheVersionFactsAndKeepsTheStepEnvironment) {
  auto env =
      deploy_environment(target(), pipeline::DeployStrategy::kRolling, version_of(target()), {});
  EXPECT_EQ(env_value(env, "PATH"), "/usr/bin");
  EXPECT_EQ(env_value(env, "APP"), "web");
  EXPECT_EQ(env_value(env, "OPZENIX_VERSION"), "v7");
  EXPECT_EQ(env_value(env, "OPZENIX_COMMIT_SHA"), "abc123");
  EXPECT_EQ(env_value(env, "OPZENIX_IMAGE_TAG"), "staging-abc123");
  EXPECT_EQ(env_value(env, "OPZENIX_REPLICAS"), "4");
  EXPECT_EQ(env_value(env, "OPZENIX_ENVIRONMENT"), "Staging");
  EXPECT_EQ(env_value(env, "OPZENIX_DEPLOYMENT_ID"), "dep-7");
  EXPECT_EQ(env_value(env, "OPZENIX_STRATEGY"), "rolling");
  EXPECT_EQ(count_key(env, "OPZENIX_VERSION"), 1u) << "the step's own entry is replaced";
  // Rolling exports no canary weight; the step's stale OPZENIX_SLOT stays as given.
  EXPECT_EQ(env_value(env, "OPZENIX_CANARY_WEIGHT"), std::nullopt);
}

TEST(DeployEnvironmentTest, SlotFactsReplaceEntriesWithTheSameKey) {
  auto env = deploy_environment(target(), pipeline::DeployStrategy::kCanary, version_of(target()),
                                {"green", "blue", 25});
  EXPECT_EQ(env_value(env, "OPZENIX_SLOT"), "green");
  EXPECT_EQ(count_key(env, "OPZENIX_SLOT"), 1u);
  EXPECT_EQ(env_value(env, "OPZENIX_PREVIOUS_SLOT"), "blue");
  EXPECT_EQ(env_value(env, "OPZENIX_CANARY_WEIGHT"), "25");
  EXPECT_EQ(env_value(env, "OPZENIX_STRATEGY"), "canary");
}

TEST(DeployEnvironmentTest, AStableVersionSuppliesTheVersionFacts) {
  StableVersion stable{"dep-1", "v1", "0ld", "prod-0ld", "blue"};
  auto env = deploy_environment(target(), pipeline::DeployStrategy::kBlueGreen, version_of(stable),
                                {"blue", "", std::nullopt});
  EXPECT_EQ(env_value(env, "OPZENIX_VERSION"), "v1");
  EXPECT_EQ(env_value(env, "OPZENIX_COMMIT_SHA"), "0ld");
  EXPECT_EQ(env_value(env, "OPZENIX_IMAGE_TAG"), "prod-0ld");
  EXPECT_EQ(env_value(env, "OPZENIX_DEPLOYMENT_ID"), "dep-7") << "the run's own id";
  EXPECT_EQ(env_value(env, "OPZENIX_PREVIOUS_SLOT"), "") << "set, and empty";
}

TEST(DeployEnvironmentTest, SetEnvMatchesWholeKeysOnly) {
  std::vector<std::string> env = {"OPZENIX_SLOTX=1", "OPZENIX_SLOT=a", "OPZENIX_SLOT=b"};
  set_env(env, "OPZENIX_SLOT", "c");
  EXPECT_EQ(env, (std::vector<std::string>{"OPZENIX_SLOTX=1", "OPZENIX_SLOT=c"}));
  EXPECT_EQ(env_value(env, "OPZENIX_SLOTX"), "1");
  EXPECT_EQ(env_value(env, "MISSING"), std::nullopt);
}

}  // namespace
}  // namespace opz::deploy
