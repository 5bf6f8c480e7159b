// RunningProcess: the runner's record of one live child, from spawn until its
// result is reported: output pipes, pidfd, log capture, stop/kill deadlines.
//
// Lifecycle: running -> (stop requested: SIGTERM to the group, SIGKILL at the
// kill deadline) -> main process exited (what is left of the group is
// SIGKILLed, then the child is reaped; pipes are read until EOF or for at most
// kDrainAfterExit) -> done. Every signal goes to the whole process group
// (-pid); the group is killed before its leader is reaped, so the group id
// cannot have been reused by then.
//
// The record registers its fds in the runner's epoll set on construction and
// removes each before closing it. Not thread-safe: owned and driven by
// LocalRunner under its lock. Only kill_now() blocks.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <span>

#include "core/result.h"
#include "runner/log_capture.h"
#include "runner/process_spawner.h"
#include "runner/process_spec.h"
#include "runner/unique_fd.h"

namespace opz::runner {

using SteadyTime = std::chrono::steady_clock::time_point;

// How long output pipes are still read after the main process exited and its
// group was killed. Only a process that escaped the group (setsid) can keep a
// pipe open that long; whatever it prints later is lost.
inline constexpr std::chrono::milliseconds kDrainAfterExit{200};

// A process past its log cap is only drained, not followed line by line: once
// its pipe is empty, the pipe is enlarged to kFloodPipeBytes and left unwatched
// for kFloodReadInterval, so a flood costs the server one wake-up per interval
// (up to ~1 GB/s still flows) instead of one per write of the child.
inline constexpr std::chrono::milliseconds kFloodReadInterval{1};
inline constexpr int kFloodPipeBytes = 1 << 20;

// What an epoll event is about; the runner packs (id, source) into the event.
// Token 0 is never a process (ids start at 1); the runner uses it for wake-ups.
enum class EventSource : uint64_t { kStdout = 0, kStderr = 1, kExit = 2 };
inline uint64_t event_token(ProcessId id, EventSource source) {
  return (id << 2) | static_cast<uint64_t>(source);
}
inline ProcessId token_process(uint64_t token) { return token >> 2; }
inline EventSource token_source(uint64_t token) { return static_cast<EventSource>(token & 3); }

enum class StopReason { kTimeout, kCancel };

class RunningProcess {
 public:
  RunningProcess(ProcessId id, const ProcessSpec& spec, SpawnedProcess spawned,
                 std::shared_ptr<const ProcessCallbacks> callbacks, SteadyTime started,
                 int epoll_fd);
  ~RunningProcess();
  RunningProcess(const RunningProcess&) = delete;
  RunningProcess& operator=(const RunningProcess&) = delete;

  // Adds the three fds to the epoll set. On error nothing stays registered.
  Status watch();

  ProcessId id() const { return id_; }
  const std::shared_ptr<const ProcessCallbacks>& callbacks() const { return callbacks_; }

  // Handles readiness of one source: reads a bounded amount of output (so
  // one chatty process cannot starve the others), or reaps the exited main.
  void on_event(EventSource source, std::span<char> scratch, SteadyTime now, TimePoint wall);

  // SIGTERM to the group now (SIGKILL at once if kill_grace is 0), SIGKILL at
  // now + kill_grace. Ignored once a stop was requested or the main process
  // exited. The first reason wins (timed_out or cancelled in the result).
  void request_stop(StopReason reason, SteadyTime now);

  // Acts on every deadline that has passed (timeout, kill, end of drain,
  // end of a flood pause).
  void on_deadline(SteadyTime now, std::span<char> scratch, TimePoint wall);
  // The deadlines set since the last call (each one once): the runner queues
  // one timer per entry. Timers for deadlines since cleared are harmless.
  std::array<std::optional<SteadyTime>, 4> take_new_deadlines();

  // Shutdown: SIGKILL the group, reap the main process (blocks until the
  // kernel has torn it down), read what the pipes already hold, close all.
  void kill_now(std::span<char> scratch, SteadyTime now, TimePoint wall);

  // Exited and both pipes closed. Then finish() once and read result().
  bool done() const { return exited_ && !stdout_ && !stderr_; }
  void finish(TimePoint wall) { capture_.finish(wall); }
  LogCapture& capture() { return capture_; }
  ProcessResult result() const;

 private:
  UniqueFd& pipe_of(Stream stream) { return stream == Stream::kStdout ? stdout_ : stderr_; }
  void read_pipe(Stream stream, std::span<char> scratch, SteadyTime now, TimePoint wall,
                 int max_reads);
  // Past the log cap with an empty pipe: stop watching it until resume_at_.
  void park(Stream stream, SteadyTime now);
  void unpark_all();
  bool set_watch(const UniqueFd& fd, EventSource source, bool enabled);
  void reap(SteadyTime now, bool block);
  void close_watched(UniqueFd& fd);
  void signal_group(int sig) const;

  ProcessId id_;
  pid_t pid_;
  std::chrono::milliseconds kill_grace_;
  std::shared_ptr<const ProcessCallbacks> callbacks_;
  SteadyTime started_;
  int epoll_fd_;
  UniqueFd pidfd_;
  UniqueFd stdout_;
  UniqueFd stderr_;
  LogCapture capture_;

  std::optional<SteadyTime> timeout_at_;
  std::optional<SteadyTime> kill_at_;
  std::optional<SteadyTime> drain_until_;
  std::array<std::optional<SteadyTime>, 4> queued_;  // by take_new_deadlines()
  std::optional<SteadyTime> resume_at_;              // parked streams are watched again then
  bool parked_[2] = {false, false};                  // by Stream
  bool pipes_enlarged_[2] = {false, false};
  bool stop_requested_ = false;
  bool exited_ = false;
  ProcessResult result_;
};

}  // namespace opz::runner
