// DeployLoop: the production DeployTimers — one thread that runs every
// deployment's state machine. Tasks posted from any thread run in posting
// order; post_after() tasks run when due (steady clock, ties in posting
// order), after the tasks queued before them. Built on core::TaskQueue.
//
// stop() (or the destructor) drops every pending task and timer and ends the
// thread; posting afterwards is refused silently (the task is destroyed, not
// run). The destructor joins the thread and must not run on it; stop() may.
#pragma once

#include <memory>
#include <thread>

#include "core/task_queue.h"
#include "deploy/deployment_run.h"

namespace opz::deploy {

class DeployLoop final : public DeployTimers {
 public:
  DeployLoop();
  ~DeployLoop() override;
  DeployLoop(const DeployLoop&) = delete;
  DeployLoop& operator=(const DeployLoop&) = delete;

  void post(std::function<void()> task) override;
  void post_after(Millis delay, std::function<void()> task) override;
  void stop();
  // True on the loop's own thread (for assertions).
  bool on_loop_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  void run();

  std::shared_ptr<TaskQueue> queue_ = std::make_shared<TaskQueue>();
  std::thread thread_;
};

}  // namespace opz::deploy
