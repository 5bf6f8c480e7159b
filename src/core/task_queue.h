// TaskQueue: tasks and timers handed to one consumer thread (the engine loop,
// the deployment loop). post()/post_at()/stop() from any thread; the consumer
// calls wait_and_take() and runs what it got, in order: the queued tasks, then
// the due timers in due order (ties in posting order).
//
// Shared-owned (std::shared_ptr) so a callback may hold the queue longer than
// its consumer lives: posting to a stopped queue is refused and the task
// dropped, never run. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <queue>
#include <vector>

namespace opz {

using SteadyTime = std::chrono::steady_clock::time_point;
using Task = std::function<void()>;

class TaskQueue {
 public:
  // False (and `task` dropped) once stopped.
  bool post(Task task);
  bool post_at(SteadyTime when, Task task);
  void stop();
  bool stopped() const;

  // Waits until a task is queued, a timer is due or stop(); then moves the
  // queued tasks and the due timers (in due order) into `out`. False once stopped.
  bool wait_and_take(std::vector<Task>& out);

 private:
  struct Timer {
    SteadyTime when;
    uint64_t seq;
    Task task;
    bool operator>(const Timer& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> tasks_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t timer_seq_ = 0;
  bool stopped_ = false;
};

}  // namespace opz
