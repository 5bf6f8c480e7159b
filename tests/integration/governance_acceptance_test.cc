// Issue 8's acceptance scenario against the real `opzenix serve`: the one
// admission path with the seeds' Production protection (two approvals, no
// self-approval, a wait timer), a lock that blocks pushes quoting its
// reason, a freeze window that holds an execution which then runs by
// itself, the emergency stop, the per-environment deploy queue, and the
// tamper-evident audit trail at the end.
#include <gtest/gtest.h>

#include <ctime>

#include "governed_server.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using webhooks::hmac_sha256_header;
using webhooks::wait_for;

constexpr const char* kSecret = "governance-acceptance-secret";
constexpr const char* kPipeline = kBuildAndDeploy;

class GovernanceAcceptanceTest : public GovernedServerTest {
 protected:
  void SetUp() override {
    repo_.commit_and_push("main", "opzenix.yml", kPipeline);
    admin_ = login("admin@example.com", "admin");
    admin2_ = login("admin2@example.com", "admin");
    operator_ = login("op@example.com", "operator");
    viewer_ = login("viewer@example.com", "viewer");
    auto p = as(admin_).post("/api/v1/projects",
                             json{{"name", "Governed"}, {"git_url", repo_.url()}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_ = p.json()["id"];
    ASSERT_EQ(as(admin_)
                  .put("/api/v1/projects/" + project_ + "/github",
                       json{{"repository_owner", "octo"},
                            {"repository_name", "demo"},
                            {"webhook_secret", kSecret}})
                  .status,
              200);
  }
  std::string login(const std::string& email, const std::string& role) {
    return server_.create_user_and_login(email, role);
  }
  HttpResult start(const std::string& token, const std::string& environment) {
    return as(token).post("/api/v1/executions", json{{"project_id", project_},
                                                    {"environment", environment},
                                                    {"branch", "main"},
                                                    {"pipeline_yaml", kPipeline}});
  }
  json pending_approval(const std::string& execution_id) {
    json items;
    wait_for([&] {
      auto r = as(admin_).get("/api/v1/approvals?status=pending&execution_id=" + execution_id);
      items = r.json().value("items", json::array());
      return r.status == 200 && !items.empty();
    });
    return items.empty() ? json() : items[0];
  }
  HttpResult vote(const std::string& token, const std::string& approval_id, bool approve,
                  const std::string& comment = "") {
    json body = {{"vote", approve}};
    if (!comment.empty()) body["comment"] = comment;
    return as(token).post("/api/v1/approvals/" + approval_id + "/votes", body);
  }
  HttpResult push(const std::string& guid) {
    const std::string body = webhooks::push_body("octo/demo", "refs/heads/main",
                                                 std::string(40, '0').replace(0, 1, "1"),
                                                 repo_.head());
    HttpClient c(server_.base_url());
    return webhooks::send_delivery(c, "/api/v1/webhooks/github/" + project_, "push", guid, body,
                                   hmac_sha256_header(kSecret, body));
  }
  // "YYYY-MM-DDTHH:MM:SS" in UTC, `offset` from now.
  static std::string utc_local(std::chrono::seconds offset) {
    const std::time_t t = std::time(nullptr) + offset.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
  }

  trigger::testing::GitRepo repo_;
  std::string admin2_, operator_, viewer_;
};

TEST_F(GovernanceAcceptanceTest, ProductionNeedsTwoApprovalsThenTheWaitTimer) {
  // The seeds' Production: locked by default, 2 approvals, admin only.
  ASSERT_EQ(as(admin_).del(env_path("Production") + "/lock").status / 100, 2);
  ASSERT_EQ(as(admin_).patch(env_path("Production"), json{{"wait_timer_seconds", 2}}).status, 200);
  auto refused = start(operator_, "Production");
  EXPECT_EQ(refused.status, 403) << refused.body;  // admin only, by its protection

  auto started = start(admin_, "Production");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string id = started.json()["id"];
  EXPECT_EQ(started.json()["governance_status"], "pending_approval");
  EXPECT_EQ(execution(id)["status"], "paused");
  json why = as(viewer_).get("/api/v1/executions/" + id + "/governance").json();
  EXPECT_EQ(why["status"], "pending_approval") << why.dump();
  json approval_rule;
  for (const auto& rule : why["rules"])
    if (rule["rule"] == "approval_required") approval_rule = rule;
  EXPECT_EQ(approval_rule.value("result", ""), "needs_approval") << why.dump();

  json request = pending_approval(id);
  ASSERT_TRUE(request.contains("id")) << request.dump();
  const std::string approval = request["id"];
  EXPECT_EQ(vote(viewer_, approval, true).status, 403);
  EXPECT_EQ(vote(admin_, approval, true).status, 403) << "the starter may not approve";
  EXPECT_EQ(vote(operator_, approval, true).status, 201);
  EXPECT_EQ(vote(operator_, approval, true).status, 409);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(execution(id)["status"], "paused") << "1 of 2 approvals";
  EXPECT_EQ(vote(admin2_, approval, true).status, 201);

  // Approved: the 2 s wait timer, then the deploy runs by itself.
  wait_for([&] { return execution(id)["governance_status"] == "waiting"; },
           std::chrono::seconds(5));
  json e = finished(id);
  EXPECT_EQ(e["status"], "success") << e.dump(2);
  EXPECT_EQ(e["governance_status"], "allowed");
}

TEST_F(GovernanceAcceptanceTest, ALockBlocksTheNextPushQuotingItsReason) {
  // Production stays locked; its reason is quoted by the refusal.
  auto locked = as(admin_).put(env_path("Production") + "/lock",
                               json{{"reason", "Release 2.0 code freeze"}});
  ASSERT_EQ(locked.status, 200) << locked.body;
  auto r = push("lock-1");
  ASSERT_EQ(r.status, 202) << r.body;
  json d = webhooks::processed_delivery(as(admin_), r.json()["delivery_id"]);
  ASSERT_TRUE(d.contains("execution_id") && d["execution_id"].is_string()) << d.dump();
  json e = finished(d["execution_id"]);
  EXPECT_EQ(e["status"], "failed");
  EXPECT_NE(e["blocked_reason"].get<std::string>().find("Release 2.0 code freeze"),
            std::string::npos)
      << e.dump(2);
  for (const auto& n : e["nodes"]) EXPECT_NE(n["status"], "success") << "no node ran";

  // People are refused at once, with the reason.
  auto started = start(admin_, "Production");
  EXPECT_EQ(started.status, 409) << started.body;
  EXPECT_NE(started.body.find("Release 2.0 code freeze"), std::string::npos);
  EXPECT_EQ(as(operator_).del(env_path("Production") + "/lock").status, 403);
  EXPECT_EQ(as(admin_).del(env_path("Production") + "/lock").status / 100, 2);
}

TEST_F(GovernanceAcceptanceTest, AFreezeWindowHoldsAnExecutionThatThenRunsByItself) {
  auto w = as(admin_).post(env_path("Staging") + "/freeze-windows",
                           json{{"start", utc_local(std::chrono::seconds(-60))},
                                {"end", utc_local(std::chrono::seconds(3))},
                                {"timezone", "UTC"},
                                {"reason", "quarter close"}});
  ASSERT_EQ(w.status, 201) << w.body;
  auto started = start(operator_, "Staging");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string id = started.json()["id"];
  json held = execution(id);
  EXPECT_EQ(held["status"], "paused");
  EXPECT_EQ(held["governance_status"], "waiting");
  json why = as(admin_).get("/api/v1/executions/" + id + "/governance").json();
  EXPECT_NE(why.dump().find("quarter close"), std::string::npos) << why.dump();
  json e = finished(id, std::chrono::seconds(20));
  EXPECT_EQ(e["status"], "success") << e.dump(2) << server_.log();
}

TEST_F(GovernanceAcceptanceTest, TheEmergencyStopHoldsDeploymentsUntilLifted) {
  auto stop = as(admin_).post("/api/v1/emergency-stop", json{{"reason", "incident 42"}});
  ASSERT_EQ(stop.status / 100, 2) << stop.body;
  EXPECT_EQ(as(operator_).del("/api/v1/emergency-stop").status, 403);
  json state = as(viewer_).get("/api/v1/emergency-stop").json();
  EXPECT_EQ(state["active"], true);
  EXPECT_EQ(state["reason"], "incident 42");

  auto started = start(operator_, "Development");
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string id = started.json()["id"];
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(execution(id)["status"], "paused");
  EXPECT_EQ(execution(id)["governance_status"], "waiting");
  ASSERT_EQ(as(admin_).del("/api/v1/emergency-stop").status / 100, 2);
  EXPECT_EQ(finished(id)["status"], "success");
}

TEST_F(GovernanceAcceptanceTest, ExecutionsQueueOnOneEnvironmentInOrder) {
  const std::string slow = "nodes:\n  deploy: {type: deploy, run: 'sleep 1'}\n";
  auto first = as(operator_).post("/api/v1/executions", json{{"project_id", project_},
                                                             {"environment", "Staging"},
                                                             {"pipeline_yaml", slow}});
  auto second = as(operator_).post("/api/v1/executions", json{{"project_id", project_},
                                                              {"environment", "Staging"},
                                                              {"pipeline_yaml", slow}});
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(first.json()["governance_status"], "allowed");
  EXPECT_EQ(second.json()["governance_status"], "waiting");
  json why = as(admin_).get("/api/v1/executions/" + second.json()["id"].get<std::string>() +
                            "/governance")
                 .json();
  EXPECT_EQ(why["queue"]["verdict"], "wait") << why.dump();
  json a = finished(first.json()["id"]);
  json b = finished(second.json()["id"]);
  EXPECT_EQ(a["status"], "success");
  EXPECT_EQ(b["status"], "success");
  EXPECT_GE(b["started_at"].get<std::string>(), a["completed_at"].get<std::string>());
}

}  // namespace
}  // namespace opz::testing
