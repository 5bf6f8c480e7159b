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
  ASSERT_EQ(j["rules"].size(), 9u);
  EXPECT_EQ(j["rules"][0]["rule"], "environment_exists");
  EXPECT_EQ(j["rules"][0]["result"], "pass");
  EXPECT_EQ(j["rules"][8]["rule"], "deploy_queue");
  EXPECT_EQ(j["rules"][8]["result"], "wait");
  EXPECT_EQ(j["queue"]["waits_for"], "e0");
  EXPECT_EQ(j["queue"]["position"], 1);

  envs[3].is_locked = true;
  r.environment = "Production";
  j = explanation_json(admit(r, find_environment(envs, "Production"), state, now));
  EXPECT_EQ(j["status"], "blocked");
  EXPECT_EQ(j["blocked_reason"], "Environment Production is locked: " + envs[3].lock_reason);
  EXPECT_TRUE(j["queue"].is_null());
}

}  // namespace
}  // namespace opz::governance
