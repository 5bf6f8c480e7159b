#include "deploy/health_check.h"

#include <gtest/gtest.h>

#include "deploy_fixture.h"

namespace opz::deploy::testing {
namespace {

class HealthCheckTest : public ::testing::Test, public DeployFakes {
 protected:
  void run(const pipeline::HealthCheckSpec& spec) {
    health.run(spec, {"OPZENIX_SLOT=green"}, "health", [this](PhaseResult r) {
      result = std::move(r);
      ++done_calls;
    });
    timers.drain();
  }

  CommandCall commands{runner, timers, events, "/ws"};
  ProbeCall probes{commands, prober, timers};
  HealthCheck health{probes, timers, clock, events};
  std::optional<PhaseResult> result;
  int done_calls = 0;
};

TEST(JudgeHttpProbeTest, NeedsTheStatusAndTheBodyText) {
  pipeline::HttpProbeSpec spec{"http://x/health", 200, "ok"};
  EXPECT_TRUE(judge_http_probe(spec, FakeProber::http(200, "all ok")).ok);
  EXPECT_EQ(judge_http_probe(spec, FakeProber::http(503, "ok")).error, "HTTP 503 (expected 200)");
  EXPECT_EQ(judge_http_probe(spec, FakeProber::http(200, "down")).error,
            "body does not contain \"ok\"");
  EXPECT_EQ(judge_http_probe(spec, FakeProber::refused()).error, "connection refused");
  spec.body_contains.clear();
  EXPECT_TRUE(judge_http_probe(spec, FakeProber::http(200, "")).ok);
}

TEST_F(HealthCheckTest, PassesAfterSuccessThresholdPassesInARow) {
  prober.answers = {FakeProber::http(200, "ok"), FakeProber::http(503), FakeProber::http(200, "ok"),
                    FakeProber::http(200, "ok")};
  run(http_check(/*retries=*/3, /*success_threshold=*/2));
  EXPECT_FALSE(result);
  timers.advance(Millis{1000});  // the failure resets the streak
  timers.advance(Millis{1000});
  EXPECT_FALSE(result);
  timers.advance(Millis{1000});
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok);
  EXPECT_EQ(done_calls, 1);
  ASSERT_EQ(events.probes.size(), 4u);
  EXPECT_EQ(events.probes[1].kind, "health");
  EXPECT_EQ(events.probes[1].target, "http://127.0.0.1:8081/health");
  EXPECT_FALSE(events.probes[1].ok);
  EXPECT_EQ(events.probes[1].status_code, 503);
  EXPECT_EQ(events.probes[1].latency, Millis{3});
  EXPECT_EQ(events.probes[3].at - events.probes[0].at, Millis{3000}) << "one interval apart";
  EXPECT_EQ(prober.timeouts.at(0), Millis{2000});
  EXPECT_EQ(timers.delayed(), 0u) << "no probe after the verdict";
}

TEST_F(HealthCheckTest, FailsAfterRetriesFailuresInARow) {
  prober.answers = {FakeProber::http(503), FakeProber::http(200, "ok"), FakeProber::http(503),
                    FakeProber::refused(), FakeProber::http(500)};
  run(http_check(/*retries=*/3, /*success_threshold=*/2));
  const TimePoint streak_start = clock.now() + Millis{2000};
  timers.advance(Millis{4000});
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->error, "HTTP 500 (expected 200)");
  EXPECT_EQ(result->first_failure_at, streak_start) << "the failing streak began with probe 3";
  EXPECT_EQ(events.probes.size(), 5u);
}

TEST_F(HealthCheckTest, ACommandProbePassesWhenItExitsZero) {
  pipeline::HealthCheckSpec spec;
  spec.command = "curl -fsS http://127.0.0.1:8082/health";
  spec.retries = 2;
  spec.timeout = Millis{1500};
  run(spec);
  ASSERT_EQ(runner.processes.size(), 1u);
  EXPECT_EQ(runner.processes[0].spec.timeout, Millis{1500});
  EXPECT_EQ(env_of(0, "OPZENIX_SLOT"), "green");
  finish(7);
  timers.advance(Millis{1000});
  runner.time_out();
  timers.drain();
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->error, "timed out");
  ASSERT_EQ(events.probes.size(), 2u);
  EXPECT_EQ(events.probes[0].error, "exit code 7");
  EXPECT_EQ(events.probes[0].target, spec.command);
}

TEST_F(HealthCheckTest, CancelStopsProbing) {
  prober.fallback = FakeProber::http(503);
  run(http_check(/*retries=*/5));
  health.cancel();
  timers.advance(Millis{10000});
  EXPECT_EQ(prober.urls.size(), 1u);
  EXPECT_FALSE(result);
}

}  // namespace
}  // namespace opz::deploy::testing
