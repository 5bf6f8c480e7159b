#include "realtime/fanout_pacer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace opz::realtime {
namespace {

using us = std::chrono::microseconds;

TEST(FanoutPacer, EachFanOutIsChargedPerClientUpToTheCap) {
  FanoutPacer p(us(40), us(50'000));
  EXPECT_EQ(p.fanned_out(0), us(0));  // nobody written to: read again at once
  EXPECT_EQ(p.fanned_out(2), us(80));
  EXPECT_EQ(p.fanned_out(1'000), us(40'000));
  EXPECT_EQ(p.fanned_out(5'000), us(50'000));
}

TEST(FanoutPacer, IdleTimePaysTheNextChargeFirst) {
  FanoutPacer p(us(40), us(50'000));
  p.idled(us(30'000));
  EXPECT_EQ(p.fanned_out(1'000), us(10'000));  // 40 ms charged, 30 ms already paid
  EXPECT_EQ(p.credit(), us(0));
  EXPECT_EQ(p.fanned_out(1'000), us(40'000));  // nothing left: the whole charge
}

TEST(FanoutPacer, AfterAQuietSpellTheFanOutRightBehindTheFirstGoesAtOnce) {
  // A step succeeds after a quiet spell and fans out; the next step starts
  // 3 ms later. Before, its event waited a whole charge; now the quiet spell
  // has paid it.
  FanoutPacer p(us(40), us(50'000));
  p.idled(us(10'000'000));
  EXPECT_EQ(p.credit(), us(50'000));  // saved up to one cap, no more
  EXPECT_EQ(p.fanned_out(1'000), us(0));
  p.idled(us(3'000));
  EXPECT_EQ(p.fanned_out(1'000), us(27'000));  // 40 - (10 left + 3 idle)
}

TEST(FanoutPacer, ASteadyStreamWaitsEveryCharge) {
  // Events waiting at every read: no idle time, so no credit.
  FanoutPacer p(us(40), us(50'000));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(p.fanned_out(1'000), us(40'000));
    p.idled(us(0));
  }
}

TEST(FanoutPacer, CreditNeverPaysMoreThanTheIdleTimeAndOneCap) {
  // Any schedule: what the fan-outs were charged but did not wait is at most
  // the time spent idle, and the credit at hand at most one cap.
  FanoutPacer p(us(40), us(50'000));
  std::mt19937 rng(7);
  us charged{0}, waited{0}, idle{0};
  for (int i = 0; i < 10'000; ++i) {
    const size_t clients = rng() % 1'500;
    charged += std::min(us(40) * static_cast<int64_t>(clients), us(50'000));
    waited += p.fanned_out(clients);
    const us d(rng() % 60'000);
    idle += d;
    p.idled(d);
    ASSERT_LE(p.credit(), us(50'000));
  }
  EXPECT_LE(charged - waited, idle);
}

TEST(FanoutPacer, NegativeIdleTimeIsIgnored) {
  FanoutPacer p(us(40), us(50'000));
  p.idled(us(-5));
  EXPECT_EQ(p.credit(), us(0));
}

}  // namespace
}  // namespace opz::realtime
