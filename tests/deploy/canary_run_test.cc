// Canary deployments through DeploymentRun (canary_run.cc).
#include "deploy/deployment_run.h"

#include <gtest/gtest.h>

#include "deploy_fixture.h"

namespace opz::deploy::testing {
namespace {

pipeline::CanaryStep weight(int w) { return {pipeline::CanaryStepKind::kSetWeight, w, {}, {}}; }
pipeline::CanaryStep pause(std::optional<Millis> d) {
  return {pipeline::CanaryStepKind::kPause, 0, d, {}};
}
pipeline::CanaryStep analysis(int min_samples) {
  pipeline::AnalysisSpec a;
  a.command = "./error-rate.sh";
  a.max = 0.01;
  a.min_samples = min_samples;
  a.failure_limit = 1;
  a.interval = Millis{1000};
  return {pipeline::CanaryStepKind::kAnalysis, 0, {}, a};
}

pipeline::DeploySpec canary(std::vector<pipeline::CanaryStep> steps) {
  pipeline::DeploySpec spec;
  spec.strategy = pipeline::DeployStrategy::kCanary;
  spec.traffic_command = "./weights.sh";
  spec.steps = std::move(steps);
  return spec;
}

class CanaryRunTest : public DeployRunTest {
 protected:
  // The OPZENIX_CANARY_WEIGHT of every traffic command so far.
  std::vector<std::string> weights() const {
    std::vector<std::string> out;
    for (size_t i = 0; i < runner.processes.size(); ++i) {
      if (runner.processes[i].spec.command == "./weights.sh") {
        out.push_back(env_of(i, "OPZENIX_CANARY_WEIGHT"));
      }
    }
    return out;
  }
};

TEST_F(CanaryRunTest, TheDefaultStepsShiftTenThenFiftyThenAllTraffic) {
  start(canary({}), make_stable("blue"));
  EXPECT_EQ(current_command(), "./deploy.sh");
  EXPECT_EQ(current_env("OPZENIX_CANARY_WEIGHT"), "0");
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "green");
  EXPECT_EQ(current_env("OPZENIX_PREVIOUS_SLOT"), "blue");
  finish(0);
  finish(0);  // 10%
  EXPECT_EQ(timers.next_delay(), Millis{300000}) << "pause 5m";
  timers.advance(Millis{300000});
  finish(0);  // 50%
  timers.advance(Millis{300000});
  finish(0);  // 100%
  EXPECT_EQ(weights(), (std::vector<std::string>{"10", "50", "100"}));
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
  EXPECT_EQ(result->slot, "green");
  EXPECT_EQ(events.phases(), (std::vector<std::string>{"deploying", "canary 10%", "paused",
                                                       "canary 50%", "paused", "canary 100%"}));
  EXPECT_EQ(events.progresses[2].weight, 10) << "paused at 10%";
}

TEST_F(CanaryRunTest, AnIndefinitePauseWaitsForPromote) {
  start(canary({weight(20), pause(std::nullopt), weight(60)}), make_stable("green"));
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "blue");
  EXPECT_FALSE(run->promote()) << "not paused yet";
  finish(0);
  finish(0);  // 20%
  timers.advance(Millis{3600000});
  EXPECT_EQ(runner.running(), 0u);
  EXPECT_FALSE(result) << "still paused";
  EXPECT_TRUE(run->promote());
  EXPECT_FALSE(run->promote()) << "no longer paused";
  finish(0);  // 60%
  finish(0);  // the final 100%
  EXPECT_EQ(weights(), (std::vector<std::string>{"20", "60", "100"}));
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
}

TEST_F(CanaryRunTest, PromoteEndsATimedPauseEarly) {
  start(canary({weight(10), pause(Millis{60000}), weight(100)}), make_stable("blue"));
  finish(0);
  finish(0);
  EXPECT_TRUE(run->promote());
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kSucceeded);
  timers.advance(Millis{60000});
  EXPECT_EQ(weights(), (std::vector<std::string>{"10", "100"})) << "the old timer does nothing";
}

TEST_F(CanaryRunTest, AFailingAnalysisSetsTheWeightBackToZero) {
  start(canary({weight(10), analysis(/*min_samples=*/3), weight(100)}), make_stable("blue"),
        /*auto_rollback=*/false);
  finish(0);
  finish(0);  // 10%
  EXPECT_EQ(current_command(), "./error-rate.sh");
  const TimePoint first_failure = clock.now();
  finish(0, {"0.2"});
  timers.advance(Millis{1000});
  finish(0, {"0.3"});
  timers.advance(Millis{1000});
  EXPECT_EQ(current_command(), "./error-rate.sh") << "not judged before 3 samples";
  finish(0, {"0.4"});
  EXPECT_EQ(current_command(), "./weights.sh");
  EXPECT_EQ(current_env("OPZENIX_CANARY_WEIGHT"), "0");
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kRolledBack) << "whatever auto_rollback says";
  EXPECT_EQ(result->error,
            "canary analysis failed: 3 of 3 samples failed (last: 0.4 is above the maximum 0.01)");
  EXPECT_EQ(result->first_failure_at, first_failure);
  EXPECT_EQ(result->aborted_at, first_failure + Millis{2000});
  EXPECT_EQ(result->slot, "blue");
  EXPECT_EQ(weights(), (std::vector<std::string>{"10", "0"}));
  EXPECT_EQ(events.probes.size(), 3u);
}

TEST_F(CanaryRunTest, AbortDuringAPauseSetsWeightZero) {
  pipeline::DeploySpec spec = canary({weight(50), pause(std::nullopt)});
  pipeline::HookSpec migrate;
  migrate.run = "./migrate.sh";
  spec.hooks.migrate = migrate;
  start(spec, make_stable("blue"));
  EXPECT_FALSE(run->abort("too early")) << "nothing deployed yet: the hooks run";
  finish(0);  // migrate
  finish(0);  // deploy
  finish(0);  // 50%
  EXPECT_TRUE(run->abort("latency regression"));
  EXPECT_FALSE(run->abort("again"));
  EXPECT_FALSE(run->promote()) << "the pause ended with the abort";
  EXPECT_EQ(current_env("OPZENIX_CANARY_WEIGHT"), "0");
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kRolledBack);
  EXPECT_EQ(result->error, "canary aborted: latency regression");
  EXPECT_EQ(result->aborted_at, clock.now());
}

TEST_F(CanaryRunTest, AFailingTrafficCommandAbortsAndAFailedRestoreFails) {
  start(canary({weight(10)}), make_stable("blue"));
  finish(0);
  finish(3);  // 10% failed
  EXPECT_EQ(current_env("OPZENIX_CANARY_WEIGHT"), "0");
  finish(4);
  EXPECT_EQ(outcome(), DeployOutcome::kFailed);
  EXPECT_EQ(result->error,
            "traffic command failed: exit code 3; rollback failed: traffic command (weight 0) "
            "failed: exit code 4");
}

TEST_F(CanaryRunTest, AbortWhileTheCanaryDeploysStopsTheDeploy) {
  start(canary({weight(10)}), make_stable("blue"));
  EXPECT_TRUE(run->abort("wrong build"));
  EXPECT_TRUE(runner.processes[0].cancel_requested);
  timers.drain();
  EXPECT_EQ(current_command(), "./weights.sh");
  EXPECT_EQ(current_env("OPZENIX_CANARY_WEIGHT"), "0");
  finish(0);
  EXPECT_EQ(outcome(), DeployOutcome::kRolledBack);
  EXPECT_EQ(weights(), (std::vector<std::string>{"0"}));
}

TEST_F(CanaryRunTest, AFirstCanaryHasNoStableVersionToFallBackTo) {
  start(canary({weight(10)}));
  EXPECT_EQ(current_env("OPZENIX_SLOT"), "blue");
  finish(1);  // the deploy failed
  finish(0);  // weight 0
  EXPECT_EQ(outcome(), DeployOutcome::kFailed);
  EXPECT_EQ(result->error, "deploy command failed: exit code 1");
}

}  // namespace
}  // namespace opz::deploy::testing
