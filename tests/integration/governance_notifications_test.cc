// Issue 8's notifications and the emergency stop's cancel mode against the
// real `opzenix serve`: the person who started an execution hears how it
// ended (and that it deployed); an emergency stop with mode 'cancel' cancels
// a running deployment within seconds; an approval request that expires
// fails its held execution and tells the starter.
#include <gtest/gtest.h>

#include "support/database_probe.h"
#include "governed_server.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using webhooks::wait_for;

constexpr const char* kDeployPipeline = kBuildAndDeploy;

class GovernanceNotificationsTest : public GovernedServerTest {
 protected:
  void SetUp() override {
    admin_ = server_.create_user_and_login("admin@example.com", "admin");
    operator_ = server_.create_user_and_login("op@example.com", "operator");
    auto p = as(admin_).post("/api/v1/projects", json{{"name", "Notified"}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_ = p.json()["id"];
  }
  std::string start(const std::string& environment, const std::string& pipeline) {
    auto r = as(operator_).post("/api/v1/executions", json{{"project_id", project_},
                                                          {"environment", environment},
                                                          {"branch", "main"},
                                                          {"pipeline_yaml", pipeline}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }
  // The caller's notification of `type` about execution `id`, waiting for it.
  json notification(const std::string& token, const std::string& type, const std::string& id) {
    json found;
    wait_for([&] {
      auto r = as(token).get("/api/v1/notifications");
      if (r.status != 200) return false;
      for (const auto& n : r.json().value("items", json::array())) {
        if (n["type"] == type && n["payload"].value("execution_id", "") == id) {
          found = n;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  std::string operator_;
};

TEST_F(GovernanceNotificationsTest, TheStarterHearsThatTheExecutionFinishedAndDeployed) {
  const std::string id = start("Development", kDeployPipeline);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(finished(id)["status"], "success");

  json done = notification(operator_, "execution_finished", id);
  ASSERT_TRUE(done.is_object()) << server_.log();
  EXPECT_EQ(done["payload"]["status"], "success");
  EXPECT_EQ(done["payload"]["environment"], "Development");
  EXPECT_EQ(done["payload"]["project_id"], project_);
  json deployed = notification(operator_, "deployment_complete", id);
  ASSERT_TRUE(deployed.is_object());
  EXPECT_EQ(deployed["payload"]["environment"], "Development");

  // Nobody else is told about someone else's execution.
  auto admins = as(admin_).get("/api/v1/notifications").json();
  for (const auto& n : admins.value("items", json::array()))
    EXPECT_NE(n["payload"].value("execution_id", ""), id) << n.dump();

  // Without a deploy node: finished, not deployed.
  const std::string ci = start("Development", "nodes:\n  test: {run: 'echo testing'}\n");
  EXPECT_EQ(finished(ci)["status"], "success");
  ASSERT_TRUE(notification(operator_, "execution_finished", ci).is_object());
  auto mine = as(operator_).get("/api/v1/notifications").json();
  for (const auto& n : mine.value("items", json::array())) {
    if (n["payload"].value("execution_id", "") == ci) {
      EXPECT_NE(n["type"], "deployment_complete") << n.dump();
    }
  }
}

TEST_F(GovernanceNotificationsTest, AnEmergencyStopWithModeCancelCancelsARunningDeployment) {
  const std::string id =
      start("Development", "nodes:\n  deploy: {type: deploy, run: 'sleep 30'}\n");
  ASSERT_FALSE(id.empty());
  wait_for([&] {
    json e = execution(id);
    for (const auto& n : e.value("nodes", json::array()))
      if (n["status"] == "running") return true;
    return false;
  });
  ASSERT_EQ(execution(id)["status"], "running");

  const auto t0 = std::chrono::steady_clock::now();
  auto stop = as(admin_).post("/api/v1/emergency-stop",
                              json{{"reason", "incident 7"}, {"mode", "cancel"}});
  ASSERT_EQ(stop.status, 201) << stop.body;
  EXPECT_EQ(stop.json()["mode"], "cancel");
  EXPECT_EQ(stop.json()["cancelled_executions"], json::array({id})) << stop.body;

  json e = finished(id, std::chrono::seconds(5));
  EXPECT_EQ(e["status"], "cancelled") << e.dump(2);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_NE(e["cancel_reason"].get<std::string>().find("emergency stop: incident 7"),
            std::string::npos)
      << e.dump(2);
  json told = notification(operator_, "execution_finished", id);
  ASSERT_TRUE(told.is_object());
  EXPECT_EQ(told["payload"]["status"], "cancelled");

  // Nothing new starts while the stop is active; lifting it releases it.
  const std::string next = start("Development", kDeployPipeline);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  EXPECT_EQ(execution(next)["status"], "paused");
  ASSERT_EQ(as(admin_).del("/api/v1/emergency-stop").status, 200);
  EXPECT_EQ(finished(next)["status"], "success");
}

TEST_F(GovernanceNotificationsTest, AnExpiredApprovalFailsItsExecutionAndTellsTheStarter) {
  // PreProd: one approval, locked by default. The API's shortest expiry is
  // one minute; the test then moves the request's expires_at into the past
  // in the database (as if that minute had passed) rather than sleep.
  ASSERT_EQ(as(admin_).del(env_path("PreProd") + "/lock").status / 100, 2);
  auto patched = as(admin_).patch(env_path("PreProd"), json{{"approval_expiry_seconds", 60}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(as(admin_).patch(env_path("PreProd"), json{{"approval_expiry_seconds", 5}}).status,
            422);

  const std::string id = start("PreProd", kDeployPipeline);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(execution(id)["governance_status"], "pending_approval");
  json request;
  wait_for([&] {
    auto r = as(admin_).get("/api/v1/approvals?status=pending&execution_id=" + id);
    auto items = r.json().value("items", json::array());
    if (!items.empty()) request = items[0];
    return !items.empty();
  });
  ASSERT_TRUE(request.is_object()) << server_.log();
  ASSERT_TRUE(request["expires_at"].is_string()) << request.dump();

  const std::string approval = request["id"];
  auto moved = exec_database(server_,
                             "UPDATE approval_requests SET expires_at = '2000-01-01T00:00:00.000Z' "
                             "WHERE id = $1",
                             {approval});
  ASSERT_TRUE(moved.ok()) << moved.error().to_string();
  ASSERT_EQ(*moved, 1);

  json e = finished(id, std::chrono::seconds(10));
  EXPECT_EQ(e["status"], "failed") << e.dump(2);
  EXPECT_NE(e["blocked_reason"].get<std::string>().find("expired"), std::string::npos)
      << e.dump(2);
  for (const auto& n : e.value("nodes", json::array())) EXPECT_NE(n["status"], "success");
  wait_for([&] {
    auto r = as(admin_).get("/api/v1/approvals?execution_id=" + id);
    auto items = r.json().value("items", json::array());
    return !items.empty() && items[0]["status"] == "expired";
  });
  auto after = as(admin_).get("/api/v1/approvals?execution_id=" + id).json();
  ASSERT_FALSE(after["items"].empty());
  EXPECT_EQ(after["items"][0]["status"], "expired") << after.dump();

  json blocked = notification(operator_, "execution_blocked", id);
  ASSERT_TRUE(blocked.is_object()) << server_.log();
  EXPECT_NE(blocked["payload"]["reason"].get<std::string>().find("expired"), std::string::npos)
      << blocked.dump();
  json decided = notification(operator_, "approval_decided", id);
  ASSERT_TRUE(decided.is_object());
  EXPECT_EQ(decided["payload"]["status"], "expired");
}

}  // namespace
}  // namespace opz::testing
