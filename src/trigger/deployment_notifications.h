// Deployment outcomes told to people and to the audit trail (issue 9: a
// failed deployment or rollback "alerts and notifies"; every automatic
// rollback and hold is audited). Called by the deploy node handler's
// on_finished hook (engine/deploy_node_handler.h) on the deploy loop.
//
//   succeeded    audit "deployment.succeeded" (the execution's own
//                deployment_complete notification comes from
//                ExecutionNotifications)
//   rolled_back  notification "deployment_rolled_back" to the deployer and the
//                project's webhooks; audit "deployment.rolled_back" with the
//                reason and whether automatic deploys are now held
//   failed / blocked
//                notification "deployment_failed"; audit "deployment.failed"
//                / "deployment.blocked"
//   cancelled    audit only
// Thread-safe (Notifier and AuditLog are).
#pragma once

#include "audit/audit_log.h"
#include "engine/deploy_node_handler.h"
#include "trigger/notifier.h"

namespace opz::trigger {

Status announce_deployment(Notifier& notifier, audit::AuditLog& audit,
                           const engine::DeploymentOutcome& outcome);

}  // namespace opz::trigger
