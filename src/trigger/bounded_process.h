// Running a short git command (or any tool) as a real process, bounded: the
// one process helper of trigger/ (git ls-remote for the poller, git log for
// the approval dialog's "commits between" list).
//
// The process is started with posix_spawnp and an argv — never through a
// shell — with stdin from /dev/null, its own process group, and an
// environment that forbids interactive prompts (GIT_TERMINAL_PROMPT=0, ssh
// BatchMode, LC_ALL=C). It is bounded in time (SIGKILL to the group at the
// timeout) and in output size (SIGKILL when stdout + stderr exceed it).
// Blocks the calling thread until the process ends. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"

namespace opz::trigger {

struct ProcessOutput {
  int status = 0;  // as waitpid reports it
  bool timed_out = false;
  std::string out;
  std::string err;
};

// kInternal when the process could not be started.
Result<ProcessOutput> run_bounded(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout, size_t max_output);

// "exited with code N" / "was killed", for messages.
std::string describe_exit(const ProcessOutput& r);
bool exited_ok(const ProcessOutput& r);

// `text` without trailing whitespace, cut to `max` characters ("..." added).
std::string trimmed(std::string text, size_t max = 500);

}  // namespace opz::trigger
