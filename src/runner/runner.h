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

#include "runner/process_spec.h"

namespace opz::runner {

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
};

}  // namespace opz::runner
