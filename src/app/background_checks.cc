#include "app/background_checks.h"

#include <spdlog/spdlog.h>

namespace opz::app {

BackgroundChecks::BackgroundChecks(const Clock& clock, std::vector<ScheduledTask> tasks,
                                   std::chrono::milliseconds tick)
    : clock_(clock), tick_(tick) {
  const TimePoint now = clock_.now();
  for (ScheduledTask& t : tasks) slots_.push_back({std::move(t), now});
}

BackgroundChecks::~BackgroundChecks() { stop(); }

int BackgroundChecks::run_due() {
  if (gate_ && !gate_()) return 0;
  int ran = 0;
  for (Slot& slot : slots_) {
    if (slot.task.interval.count() <= 0) continue;
    const TimePoint now = clock_.now();
    if (now - slot.last < slot.task.interval) continue;
    slot.last = now;
    ++ran;
    const Status st = slot.task.run();
    if (!st.ok()) spdlog::warn("{} failed: {}", slot.task.name, st.error().message);
  }
  return ran;
}

bool LeaderGate::leading() {
  std::lock_guard lock(mu_);
  const TimePoint now = clock_.now();
  if (asked_ && now - *asked_ < refresh_) return leading_;
  asked_ = now;
  auto answer = try_lead_();
  if (!answer) spdlog::warn("cannot ask for the cluster leader role: {}", answer.error().message);
  const bool was = leading_;
  leading_ = answer.ok() && *answer;
  if (leading_ != was)
    spdlog::info(leading_ ? "this server now leads the cluster-wide scheduled work"
                          : "this server no longer leads the cluster-wide scheduled work");
  return leading_;
}

void BackgroundChecks::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      wake_.wait_for(lock, tick_, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      run_due();
      lock.lock();
    }
  });
}

void BackgroundChecks::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace opz::app
