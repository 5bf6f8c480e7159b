// LeaderGate and BackgroundChecks' gate: cluster-wide scheduled work runs on
// the leader only, and leadership is asked at most once per refresh.
#include <gtest/gtest.h>

#include "app/background_checks.h"

namespace opz::app {
namespace {

using std::chrono::seconds;

TEST(LeaderGate, AsksAtMostOncePerRefreshAndKeepsTheAnswerBetween) {
  ManualClock clock;
  int asked = 0;
  bool grant = true;
  LeaderGate gate(clock, seconds(10), [&]() -> Result<bool> {
    ++asked;
    return grant;
  });
  EXPECT_TRUE(gate.leading());
  grant = false;
  clock.advance(seconds(9));
  EXPECT_TRUE(gate.leading());  // the last answer, not asked again
  EXPECT_EQ(asked, 1);
  clock.advance(seconds(1));
  EXPECT_FALSE(gate.leading());
  EXPECT_EQ(asked, 2);
}

TEST(LeaderGate, AFailedAskMeansNotLeading) {
  ManualClock clock;
  LeaderGate gate(clock, seconds(10),
                  []() -> Result<bool> { return Error::unavailable("database down"); });
  EXPECT_FALSE(gate.leading());
}

TEST(BackgroundChecksGate, TasksRunOnlyWhileTheGateIsOpenAndAreDueAtOnceWhenItOpens) {
  ManualClock clock;
  int runs = 0;
  std::vector<ScheduledTask> tasks;
  tasks.push_back({"scan", seconds(60), [&]() -> Status {
                     ++runs;
                     return {};
                   }});
  BackgroundChecks checks(clock, std::move(tasks));
  bool open = false;
  checks.set_gate([&] { return open; });
  clock.advance(seconds(61));
  EXPECT_EQ(checks.run_due(), 0);
  EXPECT_EQ(runs, 0);
  open = true;
  EXPECT_EQ(checks.run_due(), 1);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(checks.run_due(), 0);  // not due again yet
}

}  // namespace
}  // namespace opz::app
