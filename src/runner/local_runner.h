// LocalRunner: runs shell commands as child processes of the server, streams
// their output line by line, enforces timeouts and cancellation, and reports
// how each process ended. It is the only code in Opzenix that spawns
// processes; it knows nothing of pipelines, the database or HTTP.
//
// Threading model. One loop thread per runner waits (epoll) on every child's
// stdout/stderr pipe and pidfd plus a wake-up eventfd; there is no thread per
// process and no polling. start(), cancel(), running() and shutdown() may be
// called from any thread. start() spawns in the calling thread (posix_spawn,
// see process_spawner.h) and hands the child to the loop. All callbacks run on
// the loop thread, never under the runner's lock, so they MAY call start() and
// cancel() (the engine starts the next node from on_exit); they must not block
// for long (every other process's output waits meanwhile) and must not call
// shutdown() or destroy the runner.
//
// Callback contract. on_output gets, per loop iteration, the lines completed
// for that process (stdout and stderr each in order). on_exit runs exactly
// once per started process, after its last on_output, including for a spawn
// failure (result.spawn_failed, result.error; delivered on the loop thread,
// never from inside start()) and for processes stopped by shutdown()
// (cancelled = true). Callbacks may run before start() has returned the id
// to its caller: capture your own key in them, not the returned id. After
// shutdown() began, start() refuses: it returns kNoProcess and never calls the
// callbacks.
//
// Process-group / kill contract. Each child is `/bin/sh -c command`, leader of
// its own process group. Timeout and cancel share one path: SIGTERM (and
// SIGCONT) to the group, SIGKILL to the group kill_grace later if the main
// process is still there. When the main process exits, whatever it left in its
// group (`sleep 30 &`, `(sleep 30 &)`, `nohup ... &`) is SIGKILLed at once,
// then the main process is reaped; output still in the pipes is read until
// EOF, or for at most kDrainAfterExit (200 ms, running_process.h) if a pipe
// stays open. This also ends deliberate daemons (`nohup server &`): steps that
// need a long-lived service must hand it to a service manager.
// Limitation: a process that calls setsid() (e.g. `setsid sleep 30 &`) leaves
// the group and survives; this runner deliberately uses no cgroups and no
// PR_SET_CHILD_SUBREAPER (a subreaper would have to reap orphans and would
// interfere with other code that waits for its own children). It only costs us
// the output it prints after the drain deadline.
// The runner reaps its children by pidfd; other code in the process must not
// call waitpid(-1, ...) / wait(), or it may steal a child's exit status.
//
// Log cap contract (per process, see log_capture.h). Up to log_cap_bytes of
// raw output (both streams, newlines included) is delivered; the first line
// beyond is dropped, one marker line "[opzenix] log limit ..." is delivered on
// kStderr, and all further output is read (so the child never blocks on a full
// pipe) but only counted: result.log_truncated, result.dropped_bytes. Such a
// flood is read in bursts (kFloodReadInterval), not per write of the child.
// Lines are valid UTF-8 without NULs, split every kMaxLogLineBytes (64 KiB).
//
// Environment: exactly spec.env, plus PATH=kDefaultPath when spec.env has no
// PATH. stdin is /dev/null; no other fds are inherited.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "runner/log_line.h"
#include "runner/process_spec.h"
#include "runner/runner.h"
#include "runner/unique_fd.h"

namespace opz::runner {

class RunningProcess;

class LocalRunner final : public Runner {
 public:
  // Starts the loop thread. If the epoll/eventfd setup fails (fd exhaustion),
  // the runner is born shut down: start() returns kNoProcess. `nice`: the
  // niceness every process it starts gets when its spec asks for none
  // (ProcessSpec::nice; the server's `step-nice`).
  explicit LocalRunner(int nice = 0);
  // Same as shutdown().
  ~LocalRunner();
  LocalRunner(const LocalRunner&) = delete;
  LocalRunner& operator=(const LocalRunner&) = delete;

  // Starts `spec` and returns its id (kNoProcess once shut down). Spawn
  // failures are reported through cb.on_exit, not here.
  ProcessId start(ProcessSpec spec, ProcessCallbacks cb) override;
  // SIGTERM to the group, SIGKILL after kill_grace; result.cancelled = true.
  // No-op for an unknown id or a process whose main process already exited.
  void cancel(ProcessId id) override;
  // Processes started whose on_exit has not begun yet (spawn failures excluded).
  size_t running() const override;
  // Kills every live group (SIGKILL), reaps them, delivers their remaining
  // output and on_exit (cancelled = true) on the loop thread, and joins it.
  // Idempotent; call it from outside callbacks.
  void shutdown();

 private:
  struct FailedSpawn {
    std::shared_ptr<const ProcessCallbacks> callbacks;
    ProcessResult result;
  };
  // What one loop iteration hands to the callbacks once the lock is released.
  struct Delivery {
    std::shared_ptr<const ProcessCallbacks> callbacks;
    std::vector<LogLine> lines;
    std::optional<ProcessResult> exit;
    bool counted = false;  // exit of a process included in running()
  };
  using SteadyTime = std::chrono::steady_clock::time_point;
  using Timer = std::pair<SteadyTime, ProcessId>;

  void loop();
  // The steps below run on the loop thread with mu_ held.
  int wait_timeout_ms(SteadyTime now) const;
  void handle_event(uint64_t token, SteadyTime now, TimePoint wall);
  void fire_timers(SteadyTime now, TimePoint wall);
  // Queues finished processes' results and new lines; removes finished ones.
  void collect_touched(TimePoint wall, std::vector<Delivery>& out);
  void kill_all(std::vector<Delivery>& out);
  // Queues a timer for each new deadline of the process; true if it did.
  bool arm_timers(RunningProcess& proc);
  void wake() const;
  // Runs the callbacks; on the loop thread, without mu_.
  void deliver(std::vector<Delivery>& deliveries);

  const int nice_;  // for specs that ask for none
  UniqueFd epoll_;
  UniqueFd wake_fd_;
  std::thread thread_;
  std::atomic<size_t> live_{0};

  std::mutex mu_;
  bool stopping_ = false;  // guarded by mu_
  bool joined_ = false;    // guarded by join_mu_
  std::mutex join_mu_;
  ProcessId next_id_ = 1;                                                  // guarded by mu_
  std::unordered_map<ProcessId, std::unique_ptr<RunningProcess>> procs_;   // guarded by mu_
  std::vector<FailedSpawn> failed_;                                        // guarded by mu_
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;  // guarded by mu_
  std::vector<ProcessId> touched_;  // loop thread only, under mu_
  std::vector<char> scratch_;       // loop thread only
};

}  // namespace opz::runner
