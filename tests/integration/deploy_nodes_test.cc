// Deploy nodes against the real `opzenix serve` (issue 9): a deploy node
// records its deployment (version, strategy, probes), the version becomes
// current; a failing health check rolls back to the stable version, marks the
// bad version and holds automatic deploys; a failing pre-deploy migration
// blocks the deployment before the deploy command runs. The deploy commands
// are shell lines writing a state file, so every claim is checked on disk too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "support/database_probe.h"
#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;

class DeployNodesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(ServerProcess::Options{});
    admin_ = server_->create_user_and_login("admin@example.com", "admin");
    auto p = as(admin_).post("/api/v1/projects", json{{"name", "Deploys"}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_ = p.json()["id"];
    state_ = server_->data_dir() + "/deployed";
    std::filesystem::create_directories(state_);
  }
  static void TearDownTestSuite() { delete server_; }

  static HttpClient as(const std::string& token) {
    HttpClient c(server_->base_url());
    c.set_token(token);
    return c;
  }
  // A rolling deploy to Development that writes "$OPZENIX_VERSION" to a state
  // file; the health check fails while the file names a version in `bad`.
  static std::string pipeline(const std::string& extra = "") {
    return "name: deploy\nnodes:\n  deploy:\n    type: deploy\n    environment: Development\n"
           "    auto_rollback: true\n"
           "    run: echo \"$OPZENIX_VERSION $OPZENIX_IMAGE_TAG $OPZENIX_REPLICAS "
           "$OPZENIX_ENVIRONMENT\" > " + state_ + "/current\n"
           "    health_check:\n      command: \"! grep -q broken " + state_ + "/current\"\n"
           "      retries: 2\n      interval: 20ms\n" + extra;
  }
  static std::string start(const std::string& yaml, const std::string& tag) {
    auto r = as(admin_).post("/api/v1/executions", json{{"project_id", project_},
                                                        {"environment", "Development"},
                                                        {"branch", "main"},
                                                        {"tag", tag},
                                                        {"pipeline_yaml", yaml}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }
  static json finished(const std::string& id) {
    return webhooks::finished_execution(as(admin_), id);
  }
  static std::string current_file() {
    std::ifstream in(state_ + "/current");
    std::string line;
    std::getline(in, line);
    return line;
  }
  // The rows of `sql` in the server's database (either backend), as the
  // sqlite3 tool prints them.
  static std::string query(const std::string& sql) { return query_lines(*server_, sql); }

  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_, project_, state_;
};

TEST_F(DeployNodesTest, ARollingDeployRecordsItsDeploymentAndBecomesCurrent) {
  const std::string id = start(pipeline(), "v1.0.0");
  EXPECT_EQ(finished(id)["status"], "success");
  EXPECT_EQ(current_file(), "v1.0.0 v1.0.0 1 Development");
  EXPECT_EQ(query("SELECT status, version, strategy, deployed_by IS NOT NULL, started_at <= "
                  "completed_at FROM deployments WHERE execution_id = '" + id + "'"),
            "success|v1.0.0|rolling|1|1\n");
  EXPECT_EQ(query("SELECT version_tag, is_current FROM deployment_versions WHERE project_id = '" +
                  project_ + "' AND is_current = TRUE"),
            "v1.0.0|1\n");
  // The health check's probe is recorded with the deployment.
  EXPECT_EQ(query("SELECT kind, ok FROM deployment_probes p JOIN deployments d ON "
                  "d.id = p.deployment_id WHERE d.execution_id = '" + id + "'"),
            "health|1\n");
  // The node's outputs name the deployment.
  const std::string row = query(
      "SELECT d.id, n.outputs FROM execution_nodes n JOIN deployments d ON d.execution_id = "
      "n.execution_id WHERE n.execution_id = '" + id + "'");
  const size_t bar = row.find('|');
  ASSERT_NE(bar, std::string::npos) << row;
  const json outputs = json::parse(row.substr(bar + 1), nullptr, false);
  ASSERT_TRUE(outputs.is_object()) << row;
  EXPECT_EQ(outputs.value("deployment_id", ""), row.substr(0, bar)) << row;
  EXPECT_EQ(outputs.value("version", ""), "v1.0.0") << row;
}

TEST_F(DeployNodesTest, AFailingHealthCheckRollsBackMarksTheVersionBadAndHolds) {
  ASSERT_EQ(finished(start(pipeline(), "v2.0.0"))["status"], "success");
  const std::string bad = start(pipeline(), "broken-3");
  const json e = finished(bad);
  EXPECT_EQ(e["status"], "failed");
  // The stable version was redeployed by the automatic rollback.
  EXPECT_EQ(current_file(), "v2.0.0 v2.0.0 1 Development");
  EXPECT_EQ(query("SELECT status, reason LIKE 'health check failed%' FROM deployments WHERE "
                  "execution_id = '" + bad + "'"),
            "rolled_back|1\n");
  EXPECT_EQ(query("SELECT version_tag FROM deployment_versions WHERE project_id = '" + project_ +
                  "' AND environment = 'Development' AND is_current = TRUE"),
            "v2.0.0\n");
  EXPECT_EQ(query("SELECT marked_bad FROM deployment_versions WHERE version_tag = 'broken-3'"),
            "1\n");
  EXPECT_EQ(query("SELECT version_tag, released_at IS NULL FROM deployment_holds WHERE "
                  "project_id = '" + project_ + "' AND environment = 'Development'"),
            "broken-3|1\n");
  // Failed probes are recorded: two in a row failed the check.
  EXPECT_EQ(query("SELECT count(*) FROM deployment_probes p JOIN deployments d ON d.id = "
                  "p.deployment_id WHERE d.execution_id = '" + bad + "' AND p.ok = FALSE"),
            "2\n");
  // Release the hold directly for the next tests.
  auto released = exec_database(*server_,
                                "UPDATE deployment_holds SET released_at = "
                                "'2026-01-01T00:00:00.000Z', released_by = 'test' WHERE "
                                "released_at IS NULL");
  ASSERT_TRUE(released.ok()) << released.error().to_string();
}

TEST_F(DeployNodesTest, AFailingPreDeployMigrationBlocksTheDeployment) {
  const std::string before = current_file();
  const std::string counter = state_ + "/migrations";
  const std::string hooks =
      "    hooks:\n      migrate:\n        run: \"echo x >> " + counter +
      "; exit 1\"\n        when: pre_deploy\n        retry: {max_attempts: 2, initial: 20ms, "
      "max: 40ms}\n";
  const std::string id = start(pipeline(hooks), "v4.0.0");
  EXPECT_EQ(finished(id)["status"], "failed");
  EXPECT_EQ(current_file(), before) << "the deploy command never ran";
  EXPECT_EQ(query("SELECT status FROM deployments WHERE execution_id = '" + id + "'"),
            "blocked\n");
  std::ifstream in(counter);
  int attempts = 0;
  for (std::string line; std::getline(in, line);) ++attempts;
  EXPECT_EQ(attempts, 2);
}

TEST_F(DeployNodesTest, TheDashboardMetricsCountWhatRan) {
  ASSERT_EQ(finished(start(pipeline(), "v9.0.0"))["status"], "success");
  auto r = as(admin_).get("/api/v1/dashboard/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  const json m = r.json();
  EXPECT_EQ(m["active_executions"], 0) << m.dump();
  EXPECT_EQ(m["pending_approvals"], 0) << m.dump();
  // Every execution of this suite started within 24 hours; at least one succeeded.
  ASSERT_TRUE(m["success_rate_24h"].is_number()) << m.dump();
  EXPECT_GT(m["success_rate_24h"].get<double>(), 0.0);
  EXPECT_LE(m["success_rate_24h"].get<double>(), 1.0);
  ASSERT_TRUE(m["avg_deployment_seconds"].is_number()) << m.dump();
  EXPECT_GE(m["avg_deployment_seconds"].get<double>(), 0.0);
  EXPECT_EQ(HttpClient(server_->base_url()).get("/api/v1/dashboard/metrics").status, 401);
}

TEST_F(DeployNodesTest, BadDeploySettingsAre422sNamingTheFieldAndStartNothing) {
  const std::string base =
      "name: bad\nnodes:\n  deploy:\n    type: deploy\n    environment: Development\n"
      "    run: ./deploy.sh\n";
  struct Case {
    std::string extra;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"    strategy: big_bang\n", "nodes.deploy.strategy"},
      {"    strategy: canary\n    traffic: ./w.sh\n    steps:\n      - set_weight: 50\n"
       "      - set_weight: 20\n",
       "nodes.deploy.steps[1].set_weight"},
      {"    strategy: canary\n    traffic: ./w.sh\n    steps:\n      - set_weight: 120\n",
       "nodes.deploy.steps[0].set_weight"},
      {"    health_check:\n      http: {url: \"ftp://host/health\"}\n",
       "nodes.deploy.health_check.http.url"},
  };
  const int64_t before = webhooks::count_rows(*server_, "executions", "1 = 1");
  for (const Case& c : cases) {
    auto r = as(admin_).post("/api/v1/executions", json{{"project_id", project_},
                                                        {"environment", "Development"},
                                                        {"branch", "main"},
                                                        {"pipeline_yaml", base + c.extra}});
    EXPECT_EQ(r.status, 422) << c.extra << r.body;
    EXPECT_NE(r.body.find(c.field), std::string::npos) << "want " << c.field << " in " << r.body;
  }
  EXPECT_EQ(webhooks::count_rows(*server_, "executions", "1 = 1"), before);
}

}  // namespace
}  // namespace opz::testing
