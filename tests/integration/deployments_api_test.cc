// The deployments API against the real `opzenix serve` (issue 9): two
// deployments to Staging recorded by real executions, the history with the
// interface's keys, a rollback through the API answered 202 and run to a new
// current version, and every bad input of rollback, promotion, holds, the
// lifecycle and canary control answered 4xx naming the field with nothing
// written.
#include <gtest/gtest.h>

#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;

constexpr const char* kDeployPipeline = R"(name: shop
nodes:
  build:
    run: echo building
  deploy:
    type: deploy
    needs: build
    environment: Staging
    run: echo "deploying $OPZENIX_VERSION"
)";

const std::string kSha1(40, '1');
const std::string kSha2(40, '2');

class DeploymentsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(ServerProcess::Options{});
    admin_ = server_->create_user_and_login("admin@example.com", "admin");
    operator_ = server_->create_user_and_login("operator@example.com", "operator");
    viewer_ = server_->create_user_and_login("viewer@example.com", "viewer");
    auto p = as(admin_).post("/api/v1/projects", json{{"name", "Shop"}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_ = p.json()["id"];
    v1_ = deploy_to_staging(kSha1);
    v2_ = deploy_to_staging(kSha2);
  }
  static void TearDownTestSuite() { delete server_; }

  static HttpClient as(const std::string& token) {
    HttpClient c(server_->base_url());
    c.set_token(token);
    return c;
  }
  static std::string project_path() { return "/api/v1/projects/" + project_; }

  static json finished_execution(const std::string& id) {
    return webhooks::finished_execution(as(admin_), id);
  }

  // Runs kDeployPipeline at `sha`; answers the deployment it recorded.
  static json deploy_to_staging(const std::string& sha) {
    auto r = as(operator_).post("/api/v1/executions", json{{"project_id", project_},
                                                           {"pipeline_yaml", kDeployPipeline},
                                                           {"environment", "Staging"},
                                                           {"branch", "main"},
                                                           {"commit_sha", sha}});
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string execution = r.json().value("id", "");
    EXPECT_EQ(finished_execution(execution)["status"], "success") << server_->log();
    auto list = as(viewer_).get("/api/v1/deployments?execution_id=" + execution);
    EXPECT_EQ(list.status, 200) << list.body;
    const json items = list.json()["items"];
    EXPECT_EQ(items.size(), 1u) << list.body;
    return items.empty() ? json() : items[0];
  }

  static int64_t rows(const std::string& table) {
    return webhooks::count_rows(*server_, table, "1 = 1");
  }
  // No execution and no deployment row was written by a refused request.
  struct Written {
    int64_t executions, deployments;
    bool operator==(const Written&) const = default;
  };
  static Written written() { return {rows("executions"), rows("deployments")}; }

  static void expect_refused(const HttpResult& r, int status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.json()["error"].value("field", ""), field) << r.body;
  }

  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_, operator_, viewer_, project_;
  static inline json v1_, v2_;
};

TEST_F(DeploymentsApiTest, HistoryListsEveryDeploymentNewestFirstWithTheInterfaceKeys) {
  ASSERT_TRUE(v1_.is_object() && v2_.is_object());
  auto r = as(viewer_).get(project_path() + "/environments/Staging/history");
  ASSERT_EQ(r.status, 200) << r.body;
  const json items = r.json()["items"];
  ASSERT_GE(items.size(), 2u);
  // Newest first: v2, then v1 (a rollback test may have added a newer one).
  size_t i2 = items.size(), i1 = items.size();
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i]["deployment_id"] == v2_["id"]) i2 = i;
    if (items[i]["deployment_id"] == v1_["id"]) i1 = i;
  }
  ASSERT_LT(i2, i1);
  const json& item = items[i2];
  for (const char* key : {"deployment_id", "version_tag", "commit_sha", "is_current", "status",
                          "deployed_by", "started_at", "completed_at", "rollback_of", "reason",
                          "strategy", "marked_bad", "execution_id"})
    EXPECT_TRUE(item.contains(key)) << key << " in " << item.dump();
  EXPECT_EQ(item["commit_sha"], kSha2);
  EXPECT_EQ(item["status"], "success");
  EXPECT_EQ(items[i1]["is_current"], false);
  EXPECT_EQ(items[i1]["commit_sha"], kSha1);
}

TEST_F(DeploymentsApiTest, DetailShowsTheRecordItsVersionStateAndProbes) {
  auto r = as(viewer_).get("/api/v1/deployments/" + v1_["id"].get<std::string>());
  ASSERT_EQ(r.status, 200) << r.body;
  const json d = r.json();
  EXPECT_EQ(d["environment"], "Staging");
  EXPECT_EQ(d["project_id"], project_);
  EXPECT_EQ(d["status"], "success");
  EXPECT_EQ(d["is_current"], false);
  EXPECT_EQ(d["marked_bad"], false);
  EXPECT_TRUE(d["probes"].is_array());
  EXPECT_TRUE(d.contains("artifact"));
  EXPECT_EQ(as(viewer_).get("/api/v1/deployments/" + std::string(36, '0')).status, 404);
  EXPECT_EQ(as(viewer_).get("/api/v1/deployments?status=done").status, 422);
}

TEST_F(DeploymentsApiTest, RollbackBadInputIsRefusedNamingTheFieldAndWritesNothing) {
  const std::string v1 = v1_["id"];
  const Written before = written();
  const std::string path = "/api/v1/deployments/rollback";
  auto op = as(operator_);
  expect_refused(op.post(path, json{{"environment", "Staging"}, {"reason", "r"}}), 422,
                 "deployment_id");
  expect_refused(op.post(path, json{{"deployment_id", 7}, {"environment", "Staging"},
                                    {"reason", "r"}}),
                 422, "deployment_id");
  expect_refused(op.post(path, json{{"deployment_id", v1}, {"reason", "r"}}), 422, "environment");
  expect_refused(op.post(path, json{{"deployment_id", v1}, {"environment", "Staging"}}), 422,
                 "reason");
  expect_refused(op.post(path, json{{"deployment_id", v1}, {"environment", "Staging"},
                                    {"reason", "  "}}),
                 422, "reason");
  expect_refused(op.post(path, json{{"deployment_id", v1}, {"environment", "Staging"},
                                    {"reason", "r"}, {"force", true}}),
                 422, "force");
  // A target from another environment, another project, or nowhere.
  auto other_env = op.post(path, json{{"deployment_id", v1}, {"environment", "Production"},
                                      {"reason", "r"}});
  expect_refused(other_env, 422, "environment");
  EXPECT_NE(other_env.json()["error"]["message"].get<std::string>().find(
                "was deployed to Staging, not Production"),
            std::string::npos);
  expect_refused(op.post(path, json{{"deployment_id", v1}, {"environment", "Staging"},
                                    {"reason", "r"}, {"project_id", std::string(36, '0')}}),
                 422, "deployment_id");
  expect_refused(op.post(path, json{{"deployment_id", "00000000-0000-4000-8000-000000000000"},
                                    {"environment", "Staging"}, {"reason", "r"}}),
                 404, "deployment_id");
  // Viewers may not roll back (the policy table), nor may a malformed body pass.
  EXPECT_EQ(as(viewer_)
                .post(path, json{{"deployment_id", v1}, {"environment", "Staging"},
                                 {"reason", "r"}})
                .status,
            403);
  EXPECT_EQ(op.post(path, std::string("{\"deployment_id\":")).status, 400);
  EXPECT_EQ(written(), before);
  EXPECT_GE(webhooks::count_rows(*server_, "audit_logs",
                                 "action = 'deployment.rollback_refused'"),
            3);
}

TEST_F(DeploymentsApiTest, PromotionToAnUnknownOrTheSameEnvironmentIsRefused) {
  const std::string promote = "/api/v1/deployments/" + v2_["id"].get<std::string>() + "/promote";
  const Written before = written();
  auto unknown = as(admin_).post(promote, json{{"to_environment", "Prodution"}});
  expect_refused(unknown, 422, "to_environment");
  EXPECT_NE(unknown.body.find("Prodution"), std::string::npos);
  expect_refused(as(admin_).post(promote, json{{"to_environment", "Staging"}}), 422,
                 "to_environment");
  expect_refused(as(admin_).post(promote, json::object()), 422, "to_environment");
  expect_refused(as(admin_).post(promote, json{{"to_environment", "PreProd"}, {"when", "now"}}),
                 422, "when");
  EXPECT_EQ(as(admin_)
                .post("/api/v1/deployments/" + std::string(36, '0') + "/promote",
                      json{{"to_environment", "PreProd"}})
                .status,
            404);
  EXPECT_EQ(written(), before);
}

TEST_F(DeploymentsApiTest, LifecycleNamesTheBadPhaseAndIsAdminOnly) {
  const std::string path = project_path() + "/lifecycle";
  auto admin = as(admin_);
  expect_refused(admin.put(path, json{{"phases", json::array({{{"environment", "Staging"}},
                                                              {{"environment", "Prod"}}})}}),
                 422, "phases[1].environment");
  expect_refused(admin.put(path, json{{"phases", json::array({{{"environment", "Staging"}},
                                                              {{"environment", "Staging"}}})}}),
                 422, "phases[1].environment");
  expect_refused(admin.put(path, json{{"phases", json::array({{{"environment", "Staging"},
                                                               {"soak_seconds", -1}}})}}),
                 422, "phases[0].soak_seconds");
  expect_refused(admin.put(path, json{{"phases", "Staging"}}), 422, "phases");
  expect_refused(admin.put(path, json::object()), 422, "phases");
  const json phases = json::array({{{"environment", "Staging"}},
                                   {{"environment", "PreProd"}, {"soak_seconds", 600}}});
  EXPECT_EQ(as(operator_).put(path, json{{"phases", phases}}).status, 403);
  EXPECT_EQ(as(viewer_).get(path).json()["phases"], json::array());

  auto set = admin.put(path, json{{"phases", phases}});
  ASSERT_EQ(set.status, 200) << set.body;
  const json got = as(viewer_).get(path).json()["phases"];
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1]["environment"], "PreProd");
  EXPECT_EQ(got[1]["soak_seconds"], 600);
  EXPECT_EQ(got[1]["position"], 1);
  EXPECT_EQ(webhooks::count_rows(*server_, "audit_logs",
                                 "action = 'lifecycle.updated'"),
            1);
  ASSERT_EQ(admin.put(path, json{{"phases", json::array()}}).status, 200);
}

TEST_F(DeploymentsApiTest, HoldsAndCanaryControlAnswerNotFoundWhenThereIsNothingToAct) {
  const std::string hold = project_path() + "/environments/Staging/hold";
  EXPECT_EQ(as(viewer_).get(hold).status, 404);
  EXPECT_EQ(as(operator_).del(hold).status, 404);
  EXPECT_EQ(as(viewer_).del(hold).status, 403);
  EXPECT_EQ(as(viewer_).get(project_path() + "/environments/Nowhere/hold").status, 404);
  auto holds = as(viewer_).get(project_path() + "/holds?active=true");
  ASSERT_EQ(holds.status, 200) << holds.body;
  EXPECT_EQ(holds.json()["items"], json::array());
  EXPECT_EQ(as(viewer_).get(project_path() + "/holds?active=maybe").status, 422);
  EXPECT_EQ(as(viewer_).get(project_path() + "/environments/Nowhere/history").status, 404);

  // v1 finished long ago: nothing runs to continue or abort.
  const std::string d = "/api/v1/deployments/" + v1_["id"].get<std::string>();
  auto cont = as(operator_).post(d + "/continue", std::string());
  EXPECT_EQ(cont.status, 404) << cont.body;
  EXPECT_NE(cont.body.find("not running"), std::string::npos) << cont.body;
  expect_refused(as(operator_).post(d + "/abort", json::object()), 422, "reason");
  EXPECT_EQ(as(operator_).post(d + "/abort", json{{"reason", "bad canary"}}).status, 404);
  EXPECT_EQ(as(viewer_).post(d + "/continue", std::string()).status, 403);
}

// Last: it changes which version is current.
TEST_F(DeploymentsApiTest, RollbackRunsTheTargetVersionAgainAndMakesItCurrent) {
  const std::string v1 = v1_["id"];
  // The seeds' alias and body (000 §6.2).
  auto r = as(operator_).post("/functions/v1/rollback-deployment",
                              json{{"deployment_id", v1},
                                   {"environment", "Staging"},
                                   {"reason", "Performance degradation detected"}});
  ASSERT_EQ(r.status, 202) << r.body;
  const json accepted = r.json();
  // The deploy loop may already have started it by the time the answer is built.
  const std::string status = accepted.value("status", "");
  EXPECT_TRUE(status == "pending" || status == "running") << accepted.dump();
  EXPECT_EQ(accepted["rollback_of"], v1);
  EXPECT_EQ(accepted["governance_status"], "allowed");
  EXPECT_EQ(accepted["governance"]["status"], "allowed");
  const std::string id = accepted["id"];
  const std::string execution = accepted["execution_id"];
  ASSERT_FALSE(id.empty());

  const json e = finished_execution(execution);
  EXPECT_EQ(e["status"], "success") << server_->log();
  EXPECT_EQ(e["trigger_type"], "rollback");
  ASSERT_EQ(e["nodes"].size(), 1u);

  auto history = as(viewer_).get(project_path() + "/environments/Staging/history");
  ASSERT_EQ(history.status, 200);
  const json newest = history.json()["items"][0];
  EXPECT_EQ(newest["deployment_id"], id);
  EXPECT_EQ(newest["rollback_of"], v1);
  EXPECT_EQ(newest["commit_sha"], kSha1);
  EXPECT_EQ(newest["version_tag"], v1_["version_tag"]);
  EXPECT_EQ(newest["is_current"], true);
  EXPECT_EQ(newest["reason"], "Performance degradation detected");
  EXPECT_EQ(webhooks::count_rows(*server_, "audit_logs",
                                 "action = 'deployment.rollback_requested' AND resource_id = " +
                                     webhooks::sq(id)),
            1);
}

}  // namespace
}  // namespace opz::testing
