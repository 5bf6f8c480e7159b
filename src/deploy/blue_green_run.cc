// Blue-green: the new version goes to the idle slot (OPZENIX_SLOT; "blue"
// on a first deployment, else the slot the stable version does not use) and
// is health-checked there; then the switch command points traffic at it. The
// previous slot keeps running for an instant switch back and is cleaned up
// cleanup_delay after the run is done (OPZENIX_SLOT = the previous slot);
// the caller cancel()s the finished run when the next deployment to the
// environment starts, or the cleanup could stop the slot that one deploys to.
//
// Failures: before the switch nothing routes to the new slot, so the stable
// version keeps serving (kRolledBack with auto_rollback and a stable version,
// else kFailed). After the switch (the switch command itself or a post_deploy
// hook failed) auto_rollback runs the switch command again with OPZENIX_SLOT =
// the previous slot and the stable version's facts.
#include <utility>

#include "deploy/strategy_run.h"

namespace opz::deploy {
namespace {

class BlueGreenRun final : public StrategyRun {
 public:
  explicit BlueGreenRun(Setup setup)
      : StrategyRun(std::move(setup)),
        new_slot_(stable_ && stable_->slot == "blue" ? "green" : "blue"),
        previous_slot_(stable_ ? stable_->slot : "") {
    serving_slot_ = previous_slot_;
  }

 protected:
  SlotFacts new_version_slots() const override { return {new_slot_, previous_slot_, std::nullopt}; }

  void deploy() override {
    progress("deploying", new_slot_);
    deploy_and_check(environment(version_of(target_), new_version_slots()),
                     [this](PhaseResult checked) {
                       if (!checked.ok) {
                         not_switched(std::move(checked));
                         return;
                       }
                       switch_to_new_slot();
                     });
  }

  void post_hook_failed(PhaseResult failure) override { switch_back(std::move(failure)); }

  bool linger_after(const DeployResult& result) override {
    if (result.outcome != DeployOutcome::kSucceeded || spec_.cleanup_command.empty() ||
        previous_slot_.empty()) {
      return false;
    }
    seams_.timers.post_after(spec_.cleanup_delay, guard_.wrap([this] { clean_up(); }));
    return true;
  }

 private:
  void not_switched(PhaseResult cause) {
    if (!auto_rollback_ || !stable_) {
      finish(result_for(DeployOutcome::kFailed, cause));
      return;
    }
    mark_aborted();
    cause.error +=
        "; the stable version " + stable_->version + " keeps serving from slot " + previous_slot_;
    finish(result_for(DeployOutcome::kRolledBack, cause));
  }

  void switch_to_new_slot() {
    progress("switching", new_slot_);
    run_command("switch command", spec_.switch_command,
                environment(version_of(target_), new_version_slots()),
                [this](PhaseResult switched) {
                  if (!switched.ok) {
                    // Where traffic goes now is unknown: restore as after a switch.
                    switch_back(std::move(switched));
                    return;
                  }
                  deployed(new_slot_);
                });
  }

  void switch_back(PhaseResult cause) {
    if (!auto_rollback_ || !stable_ || previous_slot_.empty()) {
      finish(result_for(DeployOutcome::kFailed, cause));
      return;
    }
    mark_aborted();
    progress("rolling_back", previous_slot_);
    run_command("switch back", spec_.switch_command,
                environment(version_of(*stable_), {previous_slot_, new_slot_, std::nullopt}),
                [this, cause](PhaseResult restored) {
                  if (!restored.ok) {
                    finish(restore_failed(cause, restored));
                    return;
                  }
                  serving_slot_ = previous_slot_;
                  finish(result_for(DeployOutcome::kRolledBack, cause));
                });
  }

  // After done: the caller's events may be gone, so the cleanup reports
  // nothing; whatever it does, the run is released afterwards.
  void clean_up() {
    run_command("cleanup command", spec_.cleanup_command,
                environment(version_of(target_), {previous_slot_, previous_slot_, std::nullopt}),
                [this](PhaseResult) { release(); });
  }

  const std::string new_slot_;
  const std::string previous_slot_;
};

}  // namespace

std::shared_ptr<DeploymentRun> make_blue_green_run(StrategyRun::Setup setup) {
  return std::make_shared<BlueGreenRun>(std::move(setup));
}

}  // namespace opz::deploy
