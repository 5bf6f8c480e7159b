#include "trigger/commit_status_reporter.h"

#include <gtest/gtest.h>

#include "support/fake_http_server.h"
#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

using opz::testing::CannedResponse;
using opz::testing::FakeHttpServer;

class CommitStatusReporterTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    github_ = std::make_unique<store::GithubStore>(*db_, clock_);
    statuses_ = std::make_unique<store::CommitStatusStore>(*db_, manual_);
    executions_ = std::make_unique<store::ExecutionStore>(*db_);
    store::GithubIntegrationFields f;
    f.repository_owner = "octo";
    f.repository_name = "demo";
    f.webhook_secret_sealed = *box_.seal("s");
    f.token_sealed = *box_.seal("ghp_test-token");
    f.api_base_url = server_.base_url();
    ASSERT_TRUE(github_->put(project_.id, f, "admin").ok());
    github::HttpTransportOptions transport;
    transport.total_timeout = std::chrono::seconds(3);
    reporter_ = std::make_unique<CommitStatusReporter>(
        CommitStatusReporterDeps{*executions_, *github_, *statuses_, box_, metrics_, manual_,
                                 [] { return std::string("https://opz.example.com"); }, transport});
    manual_.set(SystemClock::instance().now());
  }
  // An execution as a webhook trigger creates it, already finished as `status`.
  std::string finished_execution(const std::string& status,
                                 const std::string& source = "github_webhook") {
    store::ExecutionRecord e;
    e.id = new_uuid();
    e.name = "Deploy abcdef1";
    e.project_id = project_.id;
    e.status = status;
    e.environment = "Staging";
    e.commit_hash = "abcdef1234567890abcdef1234567890abcdef12";
    e.trigger_type = "push";
    e.metadata = {{"source", source}, {"ci_only", false}};
    e.created_at = e.updated_at = format_time(manual_.now());
    EXPECT_TRUE(executions_->create(e, {}).ok());
    return e.id;
  }
  engine::EngineEvent state_event(const std::string& id, const std::string& state) {
    engine::EngineEvent ev;
    ev.kind = engine::EventKind::kExecutionState;
    ev.execution_id = id;
    ev.old_state = "running";
    ev.new_state = state;
    return ev;
  }

  FakeHttpServer server_;
  ManualClock manual_;
  secrets::SecretBox box_ = *secrets::SecretBox::from_key(std::string(32, 'z'));
  TriggerMetrics metrics_{nullptr};
  std::unique_ptr<store::GithubStore> github_;
  std::unique_ptr<store::CommitStatusStore> statuses_;
  std::unique_ptr<store::ExecutionStore> executions_;
  std::unique_ptr<CommitStatusReporter> reporter_;
};

TEST(FinalCommitStateTest, MapsFinishedStatuses) {
  EXPECT_EQ(final_commit_state("success"), "success");
  EXPECT_EQ(final_commit_state("warning"), "success");
  EXPECT_EQ(final_commit_state("failed"), "failure");
  EXPECT_EQ(final_commit_state("cancelled"), "error");
  EXPECT_EQ(final_commit_state("running"), "");
  EXPECT_EQ(final_commit_state("idle"), "");
}

TEST_F(CommitStatusReporterTest, AFinishedExecutionIsReportedWithAuthAndALink) {
  const std::string id = finished_execution("success");
  auto queued = reporter_->on_event(state_event(id, "success"));
  ASSERT_TRUE(queued.ok()) << queued.error().to_string();
  EXPECT_TRUE(*queued);
  server_.enqueue(CannedResponse::json(201, R"({"id": 1})"));
  EXPECT_EQ(reporter_->send_due(), 1);
  ASSERT_EQ(server_.request_count(), 1u);
  auto req = server_.last_request();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/repos/octo/demo/statuses/abcdef1234567890abcdef1234567890abcdef12");
  EXPECT_EQ(req.header("authorization"), "Bearer ghp_test-token");
  EXPECT_EQ(req.header("accept"), "application/vnd.github+json");
  EXPECT_EQ(req.header("x-github-api-version"), "2022-11-28");
  auto body = Json::parse(req.body);
  EXPECT_EQ(body["state"], "success");
  EXPECT_EQ(body["context"], "opzenix/Staging");
  EXPECT_EQ(body["target_url"], "https://opz.example.com/executions/" + id);
  EXPECT_EQ(body["description"], "Deploy to Staging succeeded");
  auto rows = statuses_->for_execution(id);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_FALSE((*rows)[0].delivered_at.empty());
  EXPECT_EQ(reporter_->send_due(), 0) << "delivered once";
}

TEST_F(CommitStatusReporterTest, OtherExecutionsAndUnfinishedStatesAreNotReported) {
  EXPECT_FALSE(*reporter_->on_event(state_event(finished_execution("failed", "manual"), "failed")));
  EXPECT_FALSE(*reporter_->on_event(state_event(finished_execution("running"), "running")));
  engine::EngineEvent node = state_event(finished_execution("failed"), "failed");
  node.node_id = "build";
  EXPECT_FALSE(*reporter_->on_event(node));
  EXPECT_EQ(reporter_->send_due(), 0);
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(CommitStatusReporterTest, RetryableFailuresBackOffAndAreGivenUpAfterSixAttempts) {
  const std::string id = finished_execution("failed");
  ASSERT_TRUE(*reporter_->on_event(state_event(id, "failed")));
  server_.set_handler([](const opz::testing::RecordedRequest&) {
    return CannedResponse::json(502, R"({"message": "Bad gateway"})");
  });
  EXPECT_EQ(reporter_->send_due(), 0);
  EXPECT_EQ(server_.request_count(), 1u);
  EXPECT_EQ(reporter_->send_due(), 0);
  EXPECT_EQ(server_.request_count(), 1u) << "not due before the 2 s backoff";
  const std::vector<int> waits = {2, 4, 8, 16, 32};
  for (size_t i = 0; i < waits.size(); ++i) {
    manual_.advance(std::chrono::seconds(waits[i]));
    reporter_->send_due();
    EXPECT_EQ(server_.request_count(), i + 2);
  }
  auto rows = statuses_->for_execution(id);
  EXPECT_EQ((*rows)[0].attempts, 6);
  EXPECT_TRUE((*rows)[0].next_attempt_at.empty()) << "given up";
  EXPECT_NE((*rows)[0].last_error.find("Bad gateway"), std::string::npos);
  manual_.advance(std::chrono::hours(1));
  reporter_->send_due();
  EXPECT_EQ(server_.request_count(), 6u);
}

TEST_F(CommitStatusReporterTest, ABadTokenIsGivenUpAtOnceAndOlderReportsAreSuperseded) {
  const std::string id = finished_execution("cancelled");
  store::CommitStatusRecord pending;
  pending.project_id = project_.id;
  pending.execution_id = id;
  pending.commit_sha = "abcdef1234567890abcdef1234567890abcdef12";
  pending.state = "pending";
  pending.context = "opzenix/Staging";
  ASSERT_TRUE(statuses_->enqueue(pending).ok());
  manual_.advance(std::chrono::milliseconds(5));
  ASSERT_TRUE(*reporter_->on_event(state_event(id, "cancelled")));
  server_.enqueue(CannedResponse::json(401, R"({"message": "Bad credentials"})"));
  reporter_->send_due();
  ASSERT_EQ(server_.request_count(), 1u) << "the pending report was superseded, not sent";
  EXPECT_EQ(Json::parse(server_.last_request().body)["state"], "error");
  auto rows = statuses_->for_execution(id);
  EXPECT_EQ((*rows)[1].attempts, 1);
  EXPECT_TRUE((*rows)[1].next_attempt_at.empty());
  EXPECT_NE((*rows)[1].last_error.find("Bad credentials"), std::string::npos);
}

}  // namespace
}  // namespace opz::trigger
