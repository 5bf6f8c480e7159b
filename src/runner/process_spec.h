// What the runner is asked to run (ProcessSpec), what it reports back
// (LogLines through ProcessCallbacks::on_output, then one ProcessResult), and
// the id naming a started process. Plain value types.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runner/log_line.h"

namespace opz::runner {

using ProcessId = uint64_t;
// Never a real id: LocalRunner::start() returns it once the runner is shut down.
inline constexpr ProcessId kNoProcess = 0;

// The PATH a child gets when ProcessSpec::env has no PATH entry.
inline constexpr const char* kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

struct ProcessSpec {
  std::string command;  // run as: /bin/sh -c <command>
  std::string cwd;      // working directory; empty = the server's own
  // The complete environment, "KEY=VALUE" entries (the caller builds it; nothing
  // is inherited). Without a "PATH=" entry the child gets PATH=kDefaultPath.
  std::vector<std::string> env;
  std::chrono::milliseconds timeout{0};        // 0 = none
  std::chrono::milliseconds kill_grace{5000};  // SIGTERM -> SIGKILL delay
  uint64_t log_cap_bytes = 16ull << 20;        // per process, see log_capture.h
  // Niceness added to the child's (0..19; 0 = the parent's own): steps yield
  // the CPU to the server's threads under contention (process_spawner.h).
  int nice = 0;
  // Remote execution (agent::RoutingRunner, docs/agents.md): the agent labels
  // the step needs (empty = run here), and the repository the agent checks
  // out first (empty url = none; the agent runs in its own work directory).
  std::vector<std::string> runs_on{};
  std::string checkout_url{};
  std::string checkout_commit{};
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or spawn failed
  int signal = 0;      // the signal that killed the main process, else 0
  bool timed_out = false;
  bool cancelled = false;
  bool spawn_failed = false;
  std::string error;  // spawn failure reason
  uint64_t log_bytes = 0;
  uint64_t dropped_bytes = 0;
  bool log_truncated = false;
  std::chrono::milliseconds duration{0};  // spawn to exit of the main process
  // A process that exited 0 after being asked to stop (trapped SIGTERM) did not
  // succeed: it was stopped.
  bool success() const { return exit_code == 0 && !timed_out && !cancelled; }
};

struct ProcessCallbacks {
  // Batched: all lines completed in one loop iteration for this process. May
  // be empty (output is then discarded).
  std::function<void(std::vector<LogLine>&&)> on_output;
  // Exactly once per started process, after all its output was delivered.
  std::function<void(const ProcessResult&)> on_exit;
};

}  // namespace opz::runner
