#include "deploy/hook_runner.h"

#include <utility>

#include "core/backoff.h"
#include "core/quantity.h"

namespace opz::deploy {
namespace {

std::string attempts(int n) { return std::to_string(n) + (n == 1 ? " attempt" : " attempts"); }

}  // namespace

HookRunner::HookRunner(CommandCall& commands, DeployTimers& timers, const Clock& clock,
                       DeployEvents& events)
    : commands_(commands), timers_(timers), clock_(clock), events_(events) {}

void HookRunner::run(std::string name, const pipeline::HookSpec& hook, std::vector<std::string> env,
                     PhaseDone done) {
  cancel();
  name_ = std::move(name);
  hook_ = hook;
  env_ = std::move(env);
  done_ = std::move(done);
  attempt_ = 0;
  deadline_at_ = clock_.now() + hook_.deadline;
  attempt();
}

void HookRunner::cancel() {
  guard_.invalidate();
  commands_.cancel();
  done_ = nullptr;
}

void HookRunner::attempt() {
  ++attempt_;
  const auto left = std::chrono::duration_cast<Millis>(deadline_at_ - clock_.now());
  if (left <= Millis{0}) {
    fail("deadline of " + format_duration(hook_.deadline) + " reached before attempt " +
         std::to_string(attempt_));
    return;
  }
  events_.log("info", "hook " + name_ + ": attempt " + std::to_string(attempt_) + " of " +
                          std::to_string(hook_.max_attempts));
  commands_.run(hook_.run, env_, left,
                guard_.wrap([this](CommandOutcome outcome) { attempt_ended(outcome); }));
}

void HookRunner::attempt_ended(const CommandOutcome& outcome) {
  const std::string prefix = "hook " + name_ + ": attempt " + std::to_string(attempt_) + " of " +
                             std::to_string(hook_.max_attempts);
  if (outcome.ok()) {
    events_.log("info", prefix + " succeeded");
    PhaseDone done = std::move(done_);
    done_ = nullptr;
    done(PhaseResult::success());
    return;
  }
  const std::string how = outcome.failure();
  if (attempt_ >= hook_.max_attempts) {
    events_.log("error", prefix + " failed (" + how + "); no attempts left");
    fail("failed after " + attempts(attempt_) + " (last: " + how + ")");
    return;
  }
  const Millis delay = exponential_backoff(attempt_, hook_.initial, hook_.max);
  if (clock_.now() + delay >= deadline_at_) {
    events_.log("error", prefix + " failed (" + how + "); the next attempt would start after " +
                             "the deadline of " + format_duration(hook_.deadline));
    fail("deadline of " + format_duration(hook_.deadline) + " reached after " + attempts(attempt_) +
         " (last: " + how + ")");
    return;
  }
  events_.log("warn", prefix + " failed (" + how + "); next attempt in " + format_duration(delay));
  timers_.post_after(delay, guard_.wrap([this] { attempt(); }));
}

void HookRunner::fail(std::string why) {
  PhaseDone done = std::move(done_);
  done_ = nullptr;
  done(PhaseResult::failure("hook " + name_ + " " + std::move(why)));
}

}  // namespace opz::deploy
