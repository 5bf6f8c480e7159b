#include "governance/deploy_hold.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace opz::governance {
namespace {

struct DeployHoldRule : ::testing::Test {
  ExecutionRequest request;
  DeployHold hold;

  DeployHoldRule() {
    request.project_id = "p1";
    request.environment = "Production";
    request.commit_sha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    request.trigger = TriggerKind::kWebhook;
    request.requested_by = "github:octocat";
    hold.version_tag = "v3";
    hold.reason = "checkout 500s";
    hold.deployment_id = "d9";
    hold.created_by = "u1";
    hold.since = *parse_time("2026-06-01T10:00:00Z");
  }
};

TEST_F(DeployHoldRule, NoHoldPasses) {
  RuleOutcome o = check_deploy_hold(request, "Production", std::nullopt);
  EXPECT_EQ(o.rule, "deploy_hold");
  EXPECT_EQ(o.result, RuleResult::kPass);
  EXPECT_EQ(o.reason, "no rollback holds automatic deploys to Production");
  EXPECT_EQ(o.unblock_by, "");
}

TEST_F(DeployHoldRule, TriggersWaitWithoutAnEndUntilTheHoldIsReleased) {
  for (TriggerKind trigger : {TriggerKind::kWebhook, TriggerKind::kPoll}) {
    request.trigger = trigger;
    RuleOutcome o = check_deploy_hold(request, "Production", hold);
    EXPECT_EQ(o.result, RuleResult::kWait);
    EXPECT_EQ(o.reason,
              "automatic deploys to Production are held since the rollback of v3: checkout 500s "
              "(release the hold: DELETE /api/v1/projects/p1/environments/Production/hold)");
    EXPECT_EQ(o.unblock_by, "operator or admin");
    EXPECT_FALSE(o.ends_at);
  }
}

TEST_F(DeployHoldRule, APersonsRequestBypassesTheHoldAndSaysSo) {
  request.requested_by = "u2";
  request.requester_role = auth::Role::kAdmin;
  for (TriggerKind trigger :
       {TriggerKind::kApi, TriggerKind::kRerun, TriggerKind::kPromotion, TriggerKind::kRollback}) {
    request.trigger = trigger;
    RuleOutcome o = check_deploy_hold(request, "Production", hold);
    EXPECT_EQ(o.result, RuleResult::kPass) << to_string(trigger);
    EXPECT_EQ(o.reason,
              "automatic deploys to Production are held since the rollback of v3: "
              "checkout 500s; bypassed by an explicit " +
                  std::string(to_string(trigger)) + " request from u2");
  }
}

TEST_F(DeployHoldRule, AHoldWithoutVersionOrReasonStillReads) {
  hold.version_tag.clear();
  hold.reason.clear();
  EXPECT_EQ(check_deploy_hold(request, "Staging", hold).reason,
            "automatic deploys to Staging are held since the rollback of a bad version "
            "(release the hold: DELETE /api/v1/projects/p1/environments/Staging/hold)");
  EXPECT_EQ(release_hold_path("p2", "Development"),
            "/api/v1/projects/p2/environments/Development/hold");
}

}  // namespace
}  // namespace opz::governance
