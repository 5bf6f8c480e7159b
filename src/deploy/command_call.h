// CommandCall: runs a deployment's shell commands (hooks, deploy steps,
// switch, traffic, cleanup, probe commands) through runner::Runner, one at a
// time, in the target's workspace. Output lines go to DeployEvents::output;
// the first 64 KiB of stdout are kept for the caller (an analysis reads a
// number from it).
//
// Threading: run() and cancel() on the deploy loop's thread; the runner's
// callbacks (from its own thread) are posted through DeployTimers::post, so
// `done` and DeployEvents::output also run on the loop thread. `done` is
// called exactly once per run() unless cancel() (or a newer run()) came first;
// never from inside run(). The Runner and DeployTimers must outlive the
// runner's callbacks for the started processes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "deploy/callback_guard.h"
#include "deploy/deployment_run.h"
#include "runner/runner.h"

namespace opz::deploy {

struct CommandOutcome {
  runner::ProcessResult result;
  std::string stdout_text;  // first kMaxStdoutBytes of stdout, lines joined with '\n'

  bool ok() const { return result.success(); }
  // "exit code 3", "timed out", "killed by signal 9", "could not start: ...".
  std::string failure() const;
};

inline constexpr size_t kMaxStdoutBytes = 64 * 1024;

class CommandCall {
 public:
  CommandCall(runner::Runner& runner, DeployTimers& timers, DeployEvents& events, std::string cwd);
  ~CommandCall();  // cancels a running command
  CommandCall(const CommandCall&) = delete;
  CommandCall& operator=(const CommandCall&) = delete;

  // Starts `command` (a previous one still running is cancelled first);
  // timeout 0 = none.
  void run(const std::string& command, std::vector<std::string> env, Millis timeout,
           std::function<void(CommandOutcome)> done);
  // Stops the running command (Runner::cancel); its `done` is never called.
  void cancel();
  bool running() const { return id_ != runner::kNoProcess || done_ != nullptr; }

 private:
  void deliver_output(const std::vector<runner::LogLine>& lines);
  void finished(const runner::ProcessResult& result);

  runner::Runner& runner_;
  DeployTimers& timers_;
  DeployEvents& events_;
  std::string cwd_;
  runner::ProcessId id_ = runner::kNoProcess;
  std::string stdout_;
  std::function<void(CommandOutcome)> done_;
  CallbackGuard guard_;
};

}  // namespace opz::deploy
