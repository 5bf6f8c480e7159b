// Rolling: the deploy steps replace the running version in place, then the
// health check. When either fails (or a post_deploy hook does) and
// auto_rollback is on with a stable version to return to, the same steps run
// again with the stable version's OPZENIX_VERSION / _COMMIT_SHA / _IMAGE_TAG
// and the health check must pass again: kRolledBack, or kFailed when the
// restore fails too. Without a stable version or auto_rollback: kFailed.
#include <utility>

#include "deploy/strategy_run.h"

namespace opz::deploy {
namespace {

class RollingRun final : public StrategyRun {
 public:
  using StrategyRun::StrategyRun;

 protected:
  void deploy() override {
    progress("deploying");
    deploy_and_check(environment(version_of(target_), {}), [this](PhaseResult checked) {
      if (!checked.ok) {
        failed_after_deploy(std::move(checked));
        return;
      }
      deployed("");
    });
  }

  void post_hook_failed(PhaseResult failure) override { failed_after_deploy(std::move(failure)); }

 private:
  void failed_after_deploy(PhaseResult cause) {
    if (!auto_rollback_ || !stable_) {
      finish(result_for(DeployOutcome::kFailed, cause));
      return;
    }
    mark_aborted();
    progress("rolling_back");
    events_.log("warn",
                "redeploying the stable version " + stable_->version + " (" + cause.error + ")");
    deploy_and_check(environment(version_of(*stable_), {}), [this, cause](PhaseResult restored) {
      finish(restored.ok ? result_for(DeployOutcome::kRolledBack, cause)
                         : restore_failed(cause, restored));
    });
  }
};

}  // namespace

std::shared_ptr<DeploymentRun> make_rolling_run(StrategyRun::Setup setup) {
  return std::make_shared<RollingRun>(std::move(setup));
}

}  // namespace opz::deploy
