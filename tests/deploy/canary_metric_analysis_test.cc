// A canary analysis reading an ingested ops metric through the MetricSource
// seam (issue 13), with a recording fake source and the manual clock.
#include <gtest/gtest.h>

#include <deque>

#include "deploy/canary_analysis.h"
#include "deploy_fixture.h"

namespace opz::deploy::testing {
namespace {

using std::chrono::minutes;

pipeline::AnalysisSpec http_5xx(int min_samples, int failure_limit) {
  pipeline::AnalysisSpec spec;
  spec.metric = "http_5xx_pct";
  spec.aggregate = pipeline::MetricAggregate::kMax;
  spec.window = minutes{5};
  spec.max = 5;
  spec.min_samples = min_samples;
  spec.failure_limit = failure_limit;
  spec.interval = Millis{1000};
  return spec;
}

// Answers each read with the next of `answers` and records the query and
// when it was asked.
struct RecordingMetricSource {
  std::deque<Result<double>> answers;
  std::vector<MetricQuery> queries;
  std::vector<TimePoint> asked_at;
  const Clock* clock = nullptr;

  MetricSource source() {
    return [this](const MetricQuery& q) -> Result<double> {
      queries.push_back(q);
      asked_at.push_back(clock->now());
      Result<double> next = answers.front();
      answers.pop_front();
      return next;
    };
  }
};

class CanaryMetricAnalysisTest : public ::testing::Test, public DeployFakes {
 protected:
  CanaryMetricAnalysisTest() { metrics.clock = &clock; }

  void run(const pipeline::AnalysisSpec& spec) {
    analysis.run(spec, {"OPZENIX_CANARY_WEIGHT=10"}, [this](PhaseResult r) {
      result = std::move(r);
      ++done_calls;
    });
  }

  RecordingMetricSource metrics;
  CommandCall commands{runner, timers, events, "/ws"};
  ProbeCall probes{commands, prober, timers};
  HealthCheck health{probes, timers, clock, events};
  CanaryAnalysis analysis{probes, health, timers, clock, events, metrics.source()};
  std::optional<PhaseResult> result;
  int done_calls = 0;
};

TEST_F(CanaryMetricAnalysisTest, PassesWhileTheAggregateStaysUnderTheMaximum) {
  metrics.answers = {1.5, 5.0, 0.0};
  const TimePoint start = clock.now();
  run(http_5xx(/*min_samples=*/3, /*failure_limit=*/1));
  EXPECT_FALSE(result) << "the first read is posted, never inside run()";
  timers.advance(Millis{2000});
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok) << result->error;
  EXPECT_EQ(done_calls, 1);
  MetricQuery want{"http_5xx_pct", pipeline::MetricAggregate::kMax, minutes{5}};
  EXPECT_EQ(metrics.queries, (std::vector<MetricQuery>{want, want, want}));
  EXPECT_EQ(metrics.asked_at, (std::vector<TimePoint>{start, start + Millis{1000},
                                                      start + Millis{2000}}));
  EXPECT_TRUE(runner.processes.empty()) << "no command";
  EXPECT_TRUE(prober.urls.empty()) << "no HTTP";
  ASSERT_EQ(events.probes.size(), 3u);
  EXPECT_EQ(events.probes[0].kind, "analysis");
  EXPECT_EQ(events.probes[0].target, "max(http_5xx_pct) over 5m");
  EXPECT_EQ(events.probes[0].value, 1.5);
  EXPECT_TRUE(events.probes[1].ok);
}

TEST_F(CanaryMetricAnalysisTest, FailsAboveTheMaximum) {
  metrics.answers = {1.0, 12.5};
  run(http_5xx(/*min_samples=*/2, /*failure_limit=*/1));
  timers.advance(Millis{1000});
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->error, "1 of 2 samples failed (last: 12.5 is above the maximum 5)");
  EXPECT_EQ(result->first_failure_at, clock.now());
  ASSERT_EQ(events.probes.size(), 2u);
  EXPECT_FALSE(events.probes[1].ok);
  EXPECT_EQ(events.probes[1].value, 12.5);
}

TEST_F(CanaryMetricAnalysisTest, NoSamplesInTheWindowIsAFailedSample) {
  metrics.answers = {Error::not_found("no http_5xx_pct samples in the last 5m")};
  run(http_5xx(/*min_samples=*/1, /*failure_limit=*/1));
  timers.drain();
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->error,
            "1 of 1 samples failed (last: no http_5xx_pct samples in the last 5m)");
  ASSERT_EQ(events.probes.size(), 1u);
  EXPECT_EQ(events.probes[0].value, std::nullopt);
  EXPECT_EQ(events.probes[0].error, "no http_5xx_pct samples in the last 5m");
}

TEST_F(CanaryMetricAnalysisTest, TheWindowDefaultsToTheInterval) {
  metrics.answers = {0.5};
  pipeline::AnalysisSpec spec = http_5xx(1, 1);
  spec.window.reset();
  spec.interval = Millis{30000};
  run(spec);
  timers.drain();
  ASSERT_EQ(metrics.queries.size(), 1u);
  EXPECT_EQ(metrics.queries[0].window, Millis{30000});
  EXPECT_EQ(events.probes.at(0).target, "max(http_5xx_pct) over 30s");
}

TEST_F(CanaryMetricAnalysisTest, CancelDropsAPendingRead) {
  metrics.answers = {99.0};
  run(http_5xx(1, 1));
  analysis.cancel();
  timers.drain();
  EXPECT_FALSE(result);
  EXPECT_TRUE(metrics.queries.empty());
}

TEST(CanaryMetricAnalysisWithoutSource, FailsWithAClearError) {
  DeployFakes fakes;
  CommandCall commands{fakes.runner, fakes.timers, fakes.events, "/ws"};
  ProbeCall probes{commands, fakes.prober, fakes.timers};
  HealthCheck health{probes, fakes.timers, fakes.clock, fakes.events};
  CanaryAnalysis analysis{probes, health, fakes.timers, fakes.clock, fakes.events};
  std::optional<PhaseResult> result;
  analysis.run(http_5xx(1, 1), {}, [&](PhaseResult r) { result = std::move(r); });
  fakes.timers.drain();
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_NE(result->error.find("no metric source"), std::string::npos) << result->error;
}

TEST(WindowText, NamesTheLargestWholeUnit) {
  EXPECT_EQ(window_text(minutes{5}), "5m");
  EXPECT_EQ(window_text(std::chrono::hours{2}), "2h");
  EXPECT_EQ(window_text(Millis{90000}), "90s");
  EXPECT_EQ(window_text(Millis{1500}), "1500ms");
}

}  // namespace
}  // namespace opz::deploy::testing
