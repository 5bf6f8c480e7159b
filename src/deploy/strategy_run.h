// StrategyRun: what every deployment strategy shares — the run's lifecycle
// (start, the rollback hook and the pre_deploy hooks, the post_deploy hooks,
// finishing exactly once, cancel, keeping itself alive while it works), the
// seams, and helpers that run the deploy commands and the health check.
// The strategies (rolling_run.cc, blue_green_run.cc, canary_run.cc) fill in
// the part between the pre and post hooks and what a failure restores.
//
// Lifetime: from start() until done (and a lingering blue_green cleanup) the
// run holds a reference to itself, so the caller may drop its pointer; the
// reference is released through DeployTimers::post, never on the stack of
// the run's own methods. The caller's DeployEvents are not used after done.
// Threading: the deploy loop's thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deploy/callback_guard.h"
#include "deploy/command_call.h"
#include "deploy/deploy_environment.h"
#include "deploy/deployment_run.h"
#include "deploy/events_relay.h"
#include "deploy/health_check.h"
#include "deploy/hook_runner.h"
#include "deploy/phase_result.h"
#include "deploy/probe_call.h"

namespace opz::deploy {

class StrategyRun : public DeploymentRun {
 public:
  struct Setup {
    pipeline::DeploySpec spec;
    DeployTarget target;
    std::optional<StableVersion> stable;
    bool auto_rollback = false;
    DeploySeams seams;
    DeployEvents& events;
    std::function<void(DeployResult)> done;
  };

  explicit StrategyRun(Setup setup);

  void start() final;
  void cancel() final;
  bool promote() override { return false; }
  bool abort(const std::string& /*reason*/) override { return false; }
  const DeployTarget& target() const final { return target_; }

 protected:
  // After the hooks before the deploy: deploy and check, then deployed() or finish().
  virtual void deploy() = 0;
  // A post_deploy hook failed after deployed(): restore per policy, then finish().
  virtual void post_hook_failed(PhaseResult failure) = 0;
  // The slot facts of the new version (hooks see them; rolling has none).
  virtual SlotFacts new_version_slots() const { return {}; }
  // Part of cancel() and aborts: stop what the strategy itself waits on.
  virtual void stop_strategy() {}
  // After `done` got `result`: true keeps the run alive until release()
  // (blue_green's delayed cleanup).
  virtual bool linger_after(const DeployResult& /*result*/) { return false; }

  // The strategy's part succeeded and `slot` serves traffic: the post_deploy
  // hooks run, then the run finishes kSucceeded (or post_hook_failed()).
  void deployed(std::string slot);
  // Calls `done` once; later calls are ignored.
  void finish(DeployResult result);
  bool finished() const { return finished_; }
  void release();
  // Stops every command, probe, hook and timer in flight (their callbacks
  // never come).
  void stop_activity();

  // Runs the target's deploy steps in order with `env`.
  void run_deploy_steps(std::vector<std::string> env, PhaseDone done);
  // One command (switch, traffic, cleanup); `what` names it in the error.
  void run_command(const std::string& what, const std::string& command,
                   std::vector<std::string> env, PhaseDone done);
  // The spec's health check against `env`; ok at once when there is none.
  void check_health(std::vector<std::string> env, PhaseDone done);
  // The deploy steps, then the health check, both with `env`: the first
  // failure, or success.
  void deploy_and_check(std::vector<std::string> env, PhaseDone done);

  std::vector<std::string> environment(const VersionFacts& version, const SlotFacts& slots) const;
  void progress(const std::string& phase, const std::string& slot = "", int canary_weight = 0);
  // Records now as the abort time (DeployResult::aborted_at).
  void mark_aborted();
  // A result carrying `cause`'s error and failure time, the abort time and
  // the serving slot.
  DeployResult result_for(DeployOutcome outcome, const PhaseResult& cause) const;
  // The restore after `cause` failed too: kFailed naming both.
  DeployResult restore_failed(const PhaseResult& cause, const PhaseResult& restore) const;

  const pipeline::DeploySpec spec_;
  const DeployTarget target_;
  const std::optional<StableVersion> stable_;
  const bool auto_rollback_;
  const DeploySeams seams_;
  EventsRelay events_;        // the caller's events until done, then nothing
  std::string serving_slot_;  // DeployResult::slot
  CommandCall commands_;
  ProbeCall probes_;
  HealthCheck health_;
  CallbackGuard guard_;  // the strategies' own timers

 private:
  struct NamedHook {
    std::string name;
    pipeline::HookSpec spec;
  };
  std::vector<NamedHook> hooks_to_run(bool before_deploy) const;
  void run_hooks(std::vector<NamedHook> hooks, size_t next, PhaseDone done);
  void run_steps_from(size_t next, std::vector<std::string> env, PhaseDone done);

  HookRunner hooks_;
  std::function<void(DeployResult)> done_;
  std::shared_ptr<DeploymentRun> self_;
  std::optional<TimePoint> aborted_at_;
  bool started_ = false;
  bool finished_ = false;
  bool lingering_ = false;
};

// The strategies; `setup.spec.strategy` names which.
std::shared_ptr<DeploymentRun> make_rolling_run(StrategyRun::Setup setup);
std::shared_ptr<DeploymentRun> make_blue_green_run(StrategyRun::Setup setup);
std::shared_ptr<DeploymentRun> make_canary_run(StrategyRun::Setup setup);

}  // namespace opz::deploy
