// GovernanceFacts: what the admission path reads before it asks the pure
// rules (governance::admit) — an environment's protection, the emergency
// stop, the freeze windows, an execution's approval tally, a rollback's
// deploy hold, the lifecycle gate in front of an environment — and the one
// thing it writes besides the execution: a new approval request.
//
// StoreGovernanceFacts (store_governance_facts.h) answers from the store;
// tests use an in-memory fake. Implementations must be thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "governance/admission.h"

namespace opz::trigger {

class GovernanceFacts {
 public:
  virtual ~GovernanceFacts() = default;
  // Environment `name` (exact) of `project_id`, or nullopt when it has none.
  virtual Result<std::optional<governance::EnvironmentProtection>> environment(
      const std::string& project_id, const std::string& name) = 0;
  virtual Result<governance::EmergencyStop> emergency_stop() = 0;
  // Every window that may apply to the project (its own and global ones).
  virtual Result<std::vector<governance::ZonedFreezeWindow>> freeze_windows(
      const std::string& project_id) = 0;
  // The tally of the execution's environment approval request, if any.
  virtual Result<std::optional<governance::Tally>> approval(const std::string& execution_id,
                                                            TimePoint now) = 0;
  // The active rollback hold of (project, environment), if any (none for
  // executions without a project).
  virtual Result<std::optional<governance::DeployHold>> deploy_hold(
      const std::string& project_id, const std::string& environment) = 0;
  // The lifecycle gate in front of the request's environment, with when the
  // request's commit last succeeded in the previous phase's environment;
  // nullopt when the project has no lifecycle or the environment is not in
  // it past its first phase.
  virtual Result<std::optional<governance::LifecycleGate>> lifecycle_gate(
      const governance::ExecutionRequest& request) = 0;
  // Opens an approval request for a held execution (once: a second call for
  // the same execution changes nothing) and notifies the eligible approvers.
  virtual Status request_approval(const governance::ApprovalRequest& request,
                                  const governance::EnvironmentProtection& protection) = 0;
};

}  // namespace opz::trigger
