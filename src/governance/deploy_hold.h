// DeployHold: after a rollback marked a version bad, automatic deploys to
// that (project, environment) are held until someone releases the hold —
// otherwise the next push would redeploy the bad commit (issue 9; argo-cd
// #5351, #9570; kargo #3016).
//
// The deploy_hold rule: with an active hold, a system trigger's execution
// (webhook, poll) waits with no end — releasing the hold (DELETE
// /api/v1/projects/{id}/environments/{name}/hold) is the event that re-runs
// admission. A person's request (api, rerun, promotion, rollback) passes:
// asking explicitly for a version is exactly what the hold waits for; the
// reason says the hold was bypassed. No hold: pass.
//
// Pure: no I/O, no clock. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "governance/execution_request.h"
#include "governance/rule_outcome.h"

namespace opz::governance {

struct DeployHold {
  std::string version_tag;    // the version that was rolled back (marked bad)
  std::string reason;         // the rollback's reason
  std::string deployment_id;  // the rollback (or failed deployment) that set it
  std::string created_by;
  TimePoint since{};
};

// The path of the API call that releases the hold of `environment`.
std::string release_hold_path(const std::string& project_id, const std::string& environment);

// The "deploy_hold" outcome for `request` to `environment` (its exact name).
RuleOutcome check_deploy_hold(const ExecutionRequest& request, const std::string& environment,
                              const std::optional<DeployHold>& hold);

}  // namespace opz::governance
