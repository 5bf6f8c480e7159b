#include "deploy/command_call.h"

#include <utility>

namespace opz::deploy {

std::string CommandOutcome::failure() const {
  if (result.spawn_failed) return "could not start: " + result.error;
  if (result.cancelled) return "cancelled";
  if (result.timed_out) return "timed out";
  if (result.signal != 0) return "killed by signal " + std::to_string(result.signal);
  return "exit code " + std::to_string(result.exit_code);
}

CommandCall::CommandCall(runner::Runner& runner, DeployTimers& timers, DeployEvents& events,
                         std::string cwd)
    : runner_(runner), timers_(timers), events_(events), cwd_(std::move(cwd)) {}

CommandCall::~CommandCall() { cancel(); }

void CommandCall::run(const std::string& command, std::vector<std::string> env, Millis timeout,
                      std::function<void(CommandOutcome)> done) {
  cancel();
  done_ = std::move(done);
  auto on_lines =
      guard_.wrap([this](const std::vector<runner::LogLine>& lines) { deliver_output(lines); });
  auto on_exit = guard_.wrap([this](const runner::ProcessResult& r) { finished(r); });

  runner::ProcessSpec spec;
  spec.command = command;
  spec.cwd = cwd_;
  spec.env = std::move(env);
  spec.timeout = timeout;
  runner::ProcessCallbacks callbacks;
  // Runner thread -> loop thread; posting keeps output before the exit.
  callbacks.on_output = [&timers = timers_, on_lines](std::vector<runner::LogLine>&& lines) {
    timers.post([on_lines, lines = std::move(lines)]() mutable { on_lines(lines); });
  };
  callbacks.on_exit = [&timers = timers_, on_exit](const runner::ProcessResult& result) {
    timers.post([on_exit, result]() mutable { on_exit(result); });
  };
  id_ = runner_.start(std::move(spec), std::move(callbacks));
  if (id_ == runner::kNoProcess) {
    runner::ProcessResult refused;
    refused.spawn_failed = true;
    refused.error = "the runner accepts no more work (shutting down)";
    timers_.post([on_exit, refused]() mutable { on_exit(refused); });
  }
}

void CommandCall::cancel() {
  guard_.invalidate();
  if (id_ != runner::kNoProcess) runner_.cancel(id_);
  id_ = runner::kNoProcess;
  done_ = nullptr;
  stdout_.clear();
}

void CommandCall::deliver_output(const std::vector<runner::LogLine>& lines) {
  for (const runner::LogLine& line : lines) {
    const bool is_stderr = line.stream == runner::Stream::kStderr;
    events_.output(line.text, is_stderr);
    if (is_stderr || stdout_.size() >= kMaxStdoutBytes) continue;
    if (!stdout_.empty()) stdout_ += '\n';
    stdout_.append(line.text, 0, kMaxStdoutBytes - stdout_.size());
  }
}

void CommandCall::finished(const runner::ProcessResult& result) {
  id_ = runner::kNoProcess;
  auto done = std::move(done_);
  done_ = nullptr;
  CommandOutcome outcome{result, std::move(stdout_)};
  stdout_.clear();
  if (done) done(std::move(outcome));
}

}  // namespace opz::deploy
