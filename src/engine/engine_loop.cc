#include "engine/engine_loop.h"

#include <condition_variable>
#include <mutex>

namespace opz::engine {

void EngineLoop::start(std::function<void()> after_round) {
  if (thread_.joinable()) return;
  std::mutex started_mu;
  std::condition_variable started_cv;
  bool started = false;
  thread_ =
      std::thread([this, after_round = std::move(after_round), &started_mu, &started_cv, &started] {
        {
          std::lock_guard lock(started_mu);
          thread_id_ = std::this_thread::get_id();
          started = true;
        }
        started_cv.notify_one();
        std::vector<Task> batch;
        while (queue_->wait_and_take(batch)) {
          for (Task& t : batch) t();
          batch.clear();
          if (after_round) after_round();
        }
      });
  std::unique_lock lock(started_mu);
  started_cv.wait(lock, [&] { return started; });
  started_ = true;
}

void EngineLoop::stop() {
  queue_->stop();
  if (thread_.joinable() && std::this_thread::get_id() != thread_.get_id()) thread_.join();
}

}  // namespace opz::engine
