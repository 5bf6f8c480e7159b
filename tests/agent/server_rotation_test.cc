// ServerRotation: which server an agent talks to, failover after consecutive
// failures, round-robin, back-off after a full round, reset on success.
#include "agent/server_rotation.h"

#include <gtest/gtest.h>

namespace opz::agent {
namespace {

using std::chrono::milliseconds;

const TimePoint kStart{std::chrono::seconds{1700000000}};

TEST(ServerRotation, MovesToTheNextServerAfterConsecutiveFailuresOnly) {
  ServerRotation r({"http://a", "http://b"}, {.failures_before_switch = 2});
  EXPECT_EQ(r.current(), 0u);
  EXPECT_FALSE(r.failed(0, kStart));
  r.succeeded(0);  // a success between failures: they were not consecutive
  EXPECT_FALSE(r.failed(0, kStart));
  EXPECT_EQ(r.current(), 0u);
  EXPECT_TRUE(r.failed(0, kStart));
  EXPECT_EQ(r.current(), 1u);
  EXPECT_EQ(r.server(r.current()), "http://b");
  EXPECT_TRUE(r.may_try(kStart)) << "one server left is not a full round";
}

TEST(ServerRotation, AFullRoundOfFailuresBacksOffDoublingAndASuccessResetsIt) {
  RotationPolicy policy{.failures_before_switch = 1,
                        .initial_backoff = milliseconds(1000),
                        .max_backoff = milliseconds(3000)};
  ServerRotation r({"http://a", "http://b", "http://c"}, policy);
  EXPECT_TRUE(r.failed(0, kStart));
  EXPECT_TRUE(r.failed(1, kStart));
  EXPECT_TRUE(r.may_try(kStart));
  EXPECT_TRUE(r.failed(2, kStart));  // round 1 failed
  EXPECT_EQ(r.current(), 0u) << "round-robin back to the first";
  EXPECT_FALSE(r.may_try(kStart + milliseconds(999)));
  EXPECT_TRUE(r.may_try(kStart + milliseconds(1000)));

  const TimePoint t2 = kStart + milliseconds(1000);
  for (size_t i = 0; i < 3; ++i) r.failed(i, t2);  // round 2
  EXPECT_EQ(r.resume_at(), t2 + milliseconds(2000));
  const TimePoint t3 = t2 + milliseconds(2000);
  for (size_t i = 0; i < 3; ++i) r.failed(i, t3);  // round 3: capped
  EXPECT_EQ(r.resume_at(), t3 + milliseconds(3000));

  const TimePoint t4 = t3 + milliseconds(3000);
  r.succeeded(0);
  for (size_t i = 0; i < 3; ++i) r.failed(i, t4);
  EXPECT_EQ(r.resume_at(), t4 + milliseconds(1000)) << "the success reset the back-off";
}

TEST(ServerRotation, AnOutcomeOfAServerNoLongerCurrentChangesNothing) {
  ServerRotation r({"http://a", "http://b"}, {.failures_before_switch = 1});
  EXPECT_TRUE(r.failed(0, kStart));
  EXPECT_FALSE(r.failed(0, kStart)) << "a late failure of a, already left";
  EXPECT_EQ(r.current(), 1u);
  EXPECT_TRUE(r.failed(1, kStart));
  EXPECT_FALSE(r.may_try(kStart));
  r.succeeded(1);  // a late success of b: a is current now
  EXPECT_FALSE(r.may_try(kStart));
}

TEST(ServerRotation, SplitsCommaSeparatedAndRepeatedServerOptions) {
  EXPECT_EQ(split_server_urls({"http://a:1/,http://b:2", "", " http://c ", "http://d,"}),
            (std::vector<std::string>{"http://a:1", "http://b:2", "http://c", "http://d"}));
  EXPECT_TRUE(split_server_urls({",", ""}).empty());
}

}  // namespace
}  // namespace opz::agent
