#include "deploy/deploy_loop.h"

#include <utility>
#include <vector>

namespace opz::deploy {

DeployLoop::DeployLoop() : thread_([this] { run(); }) {}

DeployLoop::~DeployLoop() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void DeployLoop::post(std::function<void()> task) { queue_->post(std::move(task)); }

void DeployLoop::post_after(Millis delay, std::function<void()> task) {
  queue_->post_at(std::chrono::steady_clock::now() + delay, std::move(task));
}

void DeployLoop::stop() { queue_->stop(); }

void DeployLoop::run() {
  std::vector<Task> batch;
  while (queue_->wait_and_take(batch)) {
    for (Task& task : batch) {
      task();
      // Stop means stop: what the batch still holds is dropped with the queue's.
      if (queue_->stopped()) break;
    }
    batch.clear();
  }
}

}  // namespace opz::deploy
