// Canary: the canary goes to the idle slot with OPZENIX_CANARY_WEIGHT=0
// (slot choice as blue-green), is health-checked when the spec has a health
// check, then the steps run in order: set_weight runs the traffic command
// with OPZENIX_CANARY_WEIGHT, pause waits (its duration, or until promote()),
// analysis judges samples (canary_analysis.h). Steps that end below 100%
// get a final set_weight 100; the spec's empty steps mean
// pipeline::default_canary_steps().
//
// Any failure on the way — deploy, health check, traffic command, analysis,
// abort() — sets the weight back to 0 whatever auto_rollback says, so the
// stable version keeps all traffic: kRolledBack (kFailed when there is no
// stable version, or the weight-0 command fails too). A post_deploy hook
// failing after 100% does the same when auto_rollback is on.
#include <utility>

#include "deploy/canary_analysis.h"
#include "deploy/strategy_run.h"

namespace opz::deploy {
namespace {

class CanaryRun final : public StrategyRun {
 public:
  explicit CanaryRun(Setup setup)
      : StrategyRun(std::move(setup)),
        steps_(spec_.steps.empty() ? pipeline::default_canary_steps() : spec_.steps),
        new_slot_(stable_ && stable_->slot == "blue" ? "green" : "blue"),
        previous_slot_(stable_ ? stable_->slot : ""),
        analysis_(probes_, health_, seams_.timers, seams_.clock, events_, seams_.metrics) {
    serving_slot_ = previous_slot_;
  }

  bool promote() override {
    if (!paused_ || finished()) return false;
    events_.log("info", "canary promoted at " + std::to_string(weight_) + "%");
    end_pause();
    return true;
  }

  bool abort(const std::string& reason) override {
    if (!abortable_ || finished()) return false;
    abort_canary(PhaseResult::failure("canary aborted: " + reason));
    return true;
  }

 protected:
  SlotFacts new_version_slots() const override { return {new_slot_, previous_slot_, std::nullopt}; }

  void deploy() override {
    abortable_ = true;
    progress("deploying", new_slot_, 0);
    deploy_and_check(canary_env(0), [this](PhaseResult checked) {
      if (!checked.ok) {
        abort_canary(std::move(checked));
        return;
      }
      next_step();
    });
  }

  void post_hook_failed(PhaseResult failure) override {
    if (!auto_rollback_) {
      finish(result_for(DeployOutcome::kFailed, failure));
      return;
    }
    abort_canary(std::move(failure));
  }

  void stop_strategy() override {
    analysis_.cancel();
    paused_ = false;
  }

 private:
  std::vector<std::string> canary_env(int weight) const {
    return environment(version_of(target_), {new_slot_, previous_slot_, weight});
  }

  void next_step() {
    if (next_ >= steps_.size()) {
      if (weight_ < 100) {
        set_weight(100);
        return;
      }
      abortable_ = false;
      deployed(new_slot_);
      return;
    }
    const pipeline::CanaryStep& step = steps_[next_++];
    switch (step.kind) {
      case pipeline::CanaryStepKind::kSetWeight:
        set_weight(step.weight);
        return;
      case pipeline::CanaryStepKind::kPause:
        pause(step.pause);
        return;
      case pipeline::CanaryStepKind::kAnalysis:
        analyse(*step.analysis);
        return;
    }
  }

  void set_weight(int weight) {
    progress("canary " + std::to_string(weight) + "%", new_slot_, weight);
    run_command("traffic command", spec_.traffic_command, canary_env(weight),
                [this, weight](PhaseResult shifted) {
                  if (!shifted.ok) {
                    abort_canary(std::move(shifted));
                    return;
                  }
                  weight_ = weight;
                  next_step();
                });
  }

  void pause(std::optional<Millis> duration) {
    paused_ = true;
    progress("paused", new_slot_, weight_);
    if (duration) {
      seams_.timers.post_after(*duration, guard_.wrap([this] { end_pause(); }));
    } else {
      events_.log("info", "canary paused at " + std::to_string(weight_) + "% until promoted");
    }
  }

  void end_pause() {
    if (!paused_) return;
    paused_ = false;
    guard_.invalidate();  // a promoted timed pause's timer must not end the next one
    next_step();
  }

  void analyse(const pipeline::AnalysisSpec& spec) {
    progress("analysis", new_slot_, weight_);
    analysis_.run(spec, canary_env(weight_), [this](PhaseResult judged) {
      if (!judged.ok) {
        judged.error = "canary analysis failed: " + judged.error;
        abort_canary(std::move(judged));
        return;
      }
      next_step();
    });
  }

  // Weight back to 0: the stable version keeps all traffic.
  void abort_canary(PhaseResult cause) {
    abortable_ = false;
    stop_activity();
    mark_aborted();
    progress("rolling_back", new_slot_, 0);
    events_.log("warn", "aborting the canary at " + std::to_string(weight_) + "%: " + cause.error);
    run_command(
        "traffic command (weight 0)", spec_.traffic_command, canary_env(0),
        [this, cause](PhaseResult restored) {
          if (!restored.ok) {
            finish(restore_failed(cause, restored));
            return;
          }
          weight_ = 0;
          serving_slot_ = previous_slot_;
          finish(result_for(stable_ ? DeployOutcome::kRolledBack : DeployOutcome::kFailed, cause));
        });
  }

  const std::vector<pipeline::CanaryStep> steps_;
  const std::string new_slot_;
  const std::string previous_slot_;
  CanaryAnalysis analysis_;
  size_t next_ = 0;
  int weight_ = 0;
  bool paused_ = false;
  bool abortable_ = false;
};

}  // namespace

std::shared_ptr<DeploymentRun> make_canary_run(StrategyRun::Setup setup) {
  return std::make_shared<CanaryRun>(std::move(setup));
}

}  // namespace opz::deploy
