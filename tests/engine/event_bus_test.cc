#include "engine/event_bus.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace opz::engine {
namespace {

EngineEvent event(EventKind kind, const std::string& execution) {
  EngineEvent e;
  e.kind = kind;
  e.execution_id = execution;
  e.new_state = "running";
  return e;
}

TEST(EventBusTest, DeliversMatchingEventsInOrderWithIncreasingSeq) {
  EventBus bus;
  auto all = bus.subscribe({});
  auto only_a = bus.subscribe({.execution_id = "a", .kinds = kAllEventKinds});
  auto only_nodes =
      bus.subscribe({.execution_id = "", .kinds = static_cast<uint32_t>(EventKind::kNodeState)});
  EXPECT_EQ(bus.publish(event(EventKind::kExecutionState, "a")), 1u);
  EXPECT_EQ(bus.publish(event(EventKind::kNodeState, "b")), 2u);
  EXPECT_EQ(bus.publish(event(EventKind::kNodeState, "a")), 3u);

  auto got = all->drain();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0]->seq, 1u);
  EXPECT_EQ(got[2]->seq, 3u);
  auto a = only_a->drain();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1]->kind, EventKind::kNodeState);
  auto nodes = only_nodes->drain();
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0]->execution_id, "b");
  EXPECT_EQ(bus.last_seq(), 3u);
}

TEST(EventBusTest, FullQueueDropsForThatSubscriberOnlyAndNeverBlocks) {
  EventBus bus;
  auto small = bus.subscribe({}, 2);
  auto big = bus.subscribe({}, 100);
  for (int i = 0; i < 5; ++i) bus.publish(event(EventKind::kLogs, "x"));
  EXPECT_EQ(small->dropped(), 3u);
  EXPECT_EQ(big->dropped(), 0u);
  auto kept = small->drain();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0]->seq, 1u);  // the oldest are kept; the gap shows in seq
  EXPECT_EQ(big->drain().size(), 5u);
}

TEST(EventBusTest, WantedReflectsOpenSubscriptions) {
  EventBus bus;
  EXPECT_FALSE(bus.wanted(EventKind::kLogs));
  auto s = bus.subscribe({.execution_id = "", .kinds = static_cast<uint32_t>(EventKind::kLogs)});
  EXPECT_TRUE(bus.wanted(EventKind::kLogs));
  EXPECT_FALSE(bus.wanted(EventKind::kStuck));
  s->close();
  EXPECT_FALSE(bus.wanted(EventKind::kLogs));
  bus.publish(event(EventKind::kLogs, "x"));
  EXPECT_TRUE(s->drain().empty());
}

TEST(EventBusTest, NextWaitsAndOnReadyFiresOnEmptyToNonEmpty) {
  EventBus bus;
  std::atomic<int> ready{0};
  auto s = bus.subscribe({}, 10, [&] { ++ready; });
  EXPECT_FALSE(s->next(std::chrono::milliseconds(1)).has_value());
  std::thread publisher([&] { bus.publish(event(EventKind::kStuck, "x")); });
  auto got = s->next(std::chrono::seconds(5));
  publisher.join();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ((*got)->kind, EventKind::kStuck);
  bus.publish(event(EventKind::kStuck, "x"));
  bus.publish(event(EventKind::kStuck, "x"));  // queue not empty: no second notification
  EXPECT_EQ(ready.load(), 2);
  s->close();
  EXPECT_TRUE(s->next(std::chrono::milliseconds(1)).has_value());  // drains what is queued
}

TEST(EventBusTest, KindNames) {
  EXPECT_EQ(to_string(EventKind::kExecutionState), "execution_state");
  EXPECT_EQ(to_string(EventKind::kNodeState), "node_state");
  EXPECT_EQ(to_string(EventKind::kStuck), "stuck");
}

}  // namespace
}  // namespace opz::engine
