// EnvironmentStore: the environments of each project (project_environments)
// with their lock rows (environment_locks), migration 006.
//
// Contract:
//   * environments come back in (position, name) order, each with its lock
//     row (EnvironmentState); lookups by name are exact (byte equality),
//     while names are unique per project without regard to ASCII case (a
//     second "production" is kConflict naming "name");
//   * a project's lock row mirrors its environment's required role (the role
//     that may lock and unlock: "admin" when only admins deploy there, else
//     "operator") and requires_approval; update() keeps them in step and a
//     rename renames the lock row and the environment's freeze windows in the
//     same transaction;
//   * every mutation is one write transaction; its `also` hook runs inside it
//     after the change (the audit row), and an error from `check` or `also`
//     rolls everything back;
//   * this store does not validate rules (governance::validate_protection,
//     called by the API) and never includes governance headers.
// Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct ReviewerRecord {
  std::string kind = "user";  // "user" | "role"
  std::string id;
  bool operator==(const ReviewerRecord&) const = default;
};

struct EnvironmentRecord {
  std::string id;
  std::string project_id;
  std::string name;
  int position = 0;
  bool requires_approval = false;
  int required_approvals = 0;
  std::string required_role = "operator";  // admin | operator | viewer
  std::vector<ReviewerRecord> reviewers;
  bool prevent_self_approval = true;
  int64_t wait_timer_seconds = 0;
  bool restrict_refs = false;
  std::vector<std::string> allowed_branches;
  std::vector<std::string> allowed_tags;
  bool auto_deploy = false;
  int64_t approval_expiry_seconds = 30 * 24 * 3600;
  std::string queue_mode = "oldest_first";  // oldest_first | newest_ready_first
  std::string created_at;
  std::string updated_at;
};

// The seeds' environment_locks row of one project's environment.
struct EnvironmentLockRecord {
  std::string id;
  std::string project_id;
  std::string environment;
  bool is_locked = false;
  std::string lock_reason;
  std::string required_role;  // who may lock/unlock: "admin" or "operator"
  bool requires_approval = false;
  std::string locked_by;
  std::string locked_at;
  std::string unlocked_by;
  std::string unlocked_at;
  std::string updated_at;
};

struct EnvironmentState {
  EnvironmentRecord environment;
  EnvironmentLockRecord lock;
};

// Runs inside the write transaction on the state before the change; an error
// aborts it (e.g. a role check against the environment's current rules).
using EnvironmentCheck = std::function<Status(const EnvironmentState& before)>;
// Runs inside the same transaction after the change (e.g. the audit row).
using EnvironmentAlso = std::function<Status(SqlSession& tx, const EnvironmentState& after)>;

// The environments of `project_id` with their locks, in order; kNotFound when
// the project does not exist. For callers that already hold a transaction
// (the admission path).
Result<std::vector<EnvironmentState>> load_environments(SqlSession& s,
                                                        const std::string& project_id);

// Gives a new project the global `environments` rows as its own environments
// and lock rows (the mapping migration 006 applies to existing projects).
// Runs inside the caller's transaction (ProjectStore::create_project).
Status insert_default_environments(SqlSession& s, const std::string& project_id,
                                   const std::string& now);

class EnvironmentStore {
 public:
  EnvironmentStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Everything the admission path needs of one project: its environments and
  // their locks, in order. kNotFound when the project does not exist.
  Result<std::vector<EnvironmentState>> load(const std::string& project_id);
  // kNotFound naming the environment when no environment has exactly `name`.
  Result<EnvironmentState> find(const std::string& project_id, const std::string& name);

  // Adds `env` (project_id from the argument; position < 0: after the last)
  // with an unlocked lock row. kConflict (field "name") on a duplicate name.
  Result<EnvironmentState> create(const std::string& project_id, EnvironmentRecord env,
                                  const EnvironmentAlso& also = {});
  // Applies `edit` to the environment's rules in one transaction (a changed
  // name renames it); id, project_id and timestamps are kept.
  Result<EnvironmentState> update(const std::string& project_id, const std::string& name,
                                  const std::function<Status(EnvironmentRecord&)>& edit,
                                  const EnvironmentAlso& also = {});
  // Locks with `reason` (locked_by/locked_at set; a locked one gets the new
  // reason), or unlocks (unlocked_by/unlocked_at set, the reason cleared).
  Result<EnvironmentState> lock(const std::string& project_id, const std::string& name,
                                const std::string& reason, const std::string& user_id,
                                const EnvironmentCheck& check = {},
                                const EnvironmentAlso& also = {});
  Result<EnvironmentState> unlock(const std::string& project_id, const std::string& name,
                                  const std::string& user_id, const EnvironmentCheck& check = {},
                                  const EnvironmentAlso& also = {});

 private:
  Result<EnvironmentState> set_lock(const std::string& project_id, const std::string& name,
                                    bool locked, const std::string& reason,
                                    const std::string& user_id, const EnvironmentCheck& check,
                                    const EnvironmentAlso& also);

  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
