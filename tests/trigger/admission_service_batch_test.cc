// AdmissionService::submit_many: one delivery's fan-out decided as submit()
// would decide each request in turn, with the shared facts read once and the
// executions created in one engine call.
#include "trigger/admission_service.h"

#include <gtest/gtest.h>

#include "admission_service_fakes.h"

namespace opz::trigger {
namespace {

using testing::AdmissionServiceTest;
using namespace std::chrono_literals;

class AdmissionBatchTest : public AdmissionServiceTest {
 protected:
  std::vector<Result<store::ExecutionRecord>> submit_many(std::vector<AdmissionRequest> batch) {
    return service_->submit_many(std::move(batch));
  }
  // What the decision of `e` says about the deploy queue ("" when none).
  std::string queue_field(const store::ExecutionRecord& e, const std::string& field) {
    const Json q = row(e.id).metadata["governance"]["queue"];
    return q.is_object() && q[field].is_string() ? q[field].get<std::string>() : "";
  }
};

TEST_F(AdmissionBatchTest, AnswersEachRequestInOrderAndAFailingOneFailsAlone) {
  AdmissionRequest rejected = request("Development", "develop");
  rejected.execution.name = testing::FakeEngine::kRejectedName;
  auto results = submit_many({
      request("Development", "develop"),
      request("Nowhere", "main", auth::Role::kAdmin),  // a person, an unknown environment
      rejected,                                        // the engine refuses its execution
      request("Staging", "staging"),
  });
  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok()) << results[0].error().to_string();
  EXPECT_EQ(results[0]->environment, "Development");
  EXPECT_EQ(results[0]->governance_status, "allowed");
  EXPECT_EQ(results[0]->status, "running");
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().code, ErrorCode::kValidation);
  EXPECT_EQ(results[1].error().field, "environment");
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].error().code, ErrorCode::kValidation);
  EXPECT_EQ(results[2].error().message, "the engine rejects this one");
  ASSERT_TRUE(results[3].ok()) << results[3].error().to_string();
  EXPECT_EQ(results[3]->environment, "Staging");
  EXPECT_EQ(results[3]->governance_status, "allowed");
  // One engine call for the three admitted; the stored rows carry the decision.
  EXPECT_EQ(engine_->batches, std::vector<size_t>{3});
  EXPECT_EQ(row(results[3]->id).metadata["governance"]["status"], "allowed");
  EXPECT_EQ(row(results[3]->id).metadata["governance_request"]["environment"], "Staging");
}

// Held, pending approval, blocked: each request of a batch decided and
// followed up exactly as submit() does it.
TEST_F(AdmissionBatchTest, HeldPendingApprovalAndBlockedPerRequest) {
  {
    std::lock_guard lock(facts_.mu);
    facts_.holds["Development"] = {"dev-1a2b3c4", "checkout 500s", "d1", "user-1", clock_.now()};
    facts_.environments["Staging"].requires_approval = true;
    facts_.environments["Staging"].required_approvals = 1;
    facts_.environments["Production"].lock_reason = "release freeze for 2.0";
  }
  auto results = submit_many({
      request("Development", "develop"),                     // the rollback hold: waiting
      request("Staging", "staging"),                         // pending approval
      request("Production"),                                 // a push to a locked one: failed
      request("Production", "main", auth::Role::kAdmin),     // a person: refused
  });
  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok() && results[1].ok() && results[2].ok());
  EXPECT_EQ(results[0]->governance_status, "waiting");
  EXPECT_EQ(row(results[0]->id).status, "paused");
  EXPECT_EQ(results[1]->governance_status, "pending_approval");
  EXPECT_EQ(row(results[1]->id).status, "paused");
  ASSERT_EQ(facts_.approval_requests.size(), 1u);
  EXPECT_EQ(facts_.approval_requests[0].execution_id, results[1]->id);
  EXPECT_EQ(results[2]->status, "failed");
  EXPECT_EQ(results[2]->governance_status, "blocked");
  EXPECT_NE(results[2]->blocked_reason.find("release freeze for 2.0"), std::string::npos);
  EXPECT_NE(engine_->failed[results[2]->id].find("release freeze for 2.0"), std::string::npos);
  ASSERT_FALSE(results[3].ok());
  EXPECT_EQ(results[3].error().code, ErrorCode::kConflict);
  EXPECT_NE(results[3].error().message.find("release freeze for 2.0"), std::string::npos);
  EXPECT_TRUE(engine_->released.empty());

  // The held ones are released by the re-evaluation as submit()'s would be.
  {
    std::lock_guard lock(facts_.mu);
    facts_.holds.erase("Development");
  }
  service_->run_once();
  EXPECT_EQ(engine_->released, std::vector<std::string>{results[0]->id});
}

// The deploy queue between requests of one batch: the first deploys, the
// next wait behind it in order, each explanation naming the one ahead.
TEST_F(AdmissionBatchTest, RequestsForOneEnvironmentQueueBehindEachOther) {
  AdmissionRequest ci = request("Staging", "feature/x");
  ci.request.ci_only = true;
  ci.execution.metadata["ci_only"] = true;
  auto results = submit_many({request("Staging", "staging"), request("Staging", "staging"), ci,
                              request("Staging", "staging")});
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(results[0]->governance_status, "allowed");
  EXPECT_EQ(results[1]->governance_status, "waiting");
  EXPECT_EQ(queue_field(*results[1], "waits_for"), results[0]->id);
  EXPECT_EQ(results[2]->governance_status, "allowed");  // CI only: never queues
  EXPECT_EQ(results[3]->governance_status, "waiting");
  EXPECT_EQ(queue_field(*results[3], "verdict"), "wait");
  EXPECT_EQ(row(results[3]->id).metadata["governance"]["queue"]["position"], 2);

  service_->run_once();
  EXPECT_TRUE(engine_->released.empty());
  ASSERT_TRUE(engine_->set_status(results[0]->id, "success").ok());
  service_->run_once();
  EXPECT_EQ(engine_->released, std::vector<std::string>{results[1]->id});
  ASSERT_TRUE(engine_->set_status(results[1]->id, "success").ok());
  service_->run_once();
  EXPECT_EQ(engine_->released, (std::vector<std::string>{results[1]->id, results[3]->id}));
}

// Two requests for a locked environment and one for a queued one whose slot
// is taken by an execution from before the batch.
TEST_F(AdmissionBatchTest, ALockedAndABusyEnvironmentDecideEveryRequestOfTheBatch) {
  auto before = service_->submit(request("Staging", "staging"));
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->governance_status, "allowed");
  auto results = submit_many({request("Production"), request("Production"),
                              request("Staging", "staging"), request("Staging", "staging")});
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.error().to_string();
  for (int i : {0, 1}) {
    EXPECT_EQ(results[i]->status, "failed");
    EXPECT_EQ(results[i]->governance_status, "blocked");
    EXPECT_NE(results[i]->blocked_reason.find("locked"), std::string::npos)
        << results[i]->blocked_reason;
  }
  EXPECT_EQ(results[2]->governance_status, "waiting");
  EXPECT_EQ(queue_field(*results[2], "waits_for"), before->id);
  EXPECT_EQ(results[3]->governance_status, "waiting");
  EXPECT_EQ(row(results[3]->id).metadata["governance"]["queue"]["position"], 2);
}

// The same requests one by one through submit() and together through
// submit_many() are decided alike; the batch reads its shared facts once.
TEST_F(AdmissionBatchTest, DecidesAsSubmitOneByOneWouldWithTheFactsReadOnce) {
  {
    std::lock_guard lock(facts_.mu);
    facts_.environments["Production"].is_locked = false;
  }
  auto requests = [&] {
    return std::vector<AdmissionRequest>{
        request("Staging", "staging"), request("Production"), request("Staging", "staging"),
        request("Development", "develop"), request("Production"), request("Staging", "staging")};
  };
  std::vector<Result<store::ExecutionRecord>> one_by_one;
  for (AdmissionRequest& r : requests()) {
    one_by_one.push_back(service_->submit(std::move(r)));
    clock_.advance(1ms);
  }
  const std::map<std::string, int> sequential_reads = facts_.reads;
  // The same again in a fresh environment queue: finish every execution first.
  for (const auto& r : one_by_one) {
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(engine_->set_status(r->id, "cancelled").ok());
  }
  facts_.reads.clear();
  auto together = submit_many(requests());
  ASSERT_EQ(together.size(), one_by_one.size());
  for (size_t i = 0; i < together.size(); ++i) {
    ASSERT_TRUE(together[i].ok()) << i << ": " << together[i].error().to_string();
    EXPECT_EQ(together[i]->governance_status, one_by_one[i]->governance_status) << i;
    EXPECT_EQ(row(together[i]->id).metadata["governance"]["queue"]["position"],
              row(one_by_one[i]->id).metadata["governance"]["queue"]["position"])
        << i;
  }
  EXPECT_EQ(one_by_one[2]->governance_status, "waiting");
  EXPECT_EQ(one_by_one[4]->governance_status, "pending_approval");
  // Three environments of one project: protection, hold and lifecycle gate
  // once per environment, the emergency stop and freeze windows once.
  EXPECT_EQ(sequential_reads.at("environment"), 6);
  EXPECT_EQ(facts_.reads["environment"], 3);
  EXPECT_EQ(facts_.reads["deploy_hold"], 3);
  EXPECT_EQ(facts_.reads["lifecycle_gate"], 3);
  EXPECT_EQ(facts_.reads["emergency_stop"], 1);
  EXPECT_EQ(facts_.reads["freeze_windows"], 1);
  EXPECT_EQ(engine_->batches.back(), 6u);
}

}  // namespace
}  // namespace opz::trigger
