#include "deploy/strategy_run.h"

#include <utility>

namespace opz::deploy {

StrategyRun::StrategyRun(Setup setup)
    : spec_(std::move(setup.spec)),
      target_(std::move(setup.target)),
      stable_(std::move(setup.stable)),
      auto_rollback_(setup.auto_rollback),
      seams_(setup.seams),
      events_(setup.events),
      commands_(seams_.runner, seams_.timers, events_, target_.workspace),
      probes_(commands_, seams_.prober, seams_.timers),
      health_(probes_, seams_.timers, seams_.clock, events_),
      hooks_(commands_, seams_.timers, seams_.clock, events_),
      done_(std::move(setup.done)) {}

void StrategyRun::start() {
  if (started_ || finished_) return;
  started_ = true;
  self_ = shared_from_this();
  // Posted, so `done` never runs inside start() even when nothing is to run.
  seams_.timers.post(guard_.wrap([this] {
    run_hooks(hooks_to_run(/*before_deploy=*/true), 0, [this](PhaseResult hooks) {
      if (!hooks.ok) {
        finish(result_for(DeployOutcome::kBlocked, hooks));
        return;
      }
      deploy();
    });
  }));
}

void StrategyRun::cancel() {
  if (finished_) {
    if (lingering_) {
      stop_activity();
      release();
    }
    return;
  }
  stop_activity();
  finish(DeployResult{DeployOutcome::kCancelled, "cancelled", serving_slot_, std::nullopt,
                      aborted_at_});
}

void StrategyRun::deployed(std::string slot) {
  serving_slot_ = std::move(slot);
  run_hooks(hooks_to_run(/*before_deploy=*/false), 0, [this](PhaseResult hooks) {
    if (!hooks.ok) {
      post_hook_failed(std::move(hooks));
      return;
    }
    finish(DeployResult{DeployOutcome::kSucceeded, "", serving_slot_, std::nullopt, std::nullopt});
  });
}

void StrategyRun::finish(DeployResult result) {
  if (finished_) return;
  finished_ = true;
  events_.log(result.outcome == DeployOutcome::kSucceeded ? "info" : "error",
              "deployment " + std::string(to_string(result.outcome)) +
                  (result.error.empty() ? "" : ": " + result.error));
  events_.detach();
  auto done = std::move(done_);
  done_ = nullptr;
  if (done) done(result);
  lingering_ = started_ && linger_after(result);
  if (!lingering_) release();
}

void StrategyRun::release() {
  lingering_ = false;
  if (!self_) return;
  // The last reference may go with it: drop it on a later loop task, not on
  // the stack of this run's own callbacks.
  seams_.timers.post([self = std::move(self_)] {});
}

void StrategyRun::stop_activity() {
  guard_.invalidate();
  hooks_.cancel();
  health_.cancel();
  probes_.cancel();
  commands_.cancel();
  stop_strategy();
}

void StrategyRun::run_deploy_steps(std::vector<std::string> env, PhaseDone done) {
  run_steps_from(0, std::move(env), std::move(done));
}

void StrategyRun::run_steps_from(size_t next, std::vector<std::string> env, PhaseDone done) {
  if (next >= target_.steps.size()) {
    done(PhaseResult::success());
    return;
  }
  const pipeline::Step& step = target_.steps[next];
  const std::string what =
      step.name.empty() ? "deploy command" : "deploy step \"" + step.name + "\"";
  auto step_env = env;
  commands_.run(step.run, std::move(step_env), Millis{0},
                [this, next, what, env = std::move(env),
                 done = std::move(done)](CommandOutcome outcome) mutable {
                  if (!outcome.ok()) {
                    done(PhaseResult::failure(what + " failed: " + outcome.failure()));
                    return;
                  }
                  run_steps_from(next + 1, std::move(env), std::move(done));
                });
}

void StrategyRun::run_command(const std::string& what, const std::string& command,
                              std::vector<std::string> env, PhaseDone done) {
  commands_.run(command, std::move(env), Millis{0},
                [what, done = std::move(done)](CommandOutcome outcome) {
                  done(outcome.ok() ? PhaseResult::success()
                                    : PhaseResult::failure(what + " failed: " + outcome.failure()));
                });
}

void StrategyRun::check_health(std::vector<std::string> env, PhaseDone done) {
  if (!spec_.health_check) {
    done(PhaseResult::success());
    return;
  }
  progress("health_check", new_version_slots().slot.value_or(""));
  health_.run(*spec_.health_check, std::move(env), "health",
              [done = std::move(done)](PhaseResult result) {
                if (!result.ok) result.error = "health check failed: " + result.error;
                done(std::move(result));
              });
}

void StrategyRun::deploy_and_check(std::vector<std::string> env, PhaseDone done) {
  auto check_env = env;
  run_deploy_steps(std::move(env), [this, check_env = std::move(check_env),
                                    done = std::move(done)](PhaseResult deployed_steps) mutable {
    if (!deployed_steps.ok) {
      done(std::move(deployed_steps));
      return;
    }
    check_health(std::move(check_env), std::move(done));
  });
}

std::vector<std::string> StrategyRun::environment(const VersionFacts& version,
                                                  const SlotFacts& slots) const {
  return deploy_environment(target_, spec_.strategy, version, slots);
}

void StrategyRun::progress(const std::string& phase, const std::string& slot, int canary_weight) {
  events_.progress(phase, slot, canary_weight);
}

void StrategyRun::mark_aborted() { aborted_at_ = seams_.clock.now(); }

DeployResult StrategyRun::result_for(DeployOutcome outcome, const PhaseResult& cause) const {
  return DeployResult{outcome, cause.error, serving_slot_, cause.first_failure_at, aborted_at_};
}

DeployResult StrategyRun::restore_failed(const PhaseResult& cause,
                                         const PhaseResult& restore) const {
  DeployResult result = result_for(DeployOutcome::kFailed, cause);
  result.error += "; rollback failed: " + restore.error;
  return result;
}

std::vector<StrategyRun::NamedHook> StrategyRun::hooks_to_run(bool before_deploy) const {
  std::vector<NamedHook> hooks;
  if (before_deploy && target_.is_rollback && spec_.hooks.rollback) {
    hooks.push_back({"rollback", *spec_.hooks.rollback});
  }
  const auto wanted =
      before_deploy ? pipeline::HookWhen::kPreDeploy : pipeline::HookWhen::kPostDeploy;
  if (spec_.hooks.migrate && spec_.hooks.migrate->when == wanted) {
    hooks.push_back({"migrate", *spec_.hooks.migrate});
  }
  if (spec_.hooks.seed && spec_.hooks.seed->when == wanted) {
    hooks.push_back({"seed", *spec_.hooks.seed});
  }
  return hooks;
}

void StrategyRun::run_hooks(std::vector<NamedHook> hooks, size_t next, PhaseDone done) {
  if (next >= hooks.size()) {
    done(PhaseResult::success());
    return;
  }
  const SlotFacts slots = new_version_slots();
  progress("hook " + hooks[next].name, slots.slot.value_or(""));
  const std::string name = hooks[next].name;
  const pipeline::HookSpec spec = hooks[next].spec;
  hooks_.run(
      name, spec, environment(version_of(target_), slots),
      [this, hooks = std::move(hooks), next, done = std::move(done)](PhaseResult result) mutable {
        if (!result.ok) {
          done(std::move(result));
          return;
        }
        run_hooks(std::move(hooks), next + 1, std::move(done));
      });
}

}  // namespace opz::deploy
