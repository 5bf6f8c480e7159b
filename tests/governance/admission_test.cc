#include "governance/admission.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace opz::governance {
namespace {

using namespace std::chrono;
using auth::Role;

constexpr std::string_view kSha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

struct Admission : ::testing::Test {
  ManualClock clock{*parse_time("2026-06-01T10:00:00Z")};
  std::vector<EnvironmentProtection> envs = default_environments();
  EnvironmentProtection& dev = envs[0];
  EnvironmentProtection& preprod = envs[2];
  EnvironmentProtection& prod = envs[3];
  AdmissionState state;
  ExecutionRequest push;

  Admission() {
    push.project_id = "p1";
    push.environment = "Production";
    push.ref_kind = RefKind::kBranch;
    push.ref_name = "main";
    push.commit_sha = std::string(kSha);
    push.trigger = TriggerKind::kWebhook;
    push.requested_by = "github:octocat";
    state.execution_id = "e1";
    prod.is_locked = false;
  }

  AdmissionDecision run(const ExecutionRequest& r, const EnvironmentProtection* p) {
    return admit(r, p, state, clock.now());
  }
  AdmissionDecision run() { return run(push, find_environment(envs, push.environment)); }

  Tally approved_at(TimePoint at) {
    Tally t;
    t.status = ApprovalStatus::kApproved;
    t.approvals = 2;
    t.required = 2;
    t.commit_sha = std::string(kSha);
    t.decided_at = at;
    return t;
  }
};

TEST_F(Admission, RulesComeInTheSeedsOrder) {
  AdmissionDecision d = run();
  std::vector<std::string> names;
  for (const auto& r : d.rules) names.push_back(r.rule);
  EXPECT_EQ(names, (std::vector<std::string>{"environment_exists", "emergency_stop",
                                             "environment_locked", "deploy_hold", "lifecycle",
                                             "approval_required", "wait_timer", "role_authorized",
                                             "ref_allowed", "freeze_window", "deploy_queue"}));
}

TEST_F(Admission, UnknownEnvironmentBlocksAndSkipsTheRest) {
  push.environment = "Production\u200b";
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kBlocked);
  EXPECT_NE(d.blocked_reason.find("does not exist"), std::string::npos);
  EXPECT_EQ(d.rules.size(), 11u);
  for (size_t i = 1; i < d.rules.size(); ++i) EXPECT_EQ(d.rules[i].result, RuleResult::kSkipped);
  push.ci_only = true;
  EXPECT_EQ(run().status, AdmissionStatus::kBlocked);
}

TEST_F(Admission, LockBlocksQuotingTheReasonVerbatim) {
  prod.is_locked = true;
  prod.lock_reason = "Quarterly close — no deploys";
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kBlocked);
  EXPECT_EQ(d.blocked_reason, "Environment Production is locked: Quarterly close — no deploys");
  EXPECT_EQ(d.find("environment_locked")->unblock_by, "admin");
  push.environment = "PreProd";
  EXPECT_EQ(run().find("environment_locked")->unblock_by, "operator or admin");
  EXPECT_TRUE(preprod.is_locked);
}

TEST_F(Admission, AnAdminsRollbackPassesALockOthersDoNot) {
  prod.is_locked = true;
  prod.lock_reason = "incident 42";
  ExecutionRequest rollback = push;
  rollback.trigger = TriggerKind::kRollback;
  rollback.requested_by = "u-op";
  rollback.requester_role = auth::Role::kOperator;
  AdmissionDecision d = run(rollback, &prod);
  EXPECT_EQ(d.find("environment_locked")->result, RuleResult::kBlock);
  rollback.requester_role = auth::Role::kAdmin;
  d = run(rollback, &prod);
  EXPECT_EQ(d.find("environment_locked")->result, RuleResult::kPass);
  EXPECT_EQ(d.find("environment_locked")->reason,
            "Environment Production is locked: incident 42; an admin's rollback passes the lock");
  // An admin's ordinary start or promotion still needs the unlock.
  ExecutionRequest start = rollback;
  start.trigger = TriggerKind::kApi;
  EXPECT_EQ(run(start, &prod).find("environment_locked")->result, RuleResult::kBlock);
  start.trigger = TriggerKind::kPromotion;
  EXPECT_EQ(run(start, &prod).find("environment_locked")->result, RuleResult::kBlock);
}

TEST_F(Admission, ApprovalThenWaitTimerThenAllowed) {
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kPendingApproval);
  EXPECT_EQ(d.find("approval_required")->result, RuleResult::kNeedsApproval);
  EXPECT_EQ(d.find("approval_required")->unblock_by, "operator or admin");
  EXPECT_EQ(d.find("wait_timer")->result, RuleResult::kSkipped);
  EXPECT_EQ(d.find("deploy_queue")->result, RuleResult::kSkipped);

  Tally half = approved_at(clock.now());
  half.status = ApprovalStatus::kPending;
  half.approvals = 1;
  half.decided_at.reset();
  state.approval = half;
  EXPECT_EQ(run().status, AdmissionStatus::kPendingApproval);

  clock.advance(minutes{2});
  state.approval = approved_at(clock.now());
  d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kWaiting);
  EXPECT_EQ(d.wait_until, clock.now() + minutes{5});
  EXPECT_EQ(d.find("approval_required")->result, RuleResult::kPass);
  clock.advance(minutes{5} - seconds{1});
  EXPECT_EQ(run().status, AdmissionStatus::kWaiting);
  clock.advance(seconds{1});
  d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kAllowed);
  EXPECT_FALSE(d.wait_until);
  EXPECT_EQ(d.queue->verdict, QueueVerdict::kRunNow);
}

// auto_deploy false: a trigger's run needs one approval (the manual "go"),
// a person's start does not.
TEST_F(Admission, AnEnvironmentThatDoesNotDeployAutomaticallyHoldsTriggers) {
  prod.requires_approval = false;
  prod.required_approvals = 0;
  prod.wait_timer_seconds = 0;
  prod.auto_deploy = false;
  AdmissionDecision held = run();
  EXPECT_EQ(held.status, AdmissionStatus::kPendingApproval);
  EXPECT_NE(held.find("approval_required")->reason.find("does not deploy automatically"),
            std::string::npos);
  EXPECT_TRUE(needs_approval(push, prod));
  Tally one = approved_at(clock.now());
  one.approvals = one.required = 1;
  state.approval = one;
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);

  state.approval.reset();
  ExecutionRequest person = push;
  person.trigger = TriggerKind::kApi;
  person.requester_role = Role::kAdmin;
  person.requested_by = "u1";
  EXPECT_FALSE(needs_approval(person, prod));
  EXPECT_EQ(run(person, &prod).status, AdmissionStatus::kAllowed);
  prod.auto_deploy = true;
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);
}

TEST_F(Admission, ApprovalOfAnotherCommitDoesNotCount) {
  state.approval = approved_at(clock.now() - hours{1});
  state.approval->commit_sha = "ffffffffffffffffffffffffffffffffffffffff";
  EXPECT_EQ(run().status, AdmissionStatus::kPendingApproval);
}

TEST_F(Admission, RejectionAndExpiryBlock) {
  Tally rejected = approved_at(clock.now());
  rejected.status = ApprovalStatus::kRejected;
  rejected.rejected_by = "alice";
  rejected.rejection_comment = "breaks checkout";
  state.approval = rejected;
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kBlocked);
  EXPECT_EQ(d.blocked_reason, "Rejected by alice: breaks checkout");
  state.approval->status = ApprovalStatus::kExpired;
  EXPECT_NE(run().blocked_reason.find("expired"), std::string::npos);
}

TEST_F(Admission, RoleMustReachTheEnvironmentsRequiredRole) {
  state.approval = approved_at(clock.now() - hours{1});
  push.trigger = TriggerKind::kApi;
  push.requested_by = "u-op";
  push.requester_role = Role::kOperator;
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kBlocked);
  EXPECT_EQ(d.blocked_reason, "Role operator may not deploy to Production (requires admin)");
  EXPECT_EQ(d.find("role_authorized")->unblock_by, "admin");
  push.requester_role = Role::kAdmin;
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);
  push.requester_role.reset();  // a user-started request must carry a role
  EXPECT_EQ(run().status, AdmissionStatus::kBlocked);
  push.trigger = TriggerKind::kPoll;  // the integration authorizes system triggers
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);
  push.environment = "Development";
  push.trigger = TriggerKind::kApi;
  push.requester_role = Role::kViewer;  // "all roles"
  EXPECT_EQ(run().find("role_authorized")->result, RuleResult::kPass);
}

TEST_F(Admission, RefMustBeAllowed) {
  state.approval = approved_at(clock.now() - hours{1});
  push.ref_name = "feature/x";
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kBlocked);
  EXPECT_EQ(d.blocked_reason,
            "branch 'feature/x' may not deploy to Production (allowed: branches main, master; "
            "tags v*)");
  push.ref_kind = RefKind::kTag;
  push.ref_name = "v2.0.0";
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);
}

TEST_F(Admission, FreezeWaitsUntilItEndsAndAnAdminMayOverride) {
  push.environment = "Development";
  FreezeWindow w;
  w.id = "fw1";
  w.project_id = "p1";
  w.environment = "Development";
  w.start = *parse_local_datetime("2026-06-01T11:00", "start");  // Berlin CEST = 09:00Z
  w.end = *parse_local_datetime("2026-06-01T12:00", "end");      // 10:00Z
  w.timezone = "Europe/Berlin";
  w.reason = "conference demo";
  state.freeze_windows.push_back(*ZonedFreezeWindow::compile(w));
  clock.advance(-minutes{1});  // 09:59Z
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kWaiting);
  EXPECT_EQ(d.wait_until, *parse_time("2026-06-01T10:00:00Z"));
  EXPECT_NE(d.find("freeze_window")->reason.find("conference demo"), std::string::npos);
  EXPECT_EQ(d.find("deploy_queue")->result, RuleResult::kSkipped);

  push.override_freeze_reason = "hotfix for outage";
  push.requester_role = Role::kOperator;
  push.trigger = TriggerKind::kApi;
  d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kWaiting);
  EXPECT_NE(d.find("freeze_window")->reason.find("ignored"), std::string::npos);
  push.requester_role = Role::kAdmin;
  d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kAllowed);
  EXPECT_TRUE(d.freeze_overridden);

  push.override_freeze_reason.clear();
  clock.advance(minutes{1});  // the window ends: the execution resumes by itself
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);
}

TEST_F(Admission, EmergencyStopHoldsEveryDeploymentUntilLifted) {
  push.environment = "Development";
  state.emergency_stop = {true, "bad migration in flight", "admin1", clock.now()};
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kWaiting);
  EXPECT_FALSE(d.wait_until);
  EXPECT_EQ(d.find("emergency_stop")->unblock_by, "admin");
  EXPECT_NE(d.find("emergency_stop")->reason.find("bad migration in flight"), std::string::npos);
  state.emergency_stop.active = false;
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);
}

TEST_F(Admission, QueueOrdersDeploymentsPerEnvironment) {
  push.environment = "Development";
  state.queue.running = "e0";
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kWaiting);
  EXPECT_EQ(d.queue->waits_for, "e0");
  EXPECT_NE(d.find("deploy_queue")->reason.find("e0"), std::string::npos);
  dev.queue_mode = QueueMode::kNewestReadyFirst;
  state.queue.waiting = {{"e1", clock.now(), true}, {"e2", clock.now() + seconds{1}, true}};
  state.requested_at = clock.now();
  d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kBlocked);
  EXPECT_EQ(d.queue->superseded_by, "e2");
}

TEST_F(Admission, CiOnlyChecksExistenceAndRoleOnly) {
  prod.is_locked = true;
  prod.lock_reason = "frozen";
  state.emergency_stop.active = true;
  push.ci_only = true;
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kAllowed);
  EXPECT_EQ(d.find("environment_locked")->result, RuleResult::kSkipped);
  EXPECT_EQ(d.find("role_authorized")->result, RuleResult::kPass);
  state.hold = DeployHold{"v3", "bad", "d1", "u1", clock.now()};
  state.lifecycle = LifecycleGate{"Staging", seconds{0}, std::nullopt};
  d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kAllowed);
  EXPECT_EQ(d.find("deploy_hold")->result, RuleResult::kSkipped);
  EXPECT_EQ(d.find("lifecycle")->result, RuleResult::kSkipped);
  EXPECT_FALSE(d.queue);
  EXPECT_EQ(to_string(AdmissionStatus::kPendingApproval), "pending_approval");
  EXPECT_EQ(to_string(RuleResult::kNeedsApproval), "needs_approval");
}

// After a rollback, a push waits on the hold with no end (its release is the
// event); a person's request goes through it.
TEST_F(Admission, ARollbackHoldMakesTriggersWaitButNotPeople) {
  push.environment = "Development";
  state.hold = DeployHold{"dev-1a2b3c4", "500s on /checkout", "d7", "u1", clock.now()};
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kWaiting);
  EXPECT_FALSE(d.wait_until);
  EXPECT_EQ(d.find("deploy_hold")->result, RuleResult::kWait);
  EXPECT_EQ(
      d.find("deploy_hold")->reason,
      "automatic deploys to Development are held since the rollback of dev-1a2b3c4: 500s on "
      "/checkout (release the hold: DELETE /api/v1/projects/p1/environments/Development/hold)");
  EXPECT_EQ(d.find("deploy_hold")->unblock_by, "operator or admin");
  EXPECT_EQ(d.find("deploy_queue")->result, RuleResult::kSkipped);

  ExecutionRequest person = push;
  person.trigger = TriggerKind::kApi;
  person.requester_role = Role::kOperator;
  person.requested_by = "u2";
  d = run(person, &dev);
  EXPECT_EQ(d.status, AdmissionStatus::kAllowed);
  EXPECT_NE(d.find("deploy_hold")->reason.find("bypassed by an explicit api request from u2"),
            std::string::npos);

  state.hold.reset();  // released
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);
}

TEST_F(Admission, TheLifecycleBlocksAVersionThatSkippedAPhaseAndWaitsOutTheSoak) {
  push.environment = "Development";  // no approval, auto deploy: only the lifecycle holds it
  push.commit_sha = "abc1234def5678901234567890abcdef12345678";
  state.lifecycle = LifecycleGate{"Staging", minutes{30}, std::nullopt};
  AdmissionDecision d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kBlocked);
  EXPECT_EQ(d.blocked_reason,
            "commit abc1234 has not succeeded in Staging, which comes before Development in the "
            "project's lifecycle");

  state.lifecycle->previous_success_at = clock.now() - minutes{5};
  d = run();
  EXPECT_EQ(d.status, AdmissionStatus::kWaiting);
  EXPECT_EQ(d.wait_until, clock.now() + minutes{25});
  EXPECT_EQ(d.find("lifecycle")->ends_at, clock.now() + minutes{25});

  clock.advance(minutes{25});
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);

  state.lifecycle->previous_success_at.reset();
  push.trigger = TriggerKind::kRollback;
  push.requester_role = Role::kOperator;
  push.requested_by = "u1";
  EXPECT_EQ(run().status, AdmissionStatus::kAllowed);
}

}  // namespace
}  // namespace opz::governance
