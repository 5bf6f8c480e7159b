#include "engine/engine_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <vector>

namespace opz::engine {
namespace {

TEST(EngineLoopTest, RunsTasksInOrderThenAfterRound) {
  EngineLoop loop;
  std::vector<int> seen;  // touched only on the loop thread
  std::promise<std::vector<int>> done;
  std::atomic<int> rounds{0};
  for (int i = 0; i < 3; ++i) loop.post([&, i] { seen.push_back(i); });
  loop.post([&] { done.set_value(seen); });
  loop.start([&] { ++rounds; });
  auto got = done.get_future().get();
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2}));
  loop.stop();
  EXPECT_GE(rounds.load(), 1);
}

TEST(EngineLoopTest, TimersFireInDueOrderNotBefore) {
  EngineLoop loop;
  loop.start({});
  // The loop is held until both timers are queued: on a loaded machine this
  // thread may stall past both due times between the two posts, and the
  // order must then still be the due order, not the posting order.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  loop.post([released] { released.wait(); });
  auto start = std::chrono::steady_clock::now();
  std::promise<std::vector<int>> done;
  auto order = std::make_shared<std::vector<int>>();
  loop.post_at(start + std::chrono::milliseconds(40), [&, order] {
    order->push_back(2);
    done.set_value(*order);
  });
  loop.post_at(start + std::chrono::milliseconds(20), [order] { order->push_back(1); });
  release.set_value();
  auto got = done.get_future().get();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(40));
  EXPECT_EQ(got, (std::vector<int>{1, 2}));
  EXPECT_TRUE(loop.running());
  loop.stop();
  EXPECT_FALSE(loop.running());
}

TEST(EngineLoopTest, PostAfterStopIsRefusedAndTheQueueOutlivesTheLoop) {
  std::shared_ptr<TaskQueue> queue;
  {
    EngineLoop loop;
    loop.start({});
    queue = loop.queue();
    std::promise<bool> in_loop;
    loop.post([&] { in_loop.set_value(loop.in_loop_thread()); });
    EXPECT_TRUE(in_loop.get_future().get());
    EXPECT_FALSE(loop.in_loop_thread());
  }
  bool ran = false;
  EXPECT_FALSE(queue->post([&] { ran = true; }));
  EXPECT_FALSE(queue->post_at(std::chrono::steady_clock::now(), [&] { ran = true; }));
  EXPECT_TRUE(queue->stopped());
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace opz::engine
