#include "core/backoff.h"

#include <gtest/gtest.h>

namespace opz {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ExponentialBackoff, SeedScheduleTwoSecondsToSixtySeconds) {
  // Seed 001: "2s -> 4s -> 8s -> 16s -> 32s -> 60s", 6 attempts.
  const milliseconds expected[] = {seconds{2},  seconds{4},  seconds{8},
                                   seconds{16}, seconds{32}, seconds{60}};
  for (int attempt = 1; attempt <= 6; ++attempt) {
    EXPECT_EQ(exponential_backoff(attempt, seconds{2}, seconds{60}), expected[attempt - 1])
        << "attempt " << attempt;
  }
}

TEST(ExponentialBackoff, StaysAtTheCapForever) {
  EXPECT_EQ(exponential_backoff(7, seconds{2}, seconds{60}), seconds{60});
  EXPECT_EQ(exponential_backoff(1000, seconds{2}, seconds{60}), seconds{60});
  EXPECT_EQ(exponential_backoff(2147483647, milliseconds{1}, seconds{3600}), seconds{3600});
}

TEST(ExponentialBackoff, AttemptsBelowOneCountAsTheFirst) {
  EXPECT_EQ(exponential_backoff(0, seconds{2}, seconds{60}), seconds{2});
  EXPECT_EQ(exponential_backoff(-5, seconds{2}, seconds{60}), seconds{2});
}

TEST(ExponentialBackoff, DegenerateBoundsNeverExceedTheCap) {
  EXPECT_EQ(exponential_backoff(3, seconds{0}, seconds{60}), milliseconds{0});
  EXPECT_EQ(exponential_backoff(1, seconds{10}, seconds{5}), seconds{5});
  EXPECT_EQ(exponential_backoff(2, seconds{5}, seconds{5}), seconds{5});
  EXPECT_EQ(exponential_backoff(1, milliseconds{500}, seconds{1}), milliseconds{500});
  // Odd caps: doubling stops only when it would pass the cap.
  EXPECT_EQ(exponential_backoff(2, milliseconds{2}, milliseconds{5}), milliseconds{4});
  EXPECT_EQ(exponential_backoff(3, milliseconds{2}, milliseconds{5}), milliseconds{5});
}

TEST(ExponentialBackoff, IsUsableAtCompileTime) {
  static_assert(exponential_backoff(3, seconds{1}, seconds{10}) == seconds{4});
  SUCCEED();
}

}  // namespace
}  // namespace opz
