// Clock: the only way domain code learns the time.
//
// Production code gets a SystemClock; tests get a ManualClock they advance by
// hand, so timers (wait timers, retries, timeouts) are tested without sleeping.
// Both are thread-safe.
#pragma once

#include <atomic>
#include <chrono>

namespace opz {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
  static SystemClock& instance() {
    static SystemClock clock;
    return clock;
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{std::chrono::seconds{1700000000}})
      : now_ns_(start.time_since_epoch().count()) {}
  TimePoint now() const override {
    return TimePoint{TimePoint::duration{now_ns_.load()}};
  }
  void advance(std::chrono::nanoseconds d) {
    now_ns_ += std::chrono::duration_cast<TimePoint::duration>(d).count();
  }
  void set(TimePoint t) { now_ns_ = t.time_since_epoch().count(); }

 private:
  std::atomic<TimePoint::duration::rep> now_ns_;
};

}  // namespace opz
