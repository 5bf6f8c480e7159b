#include "governance/lifecycle_gate.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace opz::governance {
namespace {

using namespace std::chrono;

struct LifecycleRule : ::testing::Test {
  TimePoint now = *parse_time("2026-06-01T10:00:00Z");
  ExecutionRequest request;
  LifecycleGate gate{"Staging", minutes{30}, std::nullopt};

  LifecycleRule() {
    request.project_id = "p1";
    request.environment = "Production";
    request.ref_kind = RefKind::kTag;
    request.ref_name = "v1.4.0";
    request.commit_sha = "abc1234def5678901234567890abcdef12345678";
    request.trigger = TriggerKind::kPromotion;
    request.requested_by = "u1";
    request.requester_role = auth::Role::kAdmin;
  }
  RuleOutcome check() { return check_lifecycle(request, "Production", gate, now); }
};

TEST(LifecycleGateOf, ThePreviousPhaseAndTheEnteredPhasesSoak) {
  std::vector<LifecyclePhase> phases{
      {"Development", seconds{0}}, {"Staging", seconds{60}}, {"Production", seconds{1800}}};
  auto gate = lifecycle_gate(phases, "Production");
  ASSERT_TRUE(gate);
  EXPECT_EQ(gate->previous_environment, "Staging");
  EXPECT_EQ(gate->soak, seconds{1800});
  EXPECT_FALSE(gate->previous_success_at);
  EXPECT_EQ(lifecycle_gate(phases, "Staging")->previous_environment, "Development");
  EXPECT_FALSE(lifecycle_gate(phases, "Development"));  // the first phase
  EXPECT_FALSE(lifecycle_gate(phases, "PreProd"));      // not in the lifecycle
  EXPECT_FALSE(lifecycle_gate(phases, "production"));   // exact names only
  EXPECT_FALSE(lifecycle_gate({}, "Production"));       // no lifecycle
}

TEST_F(LifecycleRule, NoGatePasses) {
  RuleOutcome o = check_lifecycle(request, "Production", std::nullopt, now);
  EXPECT_EQ(o.rule, "lifecycle");
  EXPECT_EQ(o.result, RuleResult::kPass);
  EXPECT_EQ(o.reason, "Production is not gated by a lifecycle (no lifecycle, or its first phase)");
}

TEST_F(LifecycleRule, NeverSucceededInThePreviousEnvironmentBlocks) {
  RuleOutcome o = check();
  EXPECT_EQ(o.result, RuleResult::kBlock);
  EXPECT_EQ(o.reason,
            "v1.4.0 (commit abc1234) has not succeeded in Staging, which comes before Production "
            "in the project's lifecycle");
  EXPECT_EQ(o.unblock_by, "a successful deployment of it to Staging");
  EXPECT_FALSE(o.ends_at);
  request.ref_kind = RefKind::kBranch;  // a branch names no version: the commit
  request.ref_name = "main";
  EXPECT_EQ(check().reason,
            "commit abc1234 has not succeeded in Staging, which comes before Production in the "
            "project's lifecycle");
}

TEST_F(LifecycleRule, SucceededButSoakingWaitsUntilTheSoakEnds) {
  gate.previous_success_at = now - minutes{10};
  RuleOutcome o = check();
  EXPECT_EQ(o.result, RuleResult::kWait);
  EXPECT_EQ(o.ends_at, *parse_time("2026-06-01T10:20:00Z"));
  EXPECT_EQ(o.reason,
            "v1.4.0 (commit abc1234) succeeded in Staging, which comes before Production in the "
            "project's lifecycle, at " +
                format_time(now - minutes{10}) + "; its soak time of 1800 s runs until " +
                format_time(*parse_time("2026-06-01T10:20:00Z")));
  EXPECT_EQ(o.unblock_by, "the soak time ending");

  now += minutes{20} - seconds{1};
  EXPECT_EQ(check().result, RuleResult::kWait);
  now += seconds{1};
  o = check();
  EXPECT_EQ(o.result, RuleResult::kPass);
  EXPECT_NE(o.reason.find("soak time of 1800 s ended at"), std::string::npos);
  EXPECT_FALSE(o.ends_at);
}

TEST_F(LifecycleRule, SucceededWithoutSoakPasses) {
  gate.soak = seconds{0};
  gate.previous_success_at = now - seconds{1};
  RuleOutcome o = check();
  EXPECT_EQ(o.result, RuleResult::kPass);
  EXPECT_EQ(o.reason,
            "v1.4.0 (commit abc1234) succeeded in Staging, which comes before Production in the "
            "project's lifecycle, at " +
                format_time(now - seconds{1}));
}

TEST_F(LifecycleRule, ARollbackRestoresAVersionAlreadyDeployedHere) {
  request.trigger = TriggerKind::kRollback;
  RuleOutcome o = check();  // never succeeded in Staging: a rollback still passes
  EXPECT_EQ(o.result, RuleResult::kPass);
  EXPECT_EQ(o.reason,
            "a rollback restores a version already deployed to Production; the lifecycle does not "
            "apply");
}

}  // namespace
}  // namespace opz::governance
