#include "deploy/hook_runner.h"

#include <gtest/gtest.h>

#include "deploy_fixture.h"

namespace opz::deploy::testing {
namespace {

class HookRunnerTest : public ::testing::Test, public DeployFakes {
 protected:
  pipeline::HookSpec migrate(int max_attempts = 6, Millis deadline = Millis{300000}) {
    pipeline::HookSpec hook;
    hook.run = "./migrate.sh";
    hook.max_attempts = max_attempts;
    hook.deadline = deadline;
    return hook;
  }
  void run(const pipeline::HookSpec& hook) {
    hooks.run("migrate", hook, {"OPZENIX_VERSION=v2"}, [this](PhaseResult r) {
      result = std::move(r);
      ++done_calls;
    });
  }
  CommandCall commands{runner, timers, events, "/ws"};
  HookRunner hooks{commands, timers, clock, events};
  std::optional<PhaseResult> result;
  int done_calls = 0;
};

TEST_F(HookRunnerTest, SucceedsOnTheFirstAttemptInTheWorkspace) {
  run(migrate());
  ASSERT_EQ(runner.processes.size(), 1u);
  EXPECT_EQ(runner.processes[0].spec.command, "./migrate.sh");
  EXPECT_EQ(runner.processes[0].spec.cwd, "/ws");
  EXPECT_EQ(env_of(0, "OPZENIX_VERSION"), "v2");
  EXPECT_EQ(runner.processes[0].spec.timeout, Millis{300000}) << "the whole deadline is left";
  finish(0);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok);
  EXPECT_EQ(done_calls, 1);
}

TEST_F(HookRunnerTest, FailingTwiceThenSucceedingWaitsTwoThenFourSeconds) {
  run(migrate());
  const TimePoint t0 = clock.now();
  finish(1);
  EXPECT_FALSE(result);
  EXPECT_EQ(timers.next_delay(), Millis{2000});
  timers.advance(Millis{2000});
  ASSERT_EQ(runner.processes.size(), 2u);
  const TimePoint t1 = clock.now();
  clock.advance(Millis{300});  // the second attempt runs for 300 ms
  finish(1);
  EXPECT_EQ(timers.next_delay(), Millis{4000});
  timers.advance(Millis{4000});
  ASSERT_EQ(runner.processes.size(), 3u);
  const TimePoint t2 = clock.now();
  finish(0);

  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok);
  // The gaps between an attempt's end and the next start: 2 s then 4 s (1:2).
  EXPECT_EQ(t1 - t0, Millis{2000});
  EXPECT_EQ(t2 - t1, Millis{300} + Millis{4000});
  // Each attempt's timeout is what is left of the deadline.
  EXPECT_EQ(runner.processes[2].spec.timeout, Millis{300000 - 2000 - 300 - 4000});
  // Attempts are logged with their outcome and the next delay.
  EXPECT_NE(
      std::find(events.logs.begin(), events.logs.end(),
                "warn: hook migrate: attempt 1 of 6 failed (exit code 1); next attempt in 2s"),
      events.logs.end());
  EXPECT_NE(
      std::find(events.logs.begin(), events.logs.end(),
                "warn: hook migrate: attempt 2 of 6 failed (exit code 1); next attempt in 4s"),
      events.logs.end());
}

TEST_F(HookRunnerTest, StopsAfterMaxAttemptsWithTheLastReason) {
  run(migrate(/*max_attempts=*/3));
  finish(1);
  timers.advance(Millis{2000});
  finish(1);
  timers.advance(Millis{4000});
  runner.time_out();
  timers.drain();
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->error, "hook migrate failed after 3 attempts (last: timed out)");
  EXPECT_EQ(runner.processes.size(), 3u);
  EXPECT_EQ(timers.delayed(), 0u);
}

TEST_F(HookRunnerTest, TheDeadlineStopsRetries) {
  // 2 s + 4 s of waiting fit in 10 s; the third wait (8 s) would not.
  run(migrate(/*max_attempts=*/6, /*deadline=*/Millis{10000}));
  finish(1);
  timers.advance(Millis{2000});
  finish(1);
  timers.advance(Millis{4000});
  finish(1);
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->error,
            "hook migrate deadline of 10s reached after 3 attempts (last: exit code 1)");
  EXPECT_EQ(runner.processes.size(), 3u);
  EXPECT_EQ(runner.processes[2].spec.timeout, Millis{4000}) << "10 s - 2 s - 4 s";
}

TEST_F(HookRunnerTest, CancelDropsTheHookAndItsPendingRetry) {
  run(migrate());
  finish(1);
  ASSERT_EQ(timers.delayed(), 1u);
  hooks.cancel();
  timers.advance(Millis{60000});
  EXPECT_EQ(runner.processes.size(), 1u) << "no retry after cancel";
  EXPECT_FALSE(result);
}

TEST_F(HookRunnerTest, CancelStopsTheRunningAttempt) {
  run(migrate());
  hooks.cancel();
  timers.drain();
  EXPECT_TRUE(runner.processes[0].cancel_requested);
  EXPECT_FALSE(result) << "the cancelled process's exit is not reported";
}

}  // namespace
}  // namespace opz::deploy::testing
