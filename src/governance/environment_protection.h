// EnvironmentProtection: the rules one environment of a project enforces on a
// deployment — lock, required role, N-of-M approvals with optional named
// reviewers, self-approval, wait timer, allowed refs, auto-deploy, approval
// expiry and deploy-queue mode (issue 8; seeds 000 §4.1, §7.2 and 001
// "Environment Protection Rules").
//
// Plain values and pure validation: nothing here reads or writes storage.
// The store maps rows to these types; the API validates with the functions
// below before writing (each error is kValidation naming the field). Safe to
// share between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/role.h"
#include "core/result.h"
#include "governance/execution_request.h"

namespace opz::governance {

enum class ReviewerKind { kUser, kRole };

// A named reviewer: a user (id = user id) or every user holding at least a
// role (id = "operator" or "admin").
struct Reviewer {
  ReviewerKind kind = ReviewerKind::kUser;
  std::string id;
  bool operator==(const Reviewer&) const = default;
};

// kOldestFirst: waiting deployments run in arrival order. kNewestReadyFirst:
// the newest ready one runs next and supersedes older waiting ones.
enum class QueueMode { kOldestFirst, kNewestReadyFirst };

inline constexpr int64_t kMaxWaitTimerSeconds = int64_t{43200} * 60;  // GitHub: 43,200 min
inline constexpr int kMaxRequiredApprovals = 10;
inline constexpr std::chrono::seconds kDefaultApprovalExpiry = std::chrono::hours{24 * 30};

struct EnvironmentProtection {
  std::string name;  // normalised (validate_environment_name)
  int position = 0;  // Development 0 < Staging 1 < PreProd 2 < Production 3
  bool is_locked = false;
  std::string lock_reason;  // required when locked; quoted verbatim when it blocks
  std::string locked_by;    // user id; empty for the defaults
  // The least role a requester needs; kViewer means "all roles" (who may
  // start an execution at all is the route policy's business).
  auth::Role required_role = auth::Role::kOperator;
  bool requires_approval = false;
  int required_approvals = 0;       // 1..10 when requires_approval
  std::vector<Reviewer> reviewers;  // empty: any operator or admin may approve
  bool prevent_self_approval = true;
  int64_t wait_timer_seconds = 0;  // 0..kMaxWaitTimerSeconds, after approval
  // false: any ref may deploy. true: only branches matching allowed_branches
  // and tags matching allowed_tags (core/glob.h patterns).
  bool restrict_refs = false;
  std::vector<std::string> allowed_branches;
  std::vector<std::string> allowed_tags;
  bool auto_deploy = false;
  std::chrono::seconds approval_expiry = kDefaultApprovalExpiry;
  QueueMode queue_mode = QueueMode::kOldestFirst;
};

// Seed 000 §4.1 (with 001's Production wait timer and the branch mapper's
// Production refs): Development (no approval, unlocked, all roles, auto),
// Staging (no approval, unlocked, operator, auto), PreProd (1 approval,
// locked, operator, manual), Production (2 approvals, locked, admin, manual,
// 5-minute wait timer, branches main/master and tags v*).
std::vector<EnvironmentProtection> default_environments();

// Trims ASCII whitespace and returns the name, or kValidation (field "name")
// when it is empty, longer than 64 characters, or has a character outside
// ASCII letters, digits, ' ', '-', '_' and '.' (so zero-width spaces,
// Cyrillic look-alikes and control characters are refused).
Result<std::string> validate_environment_name(std::string_view name);

// Case-insensitive (ASCII) equality: a project may not hold both
// "production" and "Production".
bool same_environment_name(std::string_view a, std::string_view b);

// The environment named exactly `name`, or nullptr.
const EnvironmentProtection* find_environment(const std::vector<EnvironmentProtection>& envs,
                                              std::string_view name);

// Checks one environment's rules; kValidation naming the first bad field
// ("name", "lock_reason", "required_approvals", "reviewers[1].id",
// "wait_timer_seconds", "allowed_branches[0]", "approval_expiry", ...).
Status validate_protection(const EnvironmentProtection& protection);

// Whether `ref_name` of `kind` may deploy under the allowed-ref rule.
bool ref_allowed(const EnvironmentProtection& protection, RefKind kind, std::string_view ref_name);
// "branches main, master; tags v*", or "any ref" when unrestricted.
std::string describe_allowed_refs(const EnvironmentProtection& protection);
// Who may approve: "operator or admin", or the named reviewers
// ("user u1, role admin").
std::string describe_reviewers(const EnvironmentProtection& protection);

std::string_view to_string(QueueMode mode);  // "oldest_first", "newest_ready_first"
Result<QueueMode> parse_queue_mode(std::string_view text);
std::string_view to_string(ReviewerKind kind);  // "user", "role"
Result<ReviewerKind> parse_reviewer_kind(std::string_view text);

}  // namespace opz::governance
