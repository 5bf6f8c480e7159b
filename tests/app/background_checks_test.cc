#include "app/background_checks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opz::app {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class BackgroundChecksTest : public ::testing::Test {
 protected:
  ScheduledTask recording(const std::string& name, std::chrono::milliseconds every,
                          bool fails = false) {
    return {name, every, [this, name, fails]() -> Status {
              ran_.push_back(name);
              if (fails) return Error::unavailable(name + " could not run");
              return {};
            }};
  }
  ManualClock clock_;
  std::vector<std::string> ran_;
};

TEST_F(BackgroundChecksTest, NothingRunsAtStartThenEachTaskAtItsOwnInterval) {
  BackgroundChecks checks(clock_, {recording("scan", minutes(5)), recording("connections", minutes(2))});
  EXPECT_EQ(checks.run_due(), 0) << "a restart does not fire a burst of checks";
  clock_.advance(minutes(2));  // t = 2
  EXPECT_EQ(checks.run_due(), 1);
  EXPECT_EQ(ran_, (std::vector<std::string>{"connections"}));
  EXPECT_EQ(checks.run_due(), 0) << "once per interval";
  clock_.advance(minutes(1));  // t = 3
  EXPECT_EQ(checks.run_due(), 0);
  clock_.advance(minutes(1));  // t = 4
  EXPECT_EQ(checks.run_due(), 1);
  clock_.advance(minutes(1));  // t = 5: the scan's first turn; connections ran at 4
  EXPECT_EQ(checks.run_due(), 1);
  EXPECT_EQ(ran_, (std::vector<std::string>{"connections", "connections", "scan"}));
}

TEST_F(BackgroundChecksTest, AZeroIntervalNeverRunsAndAFailureWaitsAWholeInterval) {
  BackgroundChecks checks(clock_, {recording("off", seconds(0)), recording("flaky", minutes(1), true)});
  clock_.advance(minutes(1));
  EXPECT_EQ(checks.run_due(), 1);
  clock_.advance(seconds(59));
  EXPECT_EQ(checks.run_due(), 0) << "a failed run is not retried at once";
  clock_.advance(seconds(1));
  EXPECT_EQ(checks.run_due(), 1);
  EXPECT_EQ(ran_, (std::vector<std::string>{"flaky", "flaky"}));
}

TEST_F(BackgroundChecksTest, StopEndsTheThreadBeforeATickPassed) {
  BackgroundChecks checks(clock_, {recording("scan", minutes(5))}, std::chrono::hours(1));
  checks.start();
  checks.stop();  // must not wait for the hour-long tick
  checks.stop();  // twice is harmless
  EXPECT_TRUE(ran_.empty());
}

}  // namespace
}  // namespace opz::app
