// BackgroundChecks: the server's scheduled work that no request starts —
// today the advisory scan of every project and a check of every connection
// (api/scheduled_checks.h), each at its own interval (config
// advisory-scan-interval, connection-check-interval; 0 = never).
//
// A task first runs one interval after start() (a restart does not fire a
// burst of checks), then whenever its interval has passed since it last
// started; a run that fails is logged and the task runs again one interval
// later. Tasks run one after another on one thread, never two at once, so a
// slow connection check delays the scan rather than racing it.
//
// run_due() is the whole schedule and takes no lock on time: tests drive it
// with a ManualClock and recording tasks, no thread and no sleep. start()
// adds the thread, which calls run_due() every `tick`; stop() (also the
// destructor) wakes it and joins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace opz::app {

struct ScheduledTask {
  std::string name;                   // for the log: "advisory scan"
  std::chrono::milliseconds interval;  // <= 0: never runs
  std::function<Status()> run;
};

class BackgroundChecks {
 public:
  BackgroundChecks(const Clock& clock, std::vector<ScheduledTask> tasks,
                   std::chrono::milliseconds tick = std::chrono::seconds(1));
  ~BackgroundChecks();
  BackgroundChecks(const BackgroundChecks&) = delete;
  BackgroundChecks& operator=(const BackgroundChecks&) = delete;

  // Runs every task whose interval has passed; answers how many ran.
  int run_due();

  void start();
  void stop();

 private:
  struct Slot {
    ScheduledTask task;
    TimePoint last;
  };
  const Clock& clock_;
  std::vector<Slot> slots_;
  std::chrono::milliseconds tick_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace opz::app
