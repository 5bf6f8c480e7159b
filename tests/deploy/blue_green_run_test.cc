// Blue-green deployments through DeploymentRun (blue_green_run.cc).
#include "deploy/deployment_run.h"

#include <gtest/gtest.h>

#include "deploy_fixture.h"

namespace opz::deploy::testing {
namespace {

pipeline::DeploySpec blue_green(Millis cleanup_delay = Millis{30000}) {
  pipeline::DeploySpec spec;
  spec.strategy = pipeline::DeployStrategy::kBlueGreen;
  spec.health_check = http_check(/*retries=*/2);
  spec.switch_command = "./switch.sh";
  spec.cleanup_command = "./stop-idle.sh";
  spec.cleanup_delay = cleanup_delay;
  return spec;
}

using BlueGreenRunTest = DeployRunTest;

TEST_F(BlueGreenRunTest, AFirstDeploymentGoesToBlue) {
  start(blue_green());
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "blue");
  EXPECT_EQ(current_env("OPZENIX_PREVIOUS_SLOT"), "");
  EXPECT_EQ(current_env("OPZENIX_STRATEGY"), "blue_green");
  finish(0);
  EXPECT_EQ(current_command(), "./switch.sh");
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
  EXPECT_EQ(result->slot, "blue");
  EXPECT_EQ(timers.delayed(), 0u) << "no previous slot to clean up";
}

TEST_F(BlueGreenRunTest, DeploysToTheIdleSlotSwitchesAndCleansUpLater) {
  start(blue_green(), make_stable("blue"));
  EXPECT_EQ(current_command(), "./deploy.sh");
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "green");
  EXPECT_EQ(current_env("OPZENIX_PREVIOUS_SLOT"), "blue");
  EXPECT_EQ(current_env("OPZENIX_VERSION"), "v2");
  finish(0);
  ASSERT_EQ(prober.urls.size(), 1u) << "the new slot is checked before the switch";
  EXPECT_EQ(current_command(), "./switch.sh");
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "green");
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
  EXPECT_EQ(result->slot, "green");
  EXPECT_EQ(events.phases(), (std::vector<std::string>{"deploying", "health_check", "switching"}));

  // The previous slot stays for an instant switch back until the delay passed,
  // and the run keeps itself alive for it.
  std::weak_ptr<DeploymentRun> weak = run;
  run.reset();
  const size_t reported = events.progresses.size() + events.logs.size() + events.outputs.size();
  timers.advance(Millis{29999});
  EXPECT_EQ(runner.processes.size(), 2u);
  ASSERT_FALSE(weak.expired());
  timers.advance(Millis{1});
  EXPECT_EQ(current_command(), "./stop-idle.sh");
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "blue");
  finish(0, {"stopped blue"});
  EXPECT_EQ(done_calls, 1) << "the cleanup comes after done";
  EXPECT_EQ(events.progresses.size() + events.logs.size() + events.outputs.size(), reported)
      << "nothing reaches the caller's events after done";
  EXPECT_TRUE(weak.expired()) << "released after the cleanup";
}

TEST_F(BlueGreenRunTest, TheNextDeploymentGoesBackToBlue) {
  start(blue_green(), make_stable("green"));
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "blue");
  EXPECT_EQ(current_env("OPZENIX_PREVIOUS_SLOT"), "green");
}

TEST_F(BlueGreenRunTest, CancelDropsAPendingCleanup) {
  start(blue_green(), make_stable("blue"));
  finish(0);
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
  run->cancel();
  timers.advance(Millis{60000});
  EXPECT_EQ(runner.processes.size(), 2u) << "no cleanup";
  EXPECT_EQ(done_calls, 1);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
}

TEST_F(BlueGreenRunTest, AFailedHealthCheckNeverSwitches) {
  prober.fallback = FakeProber::http(500);
  start(blue_green(), make_stable("blue"), /*auto_rollback=*/true);
  finish(0);
  timers.advance(Millis{1000});
  EXPECT_EQ(outcome(), DeployOutcome::kRolledBack);
  EXPECT_EQ(result->error,
            "health check failed: HTTP 500 (expected 200); the stable version v1 keeps serving "
            "from slot blue");
  EXPECT_EQ(result->slot, "blue");
  EXPECT_EQ(runner.commands(), (std::vector<std::string>{"./deploy.sh"})) << "no switch";
  EXPECT_TRUE(result->first_failure_at.has_value());
  EXPECT_TRUE(result->aborted_at.has_value());
}

TEST_F(BlueGreenRunTest, WithoutAutoRollbackAFailedCheckFails) {
  prober.fallback = FakeProber::http(500);
  start(blue_green(), make_stable("blue"), /*auto_rollback=*/false);
  finish(0);
  timers.advance(Millis{1000});
  EXPECT_EQ(outcome(), DeployOutcome::kFailed);
  EXPECT_EQ(result->slot, "blue");
  EXPECT_EQ(runner.commands(), (std::vector<std::string>{"./deploy.sh"}));
}

TEST_F(BlueGreenRunTest, APostDeployHookFailureSwitchesBack) {
  pipeline::DeploySpec spec = blue_green();
  pipeline::HookSpec seed;
  seed.run = "./seed.sh";
  seed.when = pipeline::HookWhen::kPostDeploy;
  seed.max_attempts = 1;
  spec.hooks.seed = seed;
  start(spec, make_stable("blue"), /*auto_rollback=*/true);
  finish(0);  // deploy
  finish(0);  // switch
  EXPECT_EQ(current_command(), "./seed.sh");
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "green");
  finish(1);
  EXPECT_EQ(current_command(), "./switch.sh");
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "blue") << "switch back";
  EXPECT_EQ(current_env("OPZENIX_PREVIOUS_SLOT"), "green");
  EXPECT_EQ(current_env("OPZENIX_VERSION"), "v1");
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kRolledBack);
  EXPECT_EQ(result->error, "hook seed failed after 1 attempt (last: exit code 1)");
  EXPECT_EQ(result->slot, "blue");
  EXPECT_EQ(timers.delayed(), 0u) << "nothing to clean up after a rollback";
}

}  // namespace
}  // namespace opz::deploy::testing
