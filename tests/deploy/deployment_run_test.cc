// What every strategy shares (strategy_run.cc): hooks around the deploy,
// cancel, lifetime, and the outcome names.
#include "deploy/deployment_run.h"

#include <gtest/gtest.h>

#include "deploy_fixture.h"

namespace opz::deploy::testing {
namespace {

pipeline::HookSpec hook(std::string run, pipeline::HookWhen when, int max_attempts = 1) {
  pipeline::HookSpec h;
  h.run = std::move(run);
  h.when = when;
  h.max_attempts = max_attempts;
  return h;
}

pipeline::DeploySpec with_hooks() {
  pipeline::DeploySpec spec;
  spec.hooks.migrate = hook("./migrate.sh", pipeline::HookWhen::kPreDeploy, 3);
  spec.hooks.seed = hook("./seed.sh", pipeline::HookWhen::kPostDeploy);
  spec.hooks.rollback = hook("./down.sh", pipeline::HookWhen::kPreDeploy);
  return spec;
}

using DeploymentRunTest = DeployRunTest;

TEST(DeployOutcomeTest, Names) {
  EXPECT_EQ(to_string(DeployOutcome::kSucceeded), "succeeded");
  EXPECT_EQ(to_string(DeployOutcome::kFailed), "failed");
  EXPECT_EQ(to_string(DeployOutcome::kBlocked), "blocked");
  EXPECT_EQ(to_string(DeployOutcome::kRolledBack), "rolled_back");
  EXPECT_EQ(to_string(DeployOutcome::kCancelled), "cancelled");
}

TEST_F(DeploymentRunTest, HooksRunAroundTheDeploy) {
  start(with_hooks(), make_stable());
  EXPECT_EQ(current_command(), "./migrate.sh");
  EXPECT_EQ(current_env("OPZENIX_VERSION"), "v2");
  finish(0);
  EXPECT_EQ(current_command(), "./deploy.sh");
  finish(0);
  EXPECT_EQ(current_command(), "./seed.sh");
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
  EXPECT_EQ(runner.commands(),
            (std::vector<std::string>{"./migrate.sh", "./deploy.sh", "./seed.sh"}))
      << "the rollback hook runs only for a rollback";
  EXPECT_EQ(events.phases(), (std::vector<std::string>{"hook migrate", "deploying", "hook seed"}));
}

TEST_F(DeploymentRunTest, AFailingPreDeployHookBlocksBeforeTheDeploy) {
  start(with_hooks(), make_stable(), /*auto_rollback=*/true);
  finish(1);
  timers.advance(Millis{2000});
  finish(1);
  timers.advance(Millis{4000});
  finish(1);
  EXPECT_EQ(outcome(), DeployOutcome::kBlocked);
  EXPECT_EQ(result->error, "hook migrate failed after 3 attempts (last: exit code 1)");
  EXPECT_EQ(runner.commands(),
            (std::vector<std::string>{"./migrate.sh", "./migrate.sh", "./migrate.sh"}))
      << "the deploy command never started";
}

TEST_F(DeploymentRunTest, AMigrationFailingTwiceThenSucceedingBacksOffOneToTwo) {
  start(with_hooks(), make_stable());
  std::vector<TimePoint> attempts = {clock.now()};
  finish(1);
  timers.advance(*timers.next_delay());
  attempts.push_back(clock.now());
  finish(1);
  timers.advance(*timers.next_delay());
  attempts.push_back(clock.now());
  finish(0);
  EXPECT_EQ(current_command(), "./deploy.sh");
  const auto first_gap = attempts[1] - attempts[0];
  const auto second_gap = attempts[2] - attempts[1];
  EXPECT_EQ(first_gap, Millis{2000});
  EXPECT_EQ(second_gap, 2 * first_gap);
}

TEST_F(DeploymentRunTest, APostDeployHookFailureTriggersTheRollbackPolicy) {
  pipeline::DeploySpec spec = with_hooks();
  spec.hooks.migrate.reset();
  start(spec, make_stable(), /*auto_rollback=*/true);
  finish(0);  // deploy
  finish(1);  // seed
  EXPECT_EQ(current_command(), "./deploy.sh");
  EXPECT_EQ(current_env("OPZENIX_VERSION"), "v1") << "the stable version is redeployed";
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kRolledBack);
  EXPECT_EQ(result->error, "hook seed failed after 1 attempt (last: exit code 1)");
}

TEST_F(DeploymentRunTest, ARollbackTargetRunsItsRollbackHookFirst) {
  DeployTarget target = make_target("v1");
  target.is_rollback = true;
  start(with_hooks(), make_stable(), false, target);
  EXPECT_EQ(current_command(), "./down.sh");
  EXPECT_EQ(current_env("OPZENIX_VERSION"), "v1");
  finish(0);
  EXPECT_EQ(current_command(), "./migrate.sh");
  finish(0);
  finish(0);
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
  EXPECT_EQ(runner.commands(),
            (std::vector<std::string>{"./down.sh", "./migrate.sh", "./deploy.sh", "./seed.sh"}));
}

TEST_F(DeploymentRunTest, CancelStopsTheRunningCommand) {
  start(pipeline::DeploySpec{}, make_stable());
  ASSERT_EQ(runner.processes.size(), 1u);
  run->cancel();
  EXPECT_TRUE(runner.processes[0].cancel_requested);
  EXPECT_EQ(outcome(), DeployOutcome::kCancelled);
  run->cancel();
  timers.drain();  // the cancelled process's exit arrives late
  EXPECT_EQ(done_calls, 1);
  EXPECT_EQ(runner.processes.size(), 1u) << "nothing runs after cancel";
}

TEST_F(DeploymentRunTest, CancelDuringABackoffDropsTheRetry) {
  start(with_hooks(), make_stable());
  finish(1);
  run->cancel();
  timers.advance(Millis{60000});
  EXPECT_EQ(outcome(), DeployOutcome::kCancelled);
  EXPECT_EQ(runner.processes.size(), 1u);
}

TEST_F(DeploymentRunTest, DoneNeverRunsInsideStart) {
  pipeline::DeploySpec spec;
  DeployTarget target = make_target();
  target.steps.clear();
  run = DeploymentRun::create(spec, target, std::nullopt, false, seams(), events,
                              [this](DeployResult r) { result = r; });
  run->start();
  EXPECT_FALSE(result);
  timers.drain();
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
}

TEST_F(DeploymentRunTest, ARunnerThatRefusesWorkFailsTheDeploy) {
  runner.refuse = true;
  start(pipeline::DeploySpec{});
  EXPECT_EQ(outcome(), DeployOutcome::kFailed);
  EXPECT_EQ(result->error,
            "deploy command failed: could not start: the runner accepts no more work (shutting "
            "down)");
}

TEST_F(DeploymentRunTest, TheRunKeepsItselfAliveUntilDone) {
  start(pipeline::DeploySpec{});
  std::weak_ptr<DeploymentRun> weak = run;
  run.reset();
  ASSERT_FALSE(weak.expired());
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
  EXPECT_TRUE(weak.expired());
}

}  // namespace
}  // namespace opz::deploy::testing
