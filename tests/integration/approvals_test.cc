// Approvals through the real server (issue 8 "Approvals", "Notifications"):
// an approval node needing 2 of the operators and admins; who may vote (403
// for a viewer and for the starter), one vote per user (409), the second
// approval resumes the run; 10 parallel approvals resume the node exactly
// once; a rejection needs a comment (422) and fails the run; the starter is
// notified of the decision; a project webhook receives signed events.
#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "support/fake_http_server.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

constexpr const char* kPipeline = R"(name: gated
nodes:
  approve:
    type: approval
    with: {required_approvals: 2}
  after: {needs: approve, run: "echo released"}
)";

class ApprovalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    admin_a_ = server_->create_user_and_login("a@example.com", "admin");
    op_b_ = server_->create_user_and_login("b@example.com", "operator");
    admin_c_ = server_->create_user_and_login("c@example.com", "admin");
    viewer_ = server_->create_user_and_login("v@example.com", "viewer");
  }
  HttpClient as(const std::string& token) const {
    HttpClient c(server_->base_url());
    c.set_token(token);
    return c;
  }
  std::string start(const std::string& project_id = {}) {
    json body{{"pipeline_yaml", kPipeline}, {"environment", "Development"}, {"branch", "main"}};
    if (!project_id.empty()) body["project_id"] = project_id;
    auto r = as(admin_a_).post("/api/v1/executions", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }
  // The pending approval request of `execution` (bounded wait).
  json pending_request(const std::string& execution) {
    for (int i = 0; i < 600; ++i) {
      auto r = as(viewer_).get("/api/v1/approvals?status=pending&execution_id=" + execution);
      if (r.status == 200 && !r.json()["items"].empty()) return r.json()["items"][0];
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "no pending approval for " << execution;
    return json::object();
  }
  HttpResult vote(const std::string& token, const std::string& id, bool approve,
                  const std::string& comment = {}) {
    json body{{"vote", approve}};
    if (!comment.empty()) body["comment"] = comment;
    return as(token).post("/api/v1/approvals/" + id + "/votes", body);
  }
  json wait_finished(const std::string& id) {
    json last;
    for (int i = 0; i < 1200; ++i) {
      last = as(admin_a_).get("/api/v1/executions/" + id).json();
      const std::string st = last.value("status", "");
      if (st == "success" || st == "failed" || st == "cancelled") return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "not finished: " << last.dump();
    return last;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string admin_a_, op_b_, admin_c_, viewer_;
};

TEST_F(ApprovalsTest, TwoOfOperatorsAndAdminsReleaseTheNode) {
  const std::string exec = start();
  json req = pending_request(exec);
  const std::string id = req.value("id", "");
  EXPECT_EQ(req["required_approvals"], 2);
  EXPECT_EQ(req["node_id"], "approve");
  EXPECT_EQ(req["requested_by_name"], "a@example.com");  // no full name: the email
  EXPECT_EQ(vote(viewer_, id, true).status, 403);
  auto self = vote(admin_a_, id, true);
  EXPECT_EQ(self.status, 403) << self.body;  // the starter
  auto first = vote(op_b_, id, true);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["approvals"], 1);
  EXPECT_EQ(first.json()["status"], "pending");
  EXPECT_EQ(as(admin_a_).get("/api/v1/executions/" + exec).json()["status"], "paused");
  EXPECT_EQ(vote(op_b_, id, true).status, 409);
  auto second = vote(admin_c_, id, true);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.json()["status"], "approved");
  EXPECT_EQ(wait_finished(exec)["status"], "success");
  EXPECT_EQ(vote(viewer_, id, true).status, 403);
  EXPECT_EQ(as(admin_c_).get("/api/v1/approvals/" + id).json()["approvals"], 2);
  // The starter learns the decision.
  auto mine = as(admin_a_).get("/api/v1/notifications?unread=true").json()["items"];
  bool decided = false;
  for (const auto& n : mine)
    decided |= n["type"] == "approval_decided" && n["payload"]["approval_request_id"] == id;
  EXPECT_TRUE(decided) << mine.dump();
  EXPECT_EQ(as(admin_a_).post("/api/v1/notifications/read-all", json::object()).status, 200);
  EXPECT_TRUE(as(admin_a_).get("/api/v1/notifications?unread=true").json()["items"].empty());
}

TEST_F(ApprovalsTest, ParallelApprovalsResumeTheNodeOnce) {
  std::vector<std::string> ops;
  for (int i = 0; i < 10; ++i)
    ops.push_back(server_->create_user_and_login("op" + std::to_string(i) + "@example.com",
                                                 "operator"));
  const std::string exec = start();
  const std::string id = pending_request(exec).value("id", "");
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (const auto& t : ops)
    threads.emplace_back([&, t] {
      if (vote(t, id, true).status == 201) ++accepted;
    });
  for (auto& t : threads) t.join();
  EXPECT_GE(accepted.load(), 2);
  EXPECT_EQ(wait_finished(exec)["status"], "success");
  auto events = as(admin_a_).get("/api/v1/executions/" + exec + "/events").json();
  int resumed = 0;
  for (const auto& e : events["items"])
    if (e["node_id"] == "approve" && e["new_state"] == "success") ++resumed;
  EXPECT_EQ(resumed, 1) << events.dump();
  EXPECT_EQ(as(admin_a_).get("/api/v1/approvals/" + id).json()["status"], "approved");
}

TEST_F(ApprovalsTest, RejectionNeedsACommentAndFailsTheRun) {
  const std::string exec = start();
  const std::string id = pending_request(exec).value("id", "");
  auto bare = vote(op_b_, id, false);
  EXPECT_EQ(bare.status, 422) << bare.body;
  auto rejected = vote(op_b_, id, false, "not this week");
  ASSERT_EQ(rejected.status, 201) << rejected.body;
  EXPECT_EQ(rejected.json()["status"], "rejected");
  EXPECT_EQ(wait_finished(exec)["status"], "failed");
  EXPECT_EQ(vote(admin_c_, id, true).status, 409);  // no longer pending
  auto audit = as(admin_a_).get("/api/v1/audit-logs?resource_id=" + id).json();
  EXPECT_GE(audit["items"].size(), 3u) << audit.dump();  // refused, accepted, refused
}

// Needs the server to run trigger::Notifier's sender thread (src/app wiring).
TEST_F(ApprovalsTest, ApproversAreNotifiedAndProjectWebhooksReceiveSignedEvents) {
  ASSERT_GE(sodium_init(), 0);
  FakeHttpServer receiver;
  receiver.set_handler([](const RecordedRequest&) { return CannedResponse::json(200, "{}"); });
  auto org = as(admin_a_).post("/api/v1/organizations", json{{"name", "Org"}, {"slug", "org"}});
  ASSERT_EQ(org.status, 201) << org.body;
  auto project = as(admin_a_).post(
      "/api/v1/projects", json{{"name", "web"}, {"organization_id", org.json()["id"]}});
  ASSERT_EQ(project.status, 201) << project.body;
  const std::string pid = project.json()["id"];
  const std::string secret = "webhook-secret-1";
  EXPECT_EQ(as(op_b_).post("/api/v1/projects/" + pid + "/webhooks",
                           json{{"url", receiver.base_url() + "/hook"}, {"secret", secret}})
                .status,
            403);
  auto hook = as(admin_a_).post("/api/v1/projects/" + pid + "/webhooks",
                                json{{"url", receiver.base_url() + "/hook"}, {"secret", secret}});
  ASSERT_EQ(hook.status, 201) << hook.body;
  EXPECT_FALSE(hook.body.find(secret) != std::string::npos);
  const std::string exec = start(pid);
  const std::string id = pending_request(exec).value("id", "");
  for (int i = 0; i < 500 && receiver.request_count() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_GT(receiver.request_count(), 0u) << "no webhook delivery arrived";
  for (const auto& r : receiver.requests()) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                                secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(r.body.data()),
                                  r.body.size());
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    EXPECT_EQ(r.header("x-opzenix-signature-256"), std::string("sha256=") + hex);
  }
  EXPECT_EQ(json::parse(receiver.requests()[0].body)["event"], "approval_requested");
  auto approvers = as(op_b_).get("/api/v1/notifications").json()["items"];
  ASSERT_FALSE(approvers.empty());
  EXPECT_EQ(approvers[0]["type"], "approval_requested");
  EXPECT_TRUE(as(viewer_).get("/api/v1/notifications").json()["items"].empty());
  // The receiver has the request before the sender has recorded its answer:
  // wait for the record, not just the request.
  const std::string deliveries =
      "/api/v1/projects/" + pid + "/webhooks/" + hook.json()["id"].get<std::string>() + "/deliveries";
  auto log = as(admin_a_).get(deliveries);
  for (int i = 0; i < 500 && log.status == 200 && log.json()["items"][0]["status"] == "pending";
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log = as(admin_a_).get(deliveries);
  }
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_EQ(log.json()["items"][0]["status"], "delivered");
}

}  // namespace
}  // namespace opz::testing
