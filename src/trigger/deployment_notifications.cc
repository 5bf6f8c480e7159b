#include "trigger/deployment_notifications.h"

namespace opz::trigger {

namespace {

// A person to notify: a user id, not "github:octocat" or "poll".
std::vector<std::string> person(const std::string& user_id) {
  if (user_id.empty() || user_id.find(':') != std::string::npos) return {};
  return {user_id};
}

}  // namespace

Status announce_deployment(Notifier& notifier, audit::AuditLog& audit,
                           const engine::DeploymentOutcome& outcome) {
  const store::DeploymentRecord& d = outcome.deployment;
  const bool ok = outcome.outcome == "succeeded";
  const bool rolled_back = outcome.outcome == "rolled_back";
  Json details{{"project_id", d.project_id},   {"environment", d.environment},
               {"version", d.version},         {"commit_sha", d.commit_sha},
               {"strategy", d.strategy},       {"execution_id", d.execution_id},
               {"outcome", outcome.outcome},   {"reason", outcome.error},
               {"rollback_of", d.rollback_of}, {"hold_created", outcome.hold_created}};
  const std::string action = ok                                ? "deployment.succeeded"
                             : rolled_back                     ? "deployment.rolled_back"
                             : outcome.outcome == "blocked"    ? "deployment.blocked"
                             : outcome.outcome == "cancelled" ? "deployment.cancelled"
                                                               : "deployment.failed";
  OPZ_TRY_STATUS(audit.record({action, "deployment", d.id, d.deployed_by, details, ""}));
  if (ok || outcome.outcome == "cancelled") return {};

  Notification n;
  n.type = rolled_back ? "deployment_rolled_back" : "deployment_failed";
  n.target_user_ids = person(d.deployed_by);
  n.project_id = d.project_id;
  n.payload = details;
  n.payload["deployment_id"] = d.id;
  n.text = "Deployment of " + d.version + " to " + d.environment +
           (rolled_back ? " was rolled back" : " " + outcome.outcome) +
           (outcome.error.empty() ? "" : ": " + outcome.error) +
           (outcome.hold_created ? " (automatic deploys held)" : "");
  return notifier.notify(n);
}

}  // namespace opz::trigger
