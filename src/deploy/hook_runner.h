// HookRunner: runs one deployment hook (migrate, seed, rollback) with the
// hook's retry policy: attempt n+1 starts exponential_backoff(n, initial,
// max) after attempt n failed (2 s, 4 s, 8 s, ... capped at 60 s by default),
// at most max_attempts attempts, all within `deadline` counted from the first
// attempt's start: each attempt's timeout is what is left of it, and no
// attempt is scheduled that would start after it.
//
// Each attempt is logged through DeployEvents::log ("hook migrate: attempt 2
// of 6 failed (exit code 1); next attempt in 4s"). The PhaseResult of a
// failure says why the retries stopped and how the last attempt ended.
//
// Threading: loop thread only. cancel() (or a new run()) drops the current
// hook without calling its `done`.
#pragma once

#include <string>
#include <vector>

#include "deploy/callback_guard.h"
#include "deploy/command_call.h"
#include "deploy/phase_result.h"
#include "pipeline/deploy_spec.h"

namespace opz::deploy {

class HookRunner {
 public:
  HookRunner(CommandCall& commands, DeployTimers& timers, const Clock& clock, DeployEvents& events);

  // `name`: "migrate", "seed" or "rollback", for logs and errors.
  void run(std::string name, const pipeline::HookSpec& hook, std::vector<std::string> env,
           PhaseDone done);
  void cancel();

 private:
  void attempt();
  void attempt_ended(const CommandOutcome& outcome);
  void fail(std::string why);

  CommandCall& commands_;
  DeployTimers& timers_;
  const Clock& clock_;
  DeployEvents& events_;
  std::string name_;
  pipeline::HookSpec hook_;
  std::vector<std::string> env_;
  PhaseDone done_;
  int attempt_ = 0;
  TimePoint deadline_at_{};
  CallbackGuard guard_;
};

}  // namespace opz::deploy
