#include "auth/policy.h"

#include <algorithm>

namespace opz::auth {

namespace {
const std::vector<Role> kAll = {Role::kViewer, Role::kOperator, Role::kAdmin};
const std::vector<Role> kOps = {Role::kOperator, Role::kAdmin};
const std::vector<Role> kAdmin = {Role::kAdmin};
}  // namespace

const std::vector<PolicyEntry>& policy_table() {
  static const std::vector<PolicyEntry> kTable = {
      // Identity of the caller and their own tokens: every signed-in user.
      {"self.read", kAll, "Opzenix", false},
      {"tokens.manage_own", kAll, "Opzenix", false},
      // Users and roles.
      {"users.read", kAdmin, "Manage User Roles", false},
      {"users.manage", kAdmin, "Manage User Roles", false},
      // Organizations and projects: everyone reads, admins shape them,
      // operators may manage projects (they run them).
      {"organizations.read", kAll, "View Executions", false},
      {"organizations.manage", kAdmin, "Manage User Roles", false},
      {"projects.read", kAll, "View Executions", false},
      {"projects.manage", kOps, "Start Execution", false},
      {"integrations.manage", kAdmin, "Opzenix", false},
      // Connections (issue 12): everyone sees them and their health, operators
      // run a check, admins add and remove them (they hold credentials).
      {"connections.read", kAll, "View Executions", false},
      {"connections.check", kOps, "Opzenix", false},
      {"connections.manage", kAdmin, "Opzenix", false},
      // Remote agents (issue 14): everyone sees them and their work; admins
      // hand out registration tokens and disable agents.
      {"agents.read", kAll, "View Executions", false},
      {"agents.manage", kAdmin, "Opzenix", false},
      {"branch_mappings.read", kAll, "View Executions", false},
      {"branch_mappings.manage", kAdmin, "Opzenix", false},
      // Pipelines and executions.
      {"pipelines.read", kAll, "View Executions", false},
      {"pipelines.manage", kOps, "Start Execution", false},
      {"executions.read", kAll, "View Executions", false},
      {"executions.start", kOps, "Start Execution", true},
      {"executions.cancel", kOps, "Start Execution", true},
      {"executions.rerun", kOps, "Start Execution", true},
      {"executions.fail", kOps, "Start Execution", true},
      // Governance.
      {"approvals.read", kAll, "View Executions", false},
      {"approvals.vote", kOps, "Approve Deployments", true},
      // Notifications: each user reads and marks their own; operators send.
      {"notifications.read", kAll, "Opzenix", false},
      {"notifications.manage_own", kAll, "Opzenix", false},
      {"notifications.create", kOps, "Opzenix", false},
      {"project_webhooks.manage", kAdmin, "Opzenix", false},
      {"locks.read", kAll, "View Executions", false},
      {"locks.manage", kOps, "Manage Environment Locks", true},
      {"environments.read", kAll, "View Executions", false},
      {"environments.manage", kAdmin, "Access Production", false},
      {"freeze_windows.read", kAll, "View Executions", false},
      {"freeze_windows.manage", kAdmin, "Opzenix", false},
      {"emergency_stop.read", kAll, "View Executions", false},
      {"emergency_stop.manage", kAdmin, "Opzenix", false},
      // Deployments (issue 9). Rollback and promotion start executions: the
      // admission path also requires the target environment's role; canary
      // control and hold release check it in the handler.
      {"deployments.read", kAll, "View Executions", false},
      {"dashboard.read", kAll, "View Executions", false},
      {"deployments.rollback", kOps, "Start Execution", true},
      {"deployments.promote", kOps, "Start Execution", true},
      {"deployments.control", kOps, "Start Execution", true},
      {"holds.read", kAll, "View Executions", false},
      {"holds.release", kOps, "Manage Environment Locks", true},
      {"lifecycle.read", kAll, "View Executions", false},
      {"lifecycle.manage", kAdmin, "Opzenix", false},
      // Webhooks (the receiving endpoint itself is public: signature-verified).
      {"webhooks.read", kOps, "Opzenix", false},
      {"webhooks.replay", kAdmin, "Opzenix", false},
      // Audit trail: non-admins see their own entries only.
      {"audit.read", kAll, "View Audit Logs", true},
      {"audit.verify", kAdmin, "View Audit Logs", false},
      // Secrets (issue 12): everyone sees names and who changed them, never a
      // value; operators set project secrets, admins global ones. Environment
      // configuration is not secret.
      {"secrets.read", kAll, "Opzenix", false},
      {"secrets.manage", kOps, "Opzenix", false},
      {"secrets.manage_global", kAdmin, "Opzenix", false},
      {"environment_config.read", kAll, "View Executions", false},
      {"environment_config.manage", kOps, "Opzenix", false},
      // Advisories (issue 13): everyone sees the rules' settings, admins change them.
      {"advisory_rules.read", kAll, "Opzenix", false},
      {"advisory_rules.manage", kAdmin, "Opzenix", false},
      // Per-user dashboards (issue 13): each user keeps their own layouts and
      // preferences (the seeds' "user ownership" policy); everyone reads
      // widget metrics, operators record them.
      {"dashboard_layouts.manage_own", kAll, "Opzenix", false},
      {"user_preferences.manage_own", kAll, "Opzenix", false},
      {"widget_metrics.read", kAll, "View Executions", false},
      {"widget_metrics.write", kOps, "Opzenix", false},
      // Telemetry (issue 13): OTLP senders with a user's token are operators or
      // admins (collectors may use the ops ingest token instead); everyone reads.
      {"telemetry.ingest", kOps, "Opzenix", false},
      {"telemetry.read", kAll, "View Executions", false},
      // Server configuration (secrets masked).
      {"config.read", kAdmin, "Opzenix", false},
  };
  return kTable;
}

const PolicyEntry* find_policy(std::string_view action) {
  for (const auto& e : policy_table())
    if (e.action == action) return &e;
  return nullptr;
}

bool is_allowed(std::string_view action, Role role) {
  const PolicyEntry* e = find_policy(action);
  return e && std::find(e->roles.begin(), e->roles.end(), role) != e->roles.end();
}

}  // namespace opz::auth
