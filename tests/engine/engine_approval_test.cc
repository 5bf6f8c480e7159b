// Approval gates: waiting/paused, approve and reject paths, deadlines.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace opz::engine {
namespace {

class EngineApprovalTest : public EngineFixture {
 protected:
  std::string gated() {
    return submit(R"(
nodes:
  build: {run: 'true'}
  gate:
    type: approval
    needs: build
    environment: Production
    with: {required_approvals: 2}
  deploy: {needs: gate, run: 'echo deploying'}
)");
  }
};

TEST_F(EngineApprovalTest, ApprovalPausesTheExecutionAndApproveResumesIt) {
  start_engine();
  std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  EXPECT_EQ(node(id, "gate").status, "waiting");
  EXPECT_EQ(node(id, "deploy").status, "pending");
  auto approvals = history_->approval_requests(id);
  ASSERT_TRUE(approvals.ok());
  ASSERT_EQ(approvals->size(), 1u);
  EXPECT_EQ((*approvals)[0].node_id, "gate");
  EXPECT_EQ((*approvals)[0].status, "pending");
  EXPECT_EQ((*approvals)[0].required_approvals, 2);
  EXPECT_EQ((*approvals)[0].environment, "Production");
  EXPECT_EQ((*approvals)[0].requested_by, "tester");

  EXPECT_TRUE(engine_->resolve_approval(id, "build", true, "carol", "").error().is_conflict());
  EXPECT_TRUE(engine_->resolve_approval(id, "ghost", true, "carol", "").error().is_not_found());
  ASSERT_TRUE(engine_->resolve_approval(id, "gate", true, "carol", "looks good").ok());
  ASSERT_EQ(wait_finished(id), "success");
  EXPECT_EQ(node(id, "gate").status, "success");
  EXPECT_EQ(log_messages(id, "deploy", "stdout"), std::vector<std::string>{"deploying"});
  approvals = history_->approval_requests(id);
  ASSERT_TRUE(approvals.ok());
  EXPECT_EQ((*approvals)[0].status, "approved");
  EXPECT_FALSE((*approvals)[0].resolved_at.empty());

  auto events = history_->state_events(id);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> execution_states;
  for (const auto& e : *events)
    if (e.node_id.empty()) execution_states.push_back(e.old_state + ">" + e.new_state);
  EXPECT_EQ(execution_states, (std::vector<std::string>{">idle", "idle>running", "running>paused",
                                                        "paused>running", "running>success"}));
  EXPECT_TRUE(engine_->resolve_approval(id, "gate", true, "carol", "").error().is_conflict());
}

TEST_F(EngineApprovalTest, RejectFailsTheGateAndThePausedExecution) {
  start_engine();
  std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  ASSERT_TRUE(engine_->resolve_approval(id, "gate", false, "dave", "not today").ok());
  ASSERT_EQ(wait_finished(id), "failed");
  auto gate = node(id, "gate");
  EXPECT_EQ(gate.status, "failed");
  EXPECT_EQ(gate.error, "rejected by dave: not today");
  EXPECT_EQ(node(id, "deploy").status, "skipped");
  auto approvals = history_->approval_requests(id);
  ASSERT_TRUE(approvals.ok());
  EXPECT_EQ((*approvals)[0].status, "rejected");
  auto events = history_->state_events(id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().node_id, "");
  EXPECT_EQ(events->back().old_state, "paused");
  EXPECT_EQ(events->back().new_state, "failed");
}

TEST_F(EngineApprovalTest, ApprovalDeadlineRejects) {
  start_engine();
  std::string id = submit(R"(
nodes:
  gate: {type: approval, timeout: 150ms}
)");
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_EQ(node(id, "gate").error, "approval timed out after 150ms");
  auto approvals = history_->approval_requests(id);
  ASSERT_TRUE(approvals.ok());
  EXPECT_EQ((*approvals)[0].status, "rejected");
  EXPECT_FALSE((*approvals)[0].wait_until.empty());
}

TEST_F(EngineApprovalTest, CancellingAPausedExecutionClosesTheRequest) {
  start_engine();
  std::string id = gated();
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");
  ASSERT_TRUE(engine_->cancel(id, "changed my mind", "erin").ok());
  EXPECT_EQ(wait_finished(id), "cancelled");
  EXPECT_EQ(node(id, "gate").status, "cancelled");
  auto approvals = history_->approval_requests(id);
  ASSERT_TRUE(approvals.ok());
  EXPECT_EQ((*approvals)[0].status, "rejected");
}

}  // namespace
}  // namespace opz::engine
