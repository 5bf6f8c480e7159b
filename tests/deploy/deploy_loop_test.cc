#include "deploy/deploy_loop.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <vector>

namespace opz::deploy {
namespace {

constexpr auto kWait = std::chrono::seconds(5);

TEST(DeployLoopTest, RunsPostedTasksInOrderOnItsOwnThread) {
  DeployLoop loop;
  std::vector<int> order;  // touched only on the loop thread
  std::promise<std::vector<int>> seen;
  bool on_loop = false;
  for (int i = 0; i < 5; ++i) loop.post([&order, i] { order.push_back(i); });
  loop.post([&] {
    on_loop = loop.on_loop_thread();
    seen.set_value(order);
  });
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(future.get(), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(on_loop);
  EXPECT_FALSE(loop.on_loop_thread());
}

TEST(DeployLoopTest, DelayedTasksRunWhenDueInDueOrder) {
  DeployLoop loop;
  std::mutex mu;
  std::vector<std::string> order;
  std::promise<void> finished;
  const auto posted = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration waited{};
  loop.post_after(Millis{60}, [&] {
    std::lock_guard lock(mu);
    order.push_back("late");
    waited = std::chrono::steady_clock::now() - posted;
    finished.set_value();
  });
  loop.post_after(Millis{20}, [&] {
    std::lock_guard lock(mu);
    order.push_back("early");
  });
  loop.post([&] {
    std::lock_guard lock(mu);
    order.push_back("now");
  });
  ASSERT_EQ(finished.get_future().wait_for(kWait), std::future_status::ready);
  std::lock_guard lock(mu);
  EXPECT_EQ(order, (std::vector<std::string>{"now", "early", "late"}));
  EXPECT_GE(waited, Millis{60});
}

TEST(DeployLoopTest, StopDropsPendingWorkAndRefusesMore) {
  auto ran = std::make_shared<std::atomic<int>>(0);
  {
    DeployLoop loop;
    loop.post_after(Millis{60000}, [ran] { ++*ran; });
    loop.stop();
    loop.post([ran] { ++*ran; });
  }  // joins without waiting for the minute
  EXPECT_EQ(*ran, 0);
}

}  // namespace
}  // namespace opz::deploy
