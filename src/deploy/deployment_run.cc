#include "deploy/deployment_run.h"

#include <utility>

#include "deploy/strategy_run.h"

namespace opz::deploy {

std::string_view to_string(DeployOutcome o) {
  switch (o) {
    case DeployOutcome::kSucceeded:
      return "succeeded";
    case DeployOutcome::kFailed:
      return "failed";
    case DeployOutcome::kBlocked:
      return "blocked";
    case DeployOutcome::kRolledBack:
      return "rolled_back";
    case DeployOutcome::kCancelled:
      return "cancelled";
  }
  return "failed";
}

std::shared_ptr<DeploymentRun> DeploymentRun::create(pipeline::DeploySpec spec, DeployTarget target,
                                                     std::optional<StableVersion> stable,
                                                     bool auto_rollback, DeploySeams seams,
                                                     DeployEvents& events,
                                                     std::function<void(DeployResult)> done) {
  const pipeline::DeployStrategy strategy = spec.strategy;
  StrategyRun::Setup setup{
      std::move(spec), std::move(target), std::move(stable), auto_rollback, seams,
      events,          std::move(done)};
  switch (strategy) {
    case pipeline::DeployStrategy::kBlueGreen:
      return make_blue_green_run(std::move(setup));
    case pipeline::DeployStrategy::kCanary:
      return make_canary_run(std::move(setup));
    case pipeline::DeployStrategy::kRolling:
      break;
  }
  return make_rolling_run(std::move(setup));
}

}  // namespace opz::deploy
