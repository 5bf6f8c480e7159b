// Runner: the seam between code that wants commands run (the engine's
// scheduler, deployment strategies) and what runs them. LocalRunner
// (local_runner.h) runs them as child processes of the server; tests use a
// recording fake that completes them by hand; a remote agent can implement it
// later. The callback contract is LocalRunner's (see local_runner.h): on_exit
// exactly once per started process, after its last on_output, never from
// inside start(); kNoProcess once the runner no longer accepts work.
// Implementations are thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "runner/process_spec.h"

namespace opz::runner {

// Recovery (a restart, or a takeover by another server): the node attempt
// whose process a previous server started, to be followed if it still runs.
struct AdoptRequest {
  std::string execution_id;
  std::string node_id;
  int attempt = 0;
  std::string output_path;  // where this server reads the step's outputs
};

// adopt()'s answer. `process` is kNoProcess when nothing was adopted; then
// the node runs again as a new attempt, after `highest_attempt` (the highest
// attempt number the runner knows a run under; 0: none).
struct Adoption {
  ProcessId process = kNoProcess;
  std::string command;  // the adopted step's command
  int highest_attempt = 0;
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Starts `spec`; spawn failures are reported through cb.on_exit.
  virtual ProcessId start(ProcessSpec spec, ProcessCallbacks cb) = 0;
  // Stops the process (SIGTERM, SIGKILL after spec.kill_grace); its on_exit
  // reports cancelled = true. No-op for unknown or finished ids.
  virtual void cancel(ProcessId id) = 0;
  // Started processes whose on_exit has not begun yet.
  virtual size_t running() const = 0;
  // Follows the run of `request`'s attempt another runner started, when it can
  // still deliver its outcome (a remote agent's job: agent/remote_runner.h);
  // `cb` then gets its output and exit as if start() had started it. Atomic:
  // it adopts the run or answers kNoProcess, never both. Local processes die
  // with their server: the default adopts nothing.
  virtual Adoption adopt(const AdoptRequest& request, ProcessCallbacks cb) {
    (void)request;
    (void)cb;
    return {};
  }
};

}  // namespace opz::runner
