#include "trigger/store_governance_facts.h"

#include <gtest/gtest.h>

#include "store/deployment_store.h"
#include "trigger_test_support.h"

namespace opz::trigger {
namespace {

using namespace std::chrono_literals;

class StoreGovernanceFactsTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    deployments_ = std::make_unique<store::DeploymentStore>(*db_, deploy_clock_);
    facts_ = std::make_unique<StoreGovernanceFacts>(*db_, clock_);
  }
  governance::ExecutionRequest request(const std::string& environment, const std::string& sha) {
    governance::ExecutionRequest r;
    r.project_id = project_.id;
    r.environment = environment;
    r.commit_sha = sha;
    r.trigger = governance::TriggerKind::kWebhook;
    return r;
  }
  // A deployment of `sha` to `environment` that ends with `status`.
  std::string deploy(const std::string& environment, const std::string& sha,
                     const std::string& status) {
    store::DeploymentRecord d;
    d.project_id = project_.id;
    d.environment = environment;
    d.version = "v-" + sha.substr(0, 7);
    d.commit_sha = sha;
    auto created = deployments_->create(d);
    EXPECT_TRUE(created.ok()) << created.error().to_string();
    EXPECT_TRUE(deployments_->start(*created).ok());
    if (status == "success") {
      auto ok = deployments_->succeed(created->id);
      EXPECT_TRUE(ok.ok()) << ok.error().to_string();
    } else {
      EXPECT_TRUE(deployments_->finish(created->id, status, "broken", false).ok());
    }
    return created->id;
  }

  ManualClock deploy_clock_{*parse_time("2026-06-01T10:00:00Z")};
  std::unique_ptr<store::DeploymentStore> deployments_;
  std::unique_ptr<StoreGovernanceFacts> facts_;
};

TEST_F(StoreGovernanceFactsTest, TheActiveHoldUntilReleased) {
  auto none = facts_->deploy_hold(project_.id, "Production");
  ASSERT_TRUE(none.ok()) << none.error().to_string();
  EXPECT_FALSE(*none);

  const std::string rollback = deploy("Production", testing::sha_of('b'), "success");
  store::DeploymentHoldRecord h;
  h.project_id = project_.id;
  h.environment = "Production";
  h.deployment_id = rollback;
  h.version_tag = "v3";
  h.reason = "checkout 500s";
  h.created_by = "u1";
  ASSERT_TRUE(deployments_->hold(h).ok());

  auto held = facts_->deploy_hold(project_.id, "Production");
  ASSERT_TRUE(held.ok() && *held);
  EXPECT_EQ((*held)->version_tag, "v3");
  EXPECT_EQ((*held)->reason, "checkout 500s");
  EXPECT_EQ((*held)->deployment_id, rollback);
  EXPECT_EQ((*held)->created_by, "u1");
  EXPECT_EQ((*held)->since, deploy_clock_.now());
  EXPECT_FALSE(*facts_->deploy_hold(project_.id, "Staging"));  // per environment
  EXPECT_FALSE(*facts_->deploy_hold("", "Production"));        // no project: no hold

  ASSERT_TRUE(deployments_->release_hold(project_.id, "Production", "u2").ok());
  EXPECT_FALSE(*facts_->deploy_hold(project_.id, "Production"));
}

TEST_F(StoreGovernanceFactsTest, TheLifecycleGateWithThePreviousPhasesLatestSuccess) {
  const std::string sha = testing::sha_of('c');
  auto no_lifecycle = facts_->lifecycle_gate(request("Production", sha));
  ASSERT_TRUE(no_lifecycle.ok()) << no_lifecycle.error().to_string();
  EXPECT_FALSE(*no_lifecycle);

  ASSERT_TRUE(
      deployments_
          ->set_lifecycle(project_.id,
                          {{0, "Development", 0}, {1, "Staging", 0}, {2, "Production", 1800}})
          .ok());
  EXPECT_FALSE(*facts_->lifecycle_gate(request("Development", sha)));  // the first phase
  EXPECT_FALSE(*facts_->lifecycle_gate(request("PreProd", sha)));      // not in it

  auto never = facts_->lifecycle_gate(request("Production", sha));
  ASSERT_TRUE(never.ok() && *never);
  EXPECT_EQ((*never)->previous_environment, "Staging");
  EXPECT_EQ((*never)->soak, 1800s);
  EXPECT_FALSE((*never)->previous_success_at);

  deploy("Staging", sha, "failed");                    // a failure does not count
  deploy("Development", sha, "success");               // nor another environment
  deploy("Staging", testing::sha_of('d'), "success");  // nor another commit
  EXPECT_FALSE((*facts_->lifecycle_gate(request("Production", sha)))->previous_success_at);

  deploy_clock_.advance(1h);
  deploy("Staging", sha, "success");
  auto gate = facts_->lifecycle_gate(request("Production", sha));
  ASSERT_TRUE(gate.ok() && *gate);
  EXPECT_EQ((*gate)->previous_success_at, deploy_clock_.now());

  deploy_clock_.advance(1h);  // the latest success counts
  deploy("Staging", sha, "success");
  EXPECT_EQ((*facts_->lifecycle_gate(request("Production", sha)))->previous_success_at,
            deploy_clock_.now());
}

}  // namespace
}  // namespace opz::trigger
