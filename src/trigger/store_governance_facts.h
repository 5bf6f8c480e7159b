// StoreGovernanceFacts: GovernanceFacts read from the store — a project's
// environments with their locks (store::EnvironmentStore), the active
// emergency stop, the freeze windows that may apply (compiled in their
// zones), an execution's environment approval request with its votes
// (tallied by governance::tally), the active deploy hold and the project's
// lifecycle with the previous phase's latest success of the commit
// (store/deployment_store.h; the lifecycle and that success are read in one
// snapshot). Executions without a project use the installation's global
// environments (governance::default_environments()) and have no hold and no
// lifecycle.
// Thread-safe (the stores are).
#pragma once

#include "core/clock.h"
#include "store/approval_store.h"
#include "store/database.h"
#include "store/emergency_stop_store.h"
#include "store/environment_store.h"
#include "store/freeze_window_store.h"
#include "trigger/governance_facts.h"

namespace opz::trigger {

class StoreGovernanceFacts final : public GovernanceFacts {
 public:
  StoreGovernanceFacts(store::Database& db, const Clock& clock);

  Result<std::optional<governance::EnvironmentProtection>> environment(
      const std::string& project_id, const std::string& name) override;
  Result<governance::EmergencyStop> emergency_stop() override;
  Result<std::vector<governance::ZonedFreezeWindow>> freeze_windows(
      const std::string& project_id) override;
  Result<std::optional<governance::Tally>> approval(const std::string& execution_id,
                                                    TimePoint now) override;
  Result<std::optional<governance::DeployHold>> deploy_hold(
      const std::string& project_id, const std::string& environment) override;
  Result<std::optional<governance::LifecycleGate>> lifecycle_gate(
      const governance::ExecutionRequest& request) override;
  Status request_approval(const governance::ApprovalRequest& request,
                          const governance::EnvironmentProtection& protection) override;

 private:
  store::Database& db_;
  store::EnvironmentStore environments_;
  store::EmergencyStopStore stops_;
  store::FreezeWindowStore windows_;
  store::ApprovalStore approvals_;
};

}  // namespace opz::trigger
