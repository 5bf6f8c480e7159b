#include "governance/environment_protection.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/glob.h"
#include "governance/enum_names.h"
#include "governance/reason_length.h"

namespace opz::governance {

namespace {

constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxPatterns = 50;

constexpr detail::NameTable<QueueMode, 2> kQueueModes{{
    {QueueMode::kOldestFirst, "oldest_first"},
    {QueueMode::kNewestReadyFirst, "newest_ready_first"},
}};

constexpr detail::NameTable<ReviewerKind, 2> kReviewerKinds{{
    {ReviewerKind::kUser, "user"},
    {ReviewerKind::kRole, "role"},
}};

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
         c == '-' || c == '_' || c == '.';
}

EnvironmentProtection base(std::string name, int position, auth::Role role, bool auto_deploy) {
  EnvironmentProtection p;
  p.name = std::move(name);
  p.position = position;
  p.required_role = role;
  p.auto_deploy = auto_deploy;
  return p;
}

void lock_by_default(EnvironmentProtection& p, int approvals) {
  p.is_locked = true;
  p.lock_reason = "Locked by default (000 §4.1): unlock to deploy";
  p.requires_approval = true;
  p.required_approvals = approvals;
}

Status validate_patterns(const std::vector<std::string>& patterns, const std::string& field) {
  if (patterns.size() > kMaxPatterns)
    return Error::validation(field + " has more than 50 patterns", field);
  for (size_t i = 0; i < patterns.size(); ++i) {
    std::string at = field + "[" + std::to_string(i) + "]";
    if (patterns[i].empty()) return Error::validation(at + " is empty", at);
    auto glob = Glob::compile(patterns[i]);
    if (!glob) return Error::validation(at + ": " + glob.error().message, at);
  }
  return ok_status();
}

Status validate_reviewers(const EnvironmentProtection& p) {
  bool only_users = true;
  for (size_t i = 0; i < p.reviewers.size(); ++i) {
    const Reviewer& r = p.reviewers[i];
    std::string at = "reviewers[" + std::to_string(i) + "].id";
    if (r.id.empty()) return Error::validation(at + " is empty", at);
    if (r.kind == ReviewerKind::kRole) {
      only_users = false;
      auto role = auth::parse_role(r.id);
      if (!role || *role == auth::Role::kViewer)
        return Error::validation(at + " must be the role operator or admin, got '" + r.id + "'",
                                 at);
    }
    if (std::count(p.reviewers.begin(), p.reviewers.begin() + static_cast<long>(i), r) > 0)
      return Error::validation(at + " names '" + r.id + "' twice", at);
  }
  if (p.requires_approval && only_users && !p.reviewers.empty() &&
      static_cast<int>(p.reviewers.size()) < p.required_approvals)
    return Error::validation("reviewers names " + std::to_string(p.reviewers.size()) +
                                 " users, fewer than required_approvals " +
                                 std::to_string(p.required_approvals),
                             "reviewers");
  return ok_status();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::vector<EnvironmentProtection> default_environments() {
  std::vector<EnvironmentProtection> envs;
  envs.push_back(base("Development", 0, auth::Role::kViewer, true));
  envs.push_back(base("Staging", 1, auth::Role::kOperator, true));
  EnvironmentProtection preprod = base("PreProd", 2, auth::Role::kOperator, false);
  lock_by_default(preprod, 1);
  envs.push_back(std::move(preprod));
  EnvironmentProtection prod = base("Production", 3, auth::Role::kAdmin, false);
  lock_by_default(prod, 2);
  prod.wait_timer_seconds = 5 * 60;
  prod.restrict_refs = true;
  prod.allowed_branches = {"main", "master"};
  prod.allowed_tags = {"v*"};
  envs.push_back(std::move(prod));
  return envs;
}

Result<std::string> validate_environment_name(std::string_view name) {
  while (!name.empty() && is_ascii_space(name.front())) name.remove_prefix(1);
  while (!name.empty() && is_ascii_space(name.back())) name.remove_suffix(1);
  if (name.empty()) return Error::validation("environment name is empty", "name");
  if (name.size() > kMaxNameLength)
    return Error::validation("environment name is longer than 64 characters", "name");
  for (size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i]))
      return Error::validation(
          "environment name has a character other than ASCII letters, "
          "digits, space, '-', '_' or '.' at byte " +
              std::to_string(i),
          "name");
  }
  return std::string(name);
}

bool same_environment_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

const EnvironmentProtection* find_environment(const std::vector<EnvironmentProtection>& envs,
                                              std::string_view name) {
  for (const auto& e : envs)
    if (e.name == name) return &e;
  return nullptr;
}

Status validate_protection(const EnvironmentProtection& p) {
  auto name = validate_environment_name(p.name);
  if (!name) return name.error();
  if (*name != p.name)
    return Error::validation("environment name has surrounding whitespace", "name");
  if (p.position < 0) return Error::validation("position must be >= 0", "position");
  if (p.is_locked && p.lock_reason.empty())
    return Error::validation("a locked environment needs a lock_reason", "lock_reason");
  if (p.lock_reason.size() > kMaxGovernanceReasonLength)
    return Error::validation(
        "lock_reason is longer than " + std::to_string(kMaxGovernanceReasonLength) + " characters",
        "lock_reason");
  if (p.requires_approval &&
      (p.required_approvals < 1 || p.required_approvals > kMaxRequiredApprovals))
    return Error::validation("required_approvals must be 1..10 when approval is required",
                             "required_approvals");
  if (!p.requires_approval &&
      (p.required_approvals < 0 || p.required_approvals > kMaxRequiredApprovals))
    return Error::validation("required_approvals must be 0..10", "required_approvals");
  OPZ_TRY_STATUS(validate_reviewers(p));
  if (p.wait_timer_seconds < 0 || p.wait_timer_seconds > kMaxWaitTimerSeconds)
    return Error::validation("wait_timer_seconds must be 0..2592000 (43,200 minutes)",
                             "wait_timer_seconds");
  OPZ_TRY_STATUS(validate_patterns(p.allowed_branches, "allowed_branches"));
  OPZ_TRY_STATUS(validate_patterns(p.allowed_tags, "allowed_tags"));
  if (p.restrict_refs && p.allowed_branches.empty() && p.allowed_tags.empty())
    return Error::validation("restricted refs with no allowed branch or tag: nothing could deploy",
                             "allowed_branches");
  if (p.approval_expiry < std::chrono::minutes{1} ||
      p.approval_expiry > std::chrono::hours{24 * 365})
    return Error::validation("approval_expiry must be 1 minute..365 days", "approval_expiry");
  return ok_status();
}

bool ref_allowed(const EnvironmentProtection& p, RefKind kind, std::string_view ref_name) {
  if (!p.restrict_refs) return true;
  const std::vector<std::string>* patterns = kind == RefKind::kBranch ? &p.allowed_branches
                                             : kind == RefKind::kTag  ? &p.allowed_tags
                                                                      : nullptr;
  if (patterns == nullptr || ref_name.empty()) return false;
  return std::any_of(patterns->begin(), patterns->end(),
                     [&](const std::string& g) { return glob_match(g, ref_name); });
}

std::string describe_allowed_refs(const EnvironmentProtection& p) {
  if (!p.restrict_refs) return "any ref";
  std::string out;
  if (!p.allowed_branches.empty()) out = "branches " + join(p.allowed_branches);
  if (!p.allowed_tags.empty()) out += (out.empty() ? "" : "; ") + ("tags " + join(p.allowed_tags));
  return out.empty() ? "no ref" : out;
}

std::string describe_reviewers(const EnvironmentProtection& p) {
  if (p.reviewers.empty()) return "operator or admin";
  std::vector<std::string> names;
  for (const auto& r : p.reviewers) names.push_back(std::string(to_string(r.kind)) + " " + r.id);
  return join(names);
}

std::string_view to_string(QueueMode mode) { return detail::name_of(kQueueModes, mode); }
Result<QueueMode> parse_queue_mode(std::string_view text) {
  return detail::parse_named(kQueueModes, text, "queue_mode");
}
std::string_view to_string(ReviewerKind kind) { return detail::name_of(kReviewerKinds, kind); }
Result<ReviewerKind> parse_reviewer_kind(std::string_view text) {
  return detail::parse_named(kReviewerKinds, text, "kind");
}

}  // namespace opz::governance
