#include "deploy/canary_analysis.h"

#include <gtest/gtest.h>

#include "deploy_fixture.h"

namespace opz::deploy::testing {
namespace {

pipeline::AnalysisSpec error_rate(int min_samples, int failure_limit) {
  pipeline::AnalysisSpec spec;
  spec.command = "./error-rate.sh";
  spec.max = 0.01;
  spec.min_samples = min_samples;
  spec.failure_limit = failure_limit;
  spec.interval = Millis{1000};
  spec.timeout = Millis{3000};
  return spec;
}

class CanaryAnalysisTest : public ::testing::Test, public DeployFakes {
 protected:
  void run(const pipeline::AnalysisSpec& spec) {
    analysis.run(spec, {"OPZENIX_CANARY_WEIGHT=10"}, [this](PhaseResult r) {
      result = std::move(r);
      ++done_calls;
    });
    timers.drain();
  }
  // Answers the running sample command with `stdout`, then waits one interval.
  void sample(const std::string& stdout_text) {
    finish(0, {stdout_text});
    timers.advance(Millis{1000});
  }

  CommandCall commands{runner, timers, events, "/ws"};
  ProbeCall probes{commands, prober, timers};
  HealthCheck health{probes, timers, clock, events};
  CanaryAnalysis analysis{probes, health, timers, clock, events};
  std::optional<PhaseResult> result;
  int done_calls = 0;
};

TEST(ParseSampleTest, ReadsExactlyOneNumber) {
  EXPECT_EQ(parse_sample("0.004\n"), 0.004);
  EXPECT_EQ(parse_sample("  12 "), 12.0);
  EXPECT_EQ(parse_sample("-1.5e-3"), -1.5e-3);
  EXPECT_EQ(parse_sample(""), std::nullopt);
  EXPECT_EQ(parse_sample("0.1 0.2"), std::nullopt);
  EXPECT_EQ(parse_sample("1%"), std::nullopt);
  EXPECT_EQ(parse_sample("nan"), std::nullopt);
}

TEST(JudgeSampleTest, ComparesWithTheThreshold) {
  pipeline::AnalysisSpec spec = error_rate(1, 1);
  SampleVerdict low = judge_sample(spec, FakeProber::http(200, "0.002"));
  EXPECT_TRUE(low.ok);
  EXPECT_EQ(low.value, 0.002);
  SampleVerdict high = judge_sample(spec, FakeProber::http(200, "0.5"));
  EXPECT_FALSE(high.ok);
  EXPECT_EQ(high.value, 0.5);
  EXPECT_EQ(high.error, "0.5 is above the maximum 0.01");
  EXPECT_EQ(judge_sample(spec, FakeProber::http(500, "0.0")).error, "HTTP 500");
  EXPECT_EQ(judge_sample(spec, FakeProber::http(200, "error")).error, "not a number: \"error\"");
  spec.max.reset();
  spec.min = 0.99;
  EXPECT_EQ(judge_sample(spec, FakeProber::http(200, "0.9")).error,
            "0.9 is below the minimum 0.99");
  EXPECT_TRUE(judge_sample(spec, FakeProber::http(200, "1")).ok);
}

TEST_F(CanaryAnalysisTest, NoVerdictBeforeMinSamples) {
  run(error_rate(/*min_samples=*/3, /*failure_limit=*/1));
  ASSERT_EQ(runner.processes.size(), 1u);
  EXPECT_EQ(runner.processes[0].spec.timeout, Millis{3000});
  EXPECT_EQ(env_of(0, "OPZENIX_CANARY_WEIGHT"), "10");
  const TimePoint first_failure = clock.now();
  sample("0.5");  // failing, but not judged yet
  EXPECT_FALSE(result);
  sample("0.5");
  EXPECT_FALSE(result);
  finish(0, {"0.5"});
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->error, "3 of 3 samples failed (last: 0.5 is above the maximum 0.01)");
  EXPECT_EQ(result->first_failure_at, first_failure);
  ASSERT_EQ(events.probes.size(), 3u);
  EXPECT_EQ(events.probes[0].kind, "analysis");
  EXPECT_EQ(events.probes[0].value, 0.5);
  EXPECT_EQ(events.probes[0].target, "./error-rate.sh");
  EXPECT_EQ(events.outputs.at(0), "0.5") << "the sample command's output is shown";
}

TEST_F(CanaryAnalysisTest, PassesWithFewerFailuresThanTheLimit) {
  run(error_rate(/*min_samples=*/3, /*failure_limit=*/2));
  sample("0.001");
  sample("not a number");
  finish(0, {"0.002"});
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok);
  EXPECT_EQ(runner.processes.size(), 3u);
  EXPECT_FALSE(events.probes[1].ok);
  EXPECT_EQ(events.probes[1].value, std::nullopt);
}

TEST_F(CanaryAnalysisTest, AnHttpMetricIsReadFromTheBody) {
  pipeline::AnalysisSpec spec = error_rate(2, 1);
  spec.command.clear();
  spec.url = "http://127.0.0.1:9090/error-rate";
  prober.answers = {FakeProber::http(200, "0.001\n"), FakeProber::http(200, "0.2")};
  run(spec);
  timers.advance(Millis{1000});
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(prober.urls, (std::vector<std::string>{spec.url, spec.url}));
  EXPECT_EQ(prober.timeouts.at(0), Millis{3000});
  EXPECT_EQ(result->first_failure_at, clock.now());
}

TEST_F(CanaryAnalysisTest, AHealthCheckAnalysisUsesHealthSemantics) {
  pipeline::AnalysisSpec spec;
  spec.health = http_check(/*retries=*/2);
  prober.answers = {FakeProber::http(503), FakeProber::http(503)};
  run(spec);
  timers.advance(Millis{1000});
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->error, "HTTP 503 (expected 200)");
  ASSERT_EQ(events.probes.size(), 2u);
  EXPECT_EQ(events.probes[0].kind, "analysis");
}

TEST_F(CanaryAnalysisTest, CancelStopsSampling) {
  run(error_rate(5, 1));
  sample("0.0");
  analysis.cancel();
  timers.advance(Millis{10000});
  EXPECT_EQ(runner.processes.size(), 2u);
  EXPECT_TRUE(runner.processes[1].cancel_requested);
  EXPECT_FALSE(result);
}

}  // namespace
}  // namespace opz::deploy::testing
