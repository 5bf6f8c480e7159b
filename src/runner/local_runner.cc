#include "runner/local_runner.h"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <limits>

#include "runner/process_spawner.h"
#include "runner/running_process.h"

namespace opz::runner {
namespace {

constexpr uint64_t kWakeToken = 0;
constexpr size_t kScratchBytes = 64 * 1024;
constexpr int kMaxEvents = 128;

std::shared_ptr<spdlog::logger> runner_logger() {
  if (auto existing = spdlog::get("runner")) return existing;
  auto created = spdlog::default_logger()->clone("runner");
  try {
    spdlog::register_logger(created);
  } catch (const spdlog::spdlog_ex&) {
    // Another thread registered it first; use theirs.
    if (auto existing = spdlog::get("runner")) return existing;
  }
  return created;
}

}  // namespace

LocalRunner::LocalRunner(int nice) : nice_(nice), scratch_(kScratchBytes) {
  epoll_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
  wake_fd_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeToken;
  if (!epoll_ || !wake_fd_ || ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_fd_.get(), &ev) != 0) {
    runner_logger()->error("runner setup failed: {}; no process can be started",
                           std::strerror(errno));
    stopping_ = true;
    return;
  }
  thread_ = std::thread([this] { loop(); });
}

LocalRunner::~LocalRunner() { shutdown(); }

ProcessId LocalRunner::start(ProcessSpec spec, ProcessCallbacks cb) {
  ProcessId id;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return kNoProcess;
    id = next_id_++;
  }
  auto callbacks = std::make_shared<const ProcessCallbacks>(std::move(cb));
  const SteadyTime started = std::chrono::steady_clock::now();
  if (spec.nice == 0) spec.nice = nice_;
  Result<SpawnedProcess> spawned = spawn_process(spec);

  std::unique_ptr<RunningProcess> proc;
  ProcessResult failure;
  if (spawned) {
    proc = std::make_unique<RunningProcess>(id, spec, std::move(spawned).value(), callbacks,
                                            started, epoll_.get());
  } else {
    failure.spawn_failed = true;
    failure.error = spawned.error().message;
  }

  bool need_wake = false;
  {
    std::unique_lock lock(mu_);
    if (stopping_) {
      lock.unlock();
      proc.reset();  // kills and reaps the child we just made
      return kNoProcess;
    }
    if (proc) {
      if (Status watched = proc->watch(); !watched) {
        failure.spawn_failed = true;
        failure.error = watched.error().message;
      } else {
        // A wait already under way does not know this deadline yet.
        need_wake = arm_timers(*proc) && std::this_thread::get_id() != thread_.get_id();
        procs_.emplace(id, std::move(proc));
        live_.fetch_add(1);
      }
    }
    if (failure.spawn_failed) {
      failed_.push_back(FailedSpawn{callbacks, failure});
      need_wake = true;
    }
  }
  if (failure.spawn_failed) {
    runner_logger()->debug("process {} could not be started: {}", id, failure.error);
  }
  proc.reset();  // only set when watch() failed: kill and reap outside the lock
  if (need_wake) wake();
  return id;
}

void LocalRunner::cancel(ProcessId id) {
  {
    std::lock_guard lock(mu_);
    auto it = procs_.find(id);
    if (it == procs_.end()) return;
    it->second->request_stop(StopReason::kCancel, std::chrono::steady_clock::now());
    arm_timers(*it->second);
  }
  wake();  // the loop's wait may end later than the new kill deadline
}

size_t LocalRunner::running() const { return live_.load(); }

void LocalRunner::shutdown() {
  std::lock_guard join_lock(join_mu_);
  if (joined_) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  if (!thread_.joinable()) {
    joined_ = true;
    return;
  }
  wake();
  if (std::this_thread::get_id() == thread_.get_id()) {
    // Called from a callback (against the contract): the loop stops after the
    // callback returns, but we cannot join ourselves.
    runner_logger()->error("LocalRunner::shutdown() called from a callback");
    return;
  }
  thread_.join();
  joined_ = true;
}

void LocalRunner::loop() {
  std::vector<epoll_event> events(kMaxEvents);
  std::vector<Delivery> deliveries;
  for (;;) {
    int timeout_ms;
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
      timeout_ms = wait_timeout_ms(std::chrono::steady_clock::now());
    }
    int n = ::epoll_wait(epoll_.get(), events.data(), kMaxEvents, timeout_ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      runner_logger()->critical("epoll_wait failed: {}; stopping every process",
                                std::strerror(errno));
      std::lock_guard lock(mu_);
      stopping_ = true;
      break;
    }
    const SteadyTime now = std::chrono::steady_clock::now();
    const TimePoint wall = std::chrono::system_clock::now();
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
      for (int i = 0; i < n; ++i) handle_event(events[i].data.u64, now, wall);
      fire_timers(now, wall);
      for (FailedSpawn& f : failed_) {
        deliveries.push_back(Delivery{std::move(f.callbacks), {}, std::move(f.result), false});
      }
      failed_.clear();
      collect_touched(wall, deliveries);
    }
    deliver(deliveries);
    deliveries.clear();
  }

  // Shutdown: stopping_ is set, so no process or failure can be added any more.
  {
    std::lock_guard lock(mu_);
    kill_all(deliveries);
  }
  deliver(deliveries);
}

int LocalRunner::wait_timeout_ms(SteadyTime now) const {
  if (timers_.empty()) return -1;
  const auto left = timers_.top().first - now;
  if (left <= SteadyTime::duration::zero()) return 0;
  // Round up: waking a little late is fine, spinning until the deadline is not.
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<int64_t>(ms, std::numeric_limits<int>::max()));
}

void LocalRunner::handle_event(uint64_t token, SteadyTime now, TimePoint wall) {
  if (token == kWakeToken) {
    uint64_t count;
    while (::read(wake_fd_.get(), &count, sizeof count) == static_cast<ssize_t>(sizeof count)) {
    }
    return;
  }
  auto it = procs_.find(token_process(token));
  if (it == procs_.end()) return;  // an event for a process finished earlier in this batch
  it->second->on_event(token_source(token), scratch_, now, wall);
  touched_.push_back(it->first);
}

void LocalRunner::fire_timers(SteadyTime now, TimePoint wall) {
  while (!timers_.empty() && timers_.top().first <= now) {
    const ProcessId id = timers_.top().second;
    timers_.pop();
    auto it = procs_.find(id);
    if (it == procs_.end()) continue;
    it->second->on_deadline(now, scratch_, wall);
    touched_.push_back(id);
  }
}

void LocalRunner::collect_touched(TimePoint wall, std::vector<Delivery>& out) {
  for (ProcessId id : touched_) {
    auto it = procs_.find(id);
    if (it == procs_.end()) continue;  // listed twice and already finished
    RunningProcess& proc = *it->second;
    arm_timers(proc);
    if (proc.done()) {
      proc.finish(wall);
      out.push_back(Delivery{proc.callbacks(), proc.capture().take_lines(), proc.result(), true});
      procs_.erase(it);
    } else if (proc.capture().has_lines()) {
      out.push_back(Delivery{proc.callbacks(), proc.capture().take_lines(), std::nullopt, false});
    }
  }
  touched_.clear();
}

void LocalRunner::kill_all(std::vector<Delivery>& out) {
  const SteadyTime now = std::chrono::steady_clock::now();
  const TimePoint wall = std::chrono::system_clock::now();
  for (auto& [id, proc] : procs_) {
    proc->kill_now(scratch_, now, wall);
    proc->finish(wall);
    out.push_back(Delivery{proc->callbacks(), proc->capture().take_lines(), proc->result(), true});
  }
  procs_.clear();
  for (FailedSpawn& f : failed_) {
    out.push_back(Delivery{std::move(f.callbacks), {}, std::move(f.result), false});
  }
  failed_.clear();
  timers_ = {};
}

bool LocalRunner::arm_timers(RunningProcess& proc) {
  bool armed = false;
  for (const std::optional<SteadyTime>& deadline : proc.take_new_deadlines()) {
    if (!deadline) continue;
    timers_.emplace(*deadline, proc.id());
    armed = true;
  }
  return armed;
}

void LocalRunner::wake() const {
  const uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the loop wakes anyway.
  [[maybe_unused]] ssize_t ignored = ::write(wake_fd_.get(), &one, sizeof one);
}

void LocalRunner::deliver(std::vector<Delivery>& deliveries) {
  // A callback that throws is a bug in the caller; it must not take the loop
  // (and every other process) down, nor cost the process its on_exit.
  auto guarded = [](const char* what, auto&& call) {
    try {
      call();
    } catch (const std::exception& e) {
      runner_logger()->error("{} callback threw: {}", what, e.what());
    }
  };
  for (Delivery& d : deliveries) {
    if (!d.lines.empty() && d.callbacks->on_output) {
      guarded("on_output", [&] { d.callbacks->on_output(std::move(d.lines)); });
    }
    if (!d.exit) continue;
    if (d.counted) live_.fetch_sub(1);
    if (d.callbacks->on_exit) guarded("on_exit", [&] { d.callbacks->on_exit(*d.exit); });
  }
}

}  // namespace opz::runner
