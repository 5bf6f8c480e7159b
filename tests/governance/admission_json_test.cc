#include "governance/admission_json.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace opz::governance {
namespace {

TEST(ExplanationJson, CarriesStatusRulesAndQueue) {
  TimePoint now = *parse_time("2026-06-01T10:00:00Z");
  auto envs = default_environments();
  ExecutionRequest r;
  r.project_id = "p1";
  r.environment = "Development";
  r.trigger = TriggerKind::kWebhook;
  AdmissionState state;
  state.queue.running = "e0";
  Json j = explanation_json(admit(r, find_environment(envs, "Development"), state, now));
  EXPECT_EQ(j["status"], "waiting");
  EXPECT_TRUE(j["wait_until"].is_null());
  ASSERT_EQ(j["rules"].size(), 11u);
  EXPECT_EQ(j["rules"][0]["rule"], "environment_exists");
  EXPECT_EQ(j["rules"][0]["result"], "pass");
  EXPECT_EQ(j["rules"][10]["rule"], "deploy_queue");
  EXPECT_EQ(j["rules"][10]["result"], "wait");
  EXPECT_EQ(j["queue"]["waits_for"], "e0");
  EXPECT_EQ(j["queue"]["position"], 1);

  envs[3].is_locked = true;
  r.environment = "Production";
  j = explanation_json(admit(r, find_environment(envs, "Production"), state, now));
  EXPECT_EQ(j["status"], "blocked");
  EXPECT_EQ(j["blocked_reason"], "Environment Production is locked: " + envs[3].lock_reason);
  EXPECT_TRUE(j["queue"].is_null());
}

// The hold and the lifecycle show in the explanation like every rule.
TEST(ExplanationJson, ShowsTheDeployHoldAndTheLifecycle) {
  TimePoint now = *parse_time("2026-06-01T10:00:00Z");
  auto envs = default_environments();
  ExecutionRequest r;
  r.project_id = "p1";
  r.environment = "Staging";
  r.commit_sha = "abc1234def5678901234567890abcdef12345678";
  r.trigger = TriggerKind::kPoll;
  AdmissionState state;
  state.hold = DeployHold{"staging-9f8e7d6", "health check failed", "d2", "u1", now};
  state.lifecycle = LifecycleGate{"Development", std::chrono::minutes{10}, now};
  Json j = explanation_json(admit(r, find_environment(envs, "Staging"), state, now));
  EXPECT_EQ(j["status"], "waiting");
  EXPECT_EQ(j["wait_until"], "2026-06-01T10:10:00.000Z");
  EXPECT_EQ(j["rules"][3]["rule"], "deploy_hold");
  EXPECT_EQ(j["rules"][3]["result"], "wait");
  EXPECT_EQ(j["rules"][3]["unblock_by"], "operator or admin");
  EXPECT_TRUE(j["rules"][3]["ends_at"].is_null());
  EXPECT_NE(j["rules"][3]["reason"].get<std::string>().find("health check failed"),
            std::string::npos);
  EXPECT_EQ(j["rules"][4]["rule"], "lifecycle");
  EXPECT_EQ(j["rules"][4]["result"], "wait");
  EXPECT_EQ(j["rules"][4]["ends_at"], "2026-06-01T10:10:00.000Z");
}

}  // namespace
}  // namespace opz::governance
