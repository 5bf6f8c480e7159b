// The authorization policy: ONE table mapping every API action to the roles
// allowed to perform it, transcribed from the seeds' RBAC matrix (000 §7.2).
//
// Every authenticated route names an action (http::RouteOptions::action); the
// API layer checks it here before calling the handler. A route whose action
// is missing from this table is a bug: tests/api/policy_test.cc walks every
// route x every role against this table.
//
// Rules that depend on the target, not only the role, are marked `scoped` and
// refined by the handler (e.g. "Manage Environment Locks: operator non-prod
// only", "View Audit Logs: own only" for non-admins).
#pragma once

#include <string_view>
#include <vector>

#include "auth/role.h"

namespace opz::auth {

struct PolicyEntry {
  std::string_view action;       // "executions.start"
  std::vector<Role> roles;       // roles that may perform it
  std::string_view seed_row;     // the 000 §7.2 row it comes from, or "Opzenix" when ours
  bool scoped = false;           // the handler narrows it further by target
};

const std::vector<PolicyEntry>& policy_table();
// nullptr when the action is unknown.
const PolicyEntry* find_policy(std::string_view action);
bool is_allowed(std::string_view action, Role role);

}  // namespace opz::auth
