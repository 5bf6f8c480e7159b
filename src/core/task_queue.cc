#include "core/task_queue.h"

namespace opz {

bool TaskQueue::post(Task task) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return false;
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

bool TaskQueue::post_at(SteadyTime when, Task task) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return false;
    timers_.push(Timer{when, ++timer_seq_, std::move(task)});
  }
  cv_.notify_one();
  return true;
}

void TaskQueue::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    tasks_.clear();
    while (!timers_.empty()) timers_.pop();
  }
  cv_.notify_all();
}

bool TaskQueue::stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

bool TaskQueue::wait_and_take(std::vector<Task>& out) {
  std::unique_lock lock(mu_);
  while (true) {
    if (stopped_) return false;
    auto now = std::chrono::steady_clock::now();
    bool due = !timers_.empty() && timers_.top().when <= now;
    if (!tasks_.empty() || due) break;
    if (timers_.empty()) {
      cv_.wait(lock);
    } else {
      // A copy: wait_until reads its deadline after the lock is released and
      // retaken, and a post_at meanwhile may reallocate the heap under top().
      const auto when = timers_.top().when;
      cv_.wait_until(lock, when);
    }
  }
  for (Task& t : tasks_) out.push_back(std::move(t));
  tasks_.clear();
  auto now = std::chrono::steady_clock::now();
  while (!timers_.empty() && timers_.top().when <= now) {
    // priority_queue::top() is const; the task is moved out through a copy of the node.
    Timer t = timers_.top();
    timers_.pop();
    out.push_back(std::move(t.task));
  }
  return true;
}

}  // namespace opz
