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
// Several servers on one database run these once per cluster, not once per
// server: set_gate() gives the leader check (LeaderGate below); while it
// answers false no task runs (and none is marked run, so a server that
// becomes the leader runs what is due at once).
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
#include <optional>
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
  // Before start(): tasks run only while `gate` answers true.
  void set_gate(std::function<bool()> gate) { gate_ = std::move(gate); }

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
  std::function<bool()> gate_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// LeaderGate: whether this server leads the cluster-wide singletons. Asks
// `try_lead` (store::ServerLeaseStore::try_lead through the ownership, with a
// term of the server lease timeout) at most once per `refresh` (a third of
// the term, so the leader renews long before its term ends) and answers the
// last answer in between; a failed ask answers false (no leader is safer
// than two). Thread-safe.
class LeaderGate {
 public:
  LeaderGate(const Clock& clock, std::chrono::milliseconds refresh,
             std::function<Result<bool>()> try_lead)
      : clock_(clock), refresh_(refresh), try_lead_(std::move(try_lead)) {}

  bool leading();

 private:
  const Clock& clock_;
  std::chrono::milliseconds refresh_;
  std::function<Result<bool>()> try_lead_;
  std::mutex mu_;
  std::optional<TimePoint> asked_;
  bool leading_ = false;
};

}  // namespace opz::app
