#include "store/pg_outage.h"

#include <gtest/gtest.h>

namespace opz::store {
namespace {

TEST(PgOutageTest, NoOutageMeansConnectAtOnce) {
  ManualClock clock;
  PgOutage outage(clock);
  EXPECT_FALSE(outage.in_outage());
  EXPECT_TRUE(outage.may_attempt());
  EXPECT_FALSE(outage.recovered()) << "nothing to recover from";
}

TEST(PgOutageTest, TheFirstFailureOpensTheOutageOnceAndBacksOffDoubling) {
  ManualClock clock;
  PgOutage outage(clock);
  EXPECT_TRUE(outage.failed()) << "the first failure opens the outage (logged once)";
  EXPECT_FALSE(outage.may_attempt());
  EXPECT_EQ(outage.wait_before_attempt(), Millis{100});
  clock.advance(Millis{100});
  EXPECT_TRUE(outage.may_attempt());
  EXPECT_FALSE(outage.failed()) << "later failures of the same outage are not logged again";
  EXPECT_EQ(outage.wait_before_attempt(), Millis{200});
  for (int i = 0; i < 10; ++i) outage.failed();
  EXPECT_EQ(outage.wait_before_attempt(), PgOutage::kMaxDelay) << "the back-off is capped";
}

TEST(PgOutageTest, RecoveryReportsTheOutagesLengthAndResetsTheBackOff) {
  ManualClock clock;
  PgOutage outage(clock);
  outage.failed();
  clock.advance(Millis{1500});
  outage.failed();
  clock.advance(Millis{1700});
  std::optional<Millis> length = outage.recovered();
  ASSERT_TRUE(length);
  EXPECT_EQ(*length, Millis{3200});
  EXPECT_FALSE(outage.in_outage());
  EXPECT_TRUE(outage.may_attempt());
  EXPECT_TRUE(outage.failed()) << "a new outage is logged again";
  EXPECT_EQ(outage.wait_before_attempt(), Millis{100});
}

}  // namespace
}  // namespace opz::store
