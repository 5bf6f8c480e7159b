// EngineLoop: the engine's single thread of control. Everything that changes
// an execution (runner callbacks, API commands, timers for retry backoff,
// approval deadlines, log flushing and stuck detection) becomes a Task run
// here, one after another, so the scheduler needs no locks.
//
// A round runs every queued task, then every due timer, then `after_round`
// (the engine dispatches ready nodes and commits the round's batch). Tasks
// posted during a round run in the next one.
//
// The queue is shared-owned (TaskQueue), so a callback may hold it longer
// than the loop lives (runner callbacks after the engine stopped): posting to
// a stopped queue is refused and the task dropped, never run.
// Thread-safety: post()/post_at()/stop() from any thread; run() on one thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "core/task_queue.h"

namespace opz::engine {

using opz::SteadyTime;
using opz::Task;
using opz::TaskQueue;

class EngineLoop {
 public:
  EngineLoop() : queue_(std::make_shared<TaskQueue>()) {}
  ~EngineLoop() { stop(); }
  EngineLoop(const EngineLoop&) = delete;
  EngineLoop& operator=(const EngineLoop&) = delete;

  // Starts the thread. `after_round` runs on it after every round.
  void start(std::function<void()> after_round);
  // Stops taking tasks and joins the thread (queued tasks are dropped).
  // Idempotent; must not be called from the loop thread.
  void stop();

  bool post(Task task) { return queue_->post(std::move(task)); }
  bool post_at(SteadyTime when, Task task) { return queue_->post_at(when, std::move(task)); }
  const std::shared_ptr<TaskQueue>& queue() const { return queue_; }
  bool in_loop_thread() const { return std::this_thread::get_id() == thread_id_; }
  bool running() const { return started_.load() && !queue_->stopped(); }

 private:
  std::shared_ptr<TaskQueue> queue_;
  std::thread thread_;
  std::atomic<bool> started_{false};
  std::thread::id thread_id_;  // written before start() returns
};

}  // namespace opz::engine
