// DeploymentActions: a person's rollback and promotion (issue 9 "Rollback and
// promotion"), turned into an execution that goes through the ONE admission
// path (trigger::Admission::submit) like every other start.
//
// Both redeploy an earlier deployment's version through the same deploy
// definition: the deploy node that produced it, taken from its execution's
// pipeline snapshot (executions.pipeline), run alone (needs and condition
// cleared) as a one-node pipeline with the source execution's workspace
// source, branch/tag and commit. The engine keeps a local mirror of git
// workspaces, so a commit deployed before checks out with the remote
// unreachable; nothing is read from the repository here.
//
// The new execution carries metadata.deployment = {"id" (pre-generated),
// "kind": "rollback" | "promotion", "rollback_of" | "promoted_from",
// "version", "commit_sha", "image_tag", "artifact_id", "reason"} and
// metadata.image_tag; the engine's deploy node handler adopts the pending
// deployment row by that id (and may create it from the metadata when it runs
// before the row is inserted: create() here then finds it and returns it).
//
// Contract:
// - Every check happens before anything is written: an unknown deployment is
//   kNotFound (field "deployment_id"); a target of another environment or
//   project, a target that never succeeded, an unknown or identical
//   promotion environment are kValidation naming the field. Admission's
//   refusal (a lock, the role, a freeze, the lifecycle) is returned as it is
//   (kConflict / kForbidden / kValidation quoting the rule), exactly as a
//   refused POST /api/v1/executions. On any error nothing is written: no
//   execution, no deployment row.
// - On acceptance (running or held by governance) the pending deployment row
//   is inserted with the execution's id; `audit` (when given) runs inside
//   that insert's transaction.
// Thread-safe (the stores and the admission path are).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "auth/role.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/deployment_store.h"
#include "store/environment_store.h"
#include "store/execution_store.h"
#include "trigger/admission.h"

namespace opz::trigger {

// Runs in the transaction that inserts the new deployment row.
using DeploymentAudit =
    std::function<Status(store::SqlSession& tx, const store::DeploymentRecord& created)>;

struct RollbackCommand {
  std::string target_deployment_id;  // the deployment whose version comes back
  std::string environment;           // must be the target's environment
  std::string project_id;            // optional: when set, the target's project
  std::string reason;
  std::string actor;  // user id
  std::optional<auth::Role> role;
  DeploymentAudit audit = {};
};

struct PromoteCommand {
  std::string deployment_id;  // the deployment whose version moves on
  std::string to_environment;
  std::string reason;
  std::string actor;
  std::optional<auth::Role> role;
  DeploymentAudit audit = {};
};

struct DeploymentActionResult {
  store::DeploymentRecord deployment;  // the NEW deployment, status pending
  store::ExecutionRecord execution;    // its execution (running or held)
  Json governance = Json::object();    // the admission decision's explanation
};

class DeploymentActions {
 public:
  DeploymentActions(store::Database& db, Admission& admission, const Clock& clock);

  Result<DeploymentActionResult> rollback(const RollbackCommand& command);
  Result<DeploymentActionResult> promote(const PromoteCommand& command);

 private:
  // What an accepted action submits and records.
  struct Plan;
  enum class Kind { kRollback, kPromotion };
  // Checks the source's execution record and builds the one-node execution,
  // its governance request by `actor` and the pending row for `environment`.
  Result<Plan> plan_from(const store::DeploymentRecord& source, const std::string& environment,
                         Kind kind, const std::string& actor, std::optional<auth::Role> role);
  Result<DeploymentActionResult> submit(Plan plan, const DeploymentAudit& audit);

  store::DeploymentStore deployments_;
  store::ExecutionStore executions_;
  store::EnvironmentStore environments_;
  store::Database& db_;
  Admission& admission_;
};

}  // namespace opz::trigger
