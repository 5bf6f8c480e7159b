#include "governance/environment_protection.h"

#include <gtest/gtest.h>

#include "governance/reason_length.h"

namespace opz::governance {
namespace {

EnvironmentProtection valid() {
  EnvironmentProtection p;
  p.name = "Production";
  p.requires_approval = true;
  p.required_approvals = 2;
  return p;
}

std::string bad_field(const EnvironmentProtection& p) {
  Status s = validate_protection(p);
  EXPECT_FALSE(s.ok());
  if (s.ok()) return "";
  EXPECT_EQ(s.error().code, ErrorCode::kValidation);
  return s.error().field;
}

TEST(DefaultEnvironments, FollowSeed000Table) {
  auto envs = default_environments();
  ASSERT_EQ(envs.size(), 4u);
  EXPECT_EQ(envs[0].name, "Development");
  EXPECT_FALSE(envs[0].requires_approval);
  EXPECT_FALSE(envs[0].is_locked);
  EXPECT_EQ(envs[0].required_role, auth::Role::kViewer);
  EXPECT_TRUE(envs[0].auto_deploy);
  EXPECT_EQ(envs[1].name, "Staging");
  EXPECT_EQ(envs[1].required_role, auth::Role::kOperator);
  EXPECT_TRUE(envs[1].auto_deploy);
  EXPECT_EQ(envs[2].name, "PreProd");
  EXPECT_TRUE(envs[2].is_locked);
  EXPECT_EQ(envs[2].required_approvals, 1);
  EXPECT_FALSE(envs[2].auto_deploy);
  const auto& prod = envs[3];
  EXPECT_EQ(prod.name, "Production");
  EXPECT_TRUE(prod.is_locked);
  EXPECT_FALSE(prod.lock_reason.empty());
  EXPECT_EQ(prod.required_role, auth::Role::kAdmin);
  EXPECT_EQ(prod.required_approvals, 2);
  EXPECT_EQ(prod.wait_timer_seconds, 300);
  EXPECT_EQ(prod.approval_expiry, std::chrono::hours{24 * 30});
  for (size_t i = 0; i < envs.size(); ++i) {
    EXPECT_EQ(envs[i].position, static_cast<int>(i));
    EXPECT_TRUE(validate_protection(envs[i]).ok()) << envs[i].name;
  }
  EXPECT_TRUE(ref_allowed(prod, RefKind::kBranch, "main"));
  EXPECT_TRUE(ref_allowed(prod, RefKind::kBranch, "master"));
  EXPECT_TRUE(ref_allowed(prod, RefKind::kTag, "v1.2.3"));
  EXPECT_FALSE(ref_allowed(prod, RefKind::kBranch, "v1.2.3"));
  EXPECT_FALSE(ref_allowed(prod, RefKind::kBranch, "feature/x"));
  EXPECT_FALSE(ref_allowed(prod, RefKind::kNone, ""));
  EXPECT_TRUE(ref_allowed(envs[0], RefKind::kNone, ""));
  EXPECT_EQ(describe_allowed_refs(prod), "branches main, master; tags v*");
}

TEST(EnvironmentName, TrimsAndRefusesLookAlikes) {
  EXPECT_EQ(*validate_environment_name("  Production "), "Production");
  EXPECT_EQ(*validate_environment_name("eu-west_1.prod"), "eu-west_1.prod");
  for (std::string_view bad :
       {"", "   ", "Production\u200b", "Pr\u043eduction", "Prod\tuction", "a/b", "x\x01"}) {
    auto r = validate_environment_name(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "name");
  }
  EXPECT_TRUE(validate_environment_name(std::string(64, 'a')).ok());
  EXPECT_FALSE(validate_environment_name(std::string(65, 'a')).ok());
}

TEST(EnvironmentName, SameNameIgnoresAsciiCaseOnly) {
  EXPECT_TRUE(same_environment_name("production", "Production"));
  EXPECT_FALSE(same_environment_name("production", "production-eu"));
  EXPECT_FALSE(same_environment_name("Production", "Pr\u043eduction"));
  auto envs = default_environments();
  EXPECT_NE(find_environment(envs, "Production"), nullptr);
  EXPECT_EQ(find_environment(envs, "production"), nullptr);
  EXPECT_EQ(find_environment(envs, "Production "), nullptr);
}

TEST(ValidateProtection, NamesTheBadField) {
  EXPECT_TRUE(validate_protection(valid()).ok());
  auto p = valid();
  p.name = " Production";
  EXPECT_EQ(bad_field(p), "name");
  p = valid();
  p.is_locked = true;
  EXPECT_EQ(bad_field(p), "lock_reason");
  p.lock_reason.assign(kMaxGovernanceReasonLength + 1, 'r');
  EXPECT_EQ(bad_field(p), "lock_reason");
  p.lock_reason.pop_back();
  EXPECT_TRUE(validate_protection(p).ok()) << "the limit itself is allowed";
  p = valid();
  p.required_approvals = 0;
  EXPECT_EQ(bad_field(p), "required_approvals");
  p.required_approvals = 11;
  EXPECT_EQ(bad_field(p), "required_approvals");
  p = valid();
  p.wait_timer_seconds = kMaxWaitTimerSeconds + 1;
  EXPECT_EQ(bad_field(p), "wait_timer_seconds");
  p.wait_timer_seconds = -1;
  EXPECT_EQ(bad_field(p), "wait_timer_seconds");
  p = valid();
  p.wait_timer_seconds = kMaxWaitTimerSeconds;
  EXPECT_TRUE(validate_protection(p).ok());
  p.allowed_branches = {"main", ""};
  EXPECT_EQ(bad_field(p), "allowed_branches[1]");
  p.allowed_branches = {"[z-a]"};
  EXPECT_EQ(bad_field(p), "allowed_branches[0]");
  p = valid();
  p.restrict_refs = true;
  EXPECT_EQ(bad_field(p), "allowed_branches");
  p = valid();
  p.approval_expiry = std::chrono::seconds{0};
  EXPECT_EQ(bad_field(p), "approval_expiry");
}

TEST(ValidateProtection, ReviewersMustBeEnoughAndWellFormed) {
  auto p = valid();
  p.reviewers = {{ReviewerKind::kUser, "u1"}};
  EXPECT_EQ(bad_field(p), "reviewers");
  p.reviewers.push_back({ReviewerKind::kUser, "u2"});
  EXPECT_TRUE(validate_protection(p).ok());
  p.reviewers.push_back({ReviewerKind::kUser, "u2"});
  EXPECT_EQ(bad_field(p), "reviewers[2].id");
  p.reviewers = {{ReviewerKind::kRole, "viewer"}};
  EXPECT_EQ(bad_field(p), "reviewers[0].id");
  p.reviewers = {{ReviewerKind::kRole, "admin"}};  // a role counts as many users
  EXPECT_TRUE(validate_protection(p).ok());
  p.reviewers = {{ReviewerKind::kUser, ""}};
  EXPECT_EQ(bad_field(p), "reviewers[0].id");
  EXPECT_EQ(describe_reviewers(valid()), "operator or admin");
  p.reviewers = {{ReviewerKind::kUser, "u1"}, {ReviewerKind::kRole, "admin"}};
  EXPECT_EQ(describe_reviewers(p), "user u1, role admin");
}

TEST(ValidateProtection, QueueModeNames) {
  EXPECT_EQ(to_string(QueueMode::kNewestReadyFirst), "newest_ready_first");
  EXPECT_EQ(*parse_queue_mode("oldest_first"), QueueMode::kOldestFirst);
  EXPECT_EQ(parse_queue_mode("lifo").error().field, "queue_mode");
}

}  // namespace
}  // namespace opz::governance
