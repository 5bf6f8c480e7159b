#include "governance/deploy_queue.h"

#include <gtest/gtest.h>

namespace opz::governance {
namespace {

using namespace std::chrono;

TimePoint t(int seconds) { return TimePoint{std::chrono::seconds{1700000000 + seconds}}; }

QueueEntry entry(std::string id, int at, bool ready = true) {
  return {std::move(id), t(at), ready};
}

TEST(DeployQueue, FreeEnvironmentRunsNow) {
  QueueDecision d = decide_queue({}, entry("e1", 0), QueueMode::kOldestFirst);
  EXPECT_EQ(d.verdict, QueueVerdict::kRunNow);
  EXPECT_EQ(decide_queue({}, entry("e1", 0), QueueMode::kNewestReadyFirst).verdict,
            QueueVerdict::kRunNow);
  QueueSnapshot self{"e1", {}};
  EXPECT_EQ(decide_queue(self, entry("e1", 0), QueueMode::kOldestFirst).verdict,
            QueueVerdict::kRunNow);
}

TEST(DeployQueue, OldestFirstWaitsInArrivalOrder) {
  QueueSnapshot s{"run", {entry("e3", 3), entry("e1", 1), entry("e2", 2)}};
  QueueDecision first = decide_queue(s, entry("e1", 1), QueueMode::kOldestFirst);
  EXPECT_EQ(first.verdict, QueueVerdict::kWait);
  EXPECT_EQ(first.waits_for, "run");
  EXPECT_EQ(first.position, 1);
  QueueDecision third = decide_queue(s, entry("e3", 3), QueueMode::kOldestFirst);
  EXPECT_EQ(third.waits_for, "e2");
  EXPECT_EQ(third.position, 3);
  EXPECT_NE(third.reason.find("position 3"), std::string::npos);
  // The running one finished: e1 goes, e2 waits behind it.
  s.running.reset();
  EXPECT_EQ(decide_queue(s, entry("e1", 1), QueueMode::kOldestFirst).verdict,
            QueueVerdict::kRunNow);
  EXPECT_EQ(decide_queue(s, entry("e2", 2), QueueMode::kOldestFirst).waits_for, "e1");
  // A newcomer not yet in the snapshot goes to the back.
  EXPECT_EQ(decide_queue(s, entry("new", 9), QueueMode::kOldestFirst).position, 4);
}

TEST(DeployQueue, EntriesNotReadyDoNotHoldTheQueue) {
  QueueSnapshot s{std::nullopt, {entry("held", 1, false), entry("e2", 2)}};
  EXPECT_EQ(decide_queue(s, entry("e2", 2), QueueMode::kOldestFirst).verdict,
            QueueVerdict::kRunNow);
  // Once approved, the held one is first again: it does not starve.
  s.waiting[0].ready = true;
  EXPECT_EQ(decide_queue(s, entry("held", 1), QueueMode::kOldestFirst).verdict,
            QueueVerdict::kRunNow);
  EXPECT_EQ(decide_queue(s, entry("e2", 2), QueueMode::kOldestFirst).waits_for, "held");
}

TEST(DeployQueue, SameInstantOrdersById) {
  QueueSnapshot s{std::nullopt, {entry("b", 1), entry("a", 1)}};
  EXPECT_EQ(decide_queue(s, entry("a", 1), QueueMode::kOldestFirst).verdict, QueueVerdict::kRunNow);
  EXPECT_EQ(decide_queue(s, entry("b", 1), QueueMode::kOldestFirst).waits_for, "a");
}

TEST(DeployQueue, NewestReadyFirstSupersedesOlderWaiting) {
  QueueSnapshot s{"run", {entry("e1", 1), entry("e2", 2, false), entry("e3", 3)}};
  QueueDecision old = decide_queue(s, entry("e1", 1), QueueMode::kNewestReadyFirst);
  EXPECT_EQ(old.verdict, QueueVerdict::kSuperseded);
  EXPECT_EQ(old.superseded_by, "e3");
  QueueDecision newest = decide_queue(s, entry("e3", 3), QueueMode::kNewestReadyFirst);
  EXPECT_EQ(newest.verdict, QueueVerdict::kWait);
  EXPECT_EQ(newest.waits_for, "run");  // the running deployment is never superseded
  EXPECT_EQ(newest.position, 1);
  EXPECT_EQ(newest.supersedes, (std::vector<std::string>{"e1", "e2"}));
  s.running.reset();
  QueueDecision go = decide_queue(s, entry("e3", 3), QueueMode::kNewestReadyFirst);
  EXPECT_EQ(go.verdict, QueueVerdict::kRunNow);
  EXPECT_EQ(go.supersedes.size(), 2u);
  // A newer entry that is not ready yet supersedes nothing.
  QueueSnapshot held{std::nullopt, {entry("e1", 1), entry("e2", 2, false)}};
  EXPECT_EQ(decide_queue(held, entry("e1", 1), QueueMode::kNewestReadyFirst).verdict,
            QueueVerdict::kRunNow);
  EXPECT_EQ(to_string(QueueVerdict::kSuperseded), "superseded");
}

}  // namespace
}  // namespace opz::governance
