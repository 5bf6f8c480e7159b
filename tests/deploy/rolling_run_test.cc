// Rolling deployments through DeploymentRun (deployment_run.h, rolling_run.cc).
#include "deploy/deployment_run.h"

#include <gtest/gtest.h>

#include "deploy_fixture.h"

namespace opz::deploy::testing {
namespace {

pipeline::DeploySpec rolling(bool with_health_check = true) {
  pipeline::DeploySpec spec;
  spec.strategy = pipeline::DeployStrategy::kRolling;
  if (with_health_check) spec.health_check = http_check(/*retries=*/2);
  return spec;
}

using RollingRunTest = DeployRunTest;

TEST_F(RollingRunTest, DeploysTheStepsInOrderThenChecksHealth) {
  DeployTarget target = make_target();
  target.steps = {{"migrate-config", "./render.sh"}, {"", "./deploy.sh"}};
  start(rolling(), make_stable(), false, target);
  EXPECT_EQ(current_command(), "./render.sh");
  EXPECT_EQ(runner.processes[0].spec.cwd, "/ws/proj-1");
  finish(0, {"rendered"});
  EXPECT_EQ(current_command(), "./deploy.sh");
  finish(0);
  ASSERT_TRUE(result);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
  EXPECT_EQ(result->error, "");
  EXPECT_EQ(result->slot, "");
  EXPECT_EQ(done_calls, 1);
  EXPECT_EQ(prober.urls.size(), 1u);
  EXPECT_EQ(events.phases(), (std::vector<std::string>{"deploying", "health_check"}));
  EXPECT_EQ(events.outputs, (std::vector<std::string>{"rendered"}));
}

TEST_F(RollingRunTest, EveryCommandSeesTheVersionFacts) {
  start(rolling(false));
  EXPECT_EQ(current_env("OPZENIX_VERSION"), "v2");
  EXPECT_EQ(current_env("OPZENIX_COMMIT_SHA"), "sha-v2");
  EXPECT_EQ(current_env("OPZENIX_IMAGE_TAG"), "tag-v2");
  EXPECT_EQ(current_env("OPZENIX_REPLICAS"), "3");
  EXPECT_EQ(current_env("OPZENIX_ENVIRONMENT"), "Production");
  EXPECT_EQ(current_env("OPZENIX_DEPLOYMENT_ID"), "dep-2");
  EXPECT_EQ(current_env("OPZENIX_STRATEGY"), "rolling");
  EXPECT_EQ(current_env("APP"), "web");
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "<unset>");
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
}

TEST_F(RollingRunTest, AFailedHealthCheckWithoutAutoRollbackFails) {
  prober.fallback = FakeProber::http(503);
  start(rolling(), make_stable(), /*auto_rollback=*/false);
  finish(0);
  timers.advance(Millis{1000});
  EXPECT_EQ(outcome(), DeployOutcome::kFailed);
  EXPECT_EQ(result->error, "health check failed: HTTP 503 (expected 200)");
  EXPECT_EQ(runner.processes.size(), 1u) << "nothing redeployed";
  EXPECT_EQ(result->aborted_at, std::nullopt);
}

TEST_F(RollingRunTest, AutoRollbackRedeploysTheStableVersion) {
  prober.answers = {FakeProber::http(503), FakeProber::http(503), FakeProber::http(200, "ok")};
  start(rolling(), make_stable(), /*auto_rollback=*/true);
  const TimePoint first_failure = clock.now();
  finish(0);
  timers.advance(Millis{1000});
  ASSERT_FALSE(result) << "the restore is still running";
  ASSERT_EQ(runner.processes.size(), 2u);
  EXPECT_EQ(current_command(), "./deploy.sh");
  EXPECT_EQ(current_env("OPZENIX_VERSION"), "v1");
  EXPECT_EQ(current_env("OPZENIX_COMMIT_SHA"), "sha-v1");
  EXPECT_EQ(current_env("OPZENIX_IMAGE_TAG"), "tag-v1");
  EXPECT_EQ(current_env("OPZENIX_DEPLOYMENT_ID"), "dep-2");
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kRolledBack);
  EXPECT_EQ(result->error, "health check failed: HTTP 503 (expected 200)");
  EXPECT_EQ(result->first_failure_at, first_failure);
  EXPECT_EQ(result->aborted_at, first_failure + Millis{1000});
  EXPECT_EQ(events.phases(), (std::vector<std::string>{"deploying", "health_check", "rolling_back",
                                                       "health_check"}));
}

TEST_F(RollingRunTest, AFailingRestoreEndsFailedNamingBoth) {
  start(rolling(false), make_stable(), /*auto_rollback=*/true);
  finish(2);
  ASSERT_EQ(runner.processes.size(), 2u) << "a failed deploy command is rolled back too";
  finish(1);
  EXPECT_EQ(outcome(), DeployOutcome::kFailed);
  EXPECT_EQ(
      result->error,
      "deploy command failed: exit code 2; rollback failed: deploy command failed: exit code 1");
}

TEST_F(RollingRunTest, WithoutAStableVersionThereIsNothingToRestore) {
  start(rolling(false), std::nullopt, /*auto_rollback=*/true);
  finish(1);
  EXPECT_EQ(outcome(), DeployOutcome::kFailed);
  EXPECT_EQ(runner.processes.size(), 1u);
}

}  // namespace
}  // namespace opz::deploy::testing
