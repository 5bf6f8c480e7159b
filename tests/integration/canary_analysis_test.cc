// Canary metric analysis end to end (issue 13) through the real `opzenix
// serve`, over HTTP only: a canary deploy node's `analysis: {metric:
// error_rate_pct}` reads the samples the project pushed to
// POST /functions/v1/ops-metrics-ingest while the canary runs.
//
// The canary pauses (`pause: {}`) at 20% until the test has ingested the
// samples and continued it through the API, so the analysis judges exactly
// what was posted while it ran — no race with the clock:
//   - low error rates  -> the canary is promoted to 100% and its version is current;
//   - high error rates -> the canary is aborted (weight 0), the deployment is
//     rolled back, the version marked bad and automatic deploys held, and the
//     previous version stays the current one.
// The deploy and traffic commands append to files, so the weights the traffic
// command applied are checked on disk too.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/time_format.h"
#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using webhooks::wait_for;

constexpr const char* kIngestToken = "canary-ingest-token-0123";
constexpr auto kDeadline = std::chrono::seconds(60);

class CanaryAnalysisTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServerProcess::Options options;
    options.env["OPS_INGEST_TOKEN"] = kIngestToken;
    server_ = new ServerProcess(options);
    admin_ = server_->create_user_and_login("admin@example.com", "admin");
  }
  static void TearDownTestSuite() { delete server_; }

  // A project of its own per test, with a directory its commands write to.
  void SetUp() override {
    auto p = api().post("/api/v1/projects",
                        json{{"name", ::testing::UnitTest::GetInstance()->current_test_info()->name()}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_ = p.json()["id"];
    state_ = server_->data_dir() + "/canary-" + project_;
    std::filesystem::create_directories(state_);
  }

  // On failure: the server's log without the access lines.
  void TearDown() override {
    if (!HasFailure()) return;
    std::istringstream in(server_->log());
    std::string log;
    for (std::string line; std::getline(in, line);)
      if (line.find("[http]") == std::string::npos) log += line + "\n";
    std::cout << "---- server log (last 20 KB, without requests) ----\n"
              << log.substr(log.size() > 20000 ? log.size() - 20000 : 0) << "----\n";
  }

  static HttpClient api() {
    HttpClient c(server_->base_url());
    c.set_token(admin_);
    return c;
  }

  // A canary to Development: 20%, a pause until continued, an analysis of the
  // project's ingested error_rate_pct (the highest sample of the last 5
  // minutes must stay at or under 1%, three readings), then 100%.
  std::string pipeline() const {
    return "name: canary\nnodes:\n  deploy:\n    type: deploy\n    environment: Development\n"
           "    strategy: canary\n    auto_rollback: true\n"
           "    run: echo \"$OPZENIX_VERSION\" > " + state_ + "/slot-$OPZENIX_SLOT\n"
           "    traffic: echo \"$OPZENIX_CANARY_WEIGHT $OPZENIX_VERSION\" >> " + state_ +
           "/weights\n"
           "    steps:\n"
           "      - set_weight: 20\n"
           "      - pause: {}\n"
           "      - analysis:\n"
           "          metric: error_rate_pct\n"
           "          aggregate: max\n"
           "          window: 5m\n"
           "          threshold: {max: 1}\n"
           "          interval: 50ms\n"
           "          min_samples: 3\n"
           "          failure_limit: 1\n"
           "      - set_weight: 100\n";
  }

  std::string start(const std::string& tag) {
    auto r = api().post("/api/v1/executions", json{{"project_id", project_},
                                                   {"environment", "Development"},
                                                   {"branch", "main"},
                                                   {"tag", tag},
                                                   {"pipeline_yaml", pipeline()}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }

  // The execution's deployment as GET /api/v1/deployments/{id} shows it,
  // once the deploy node has recorded it (null when it never did).
  json deployment_of(const std::string& execution_id) {
    std::string id;
    wait_for(
        [&] {
          auto r = api().get("/api/v1/deployments?execution_id=" + execution_id);
          const json items = r.json().is_object() ? r.json().value("items", json::array())
                                                  : json::array();
          if (items.empty()) return false;
          id = items[0].value("id", "");
          return true;
        },
        kDeadline);
    if (id.empty()) return nullptr;
    return api().get("/api/v1/deployments/" + id).json();
  }

  // Waits until the canary paused at 20%, or its deployment ended (bounded);
  // answers its deployment. The deploy node creates the row `pending` and
  // starts it in a second transaction, so a read between the two sees
  // `pending`: that is not an end (the wait once stopped there, and the test
  // then waited in vain for an execution whose canary nobody continued).
  json paused_canary(const std::string& execution_id) {
    json d = deployment_of(execution_id);
    if (!d.is_object()) return d;
    const std::string id = d["id"];
    wait_for(
        [&] {
          d = api().get("/api/v1/deployments/" + id).json();
          const std::string status = d.value("status", "");
          return d.value("phase", "") == "paused" || (status != "pending" && status != "running");
        },
        kDeadline);
    return d;
  }

  // Posts the seed's ingest body for this project, stamped now: one sample
  // of error_rate_pct per value.
  void ingest_error_rates(const std::vector<double>& values) {
    json samples = json::array();
    for (double v : values) samples.push_back({{"metric", "error_rate_pct"}, {"value", v}});
    const json body = {{"project_id", project_},
                       {"ts", format_time(SystemClock().now())},
                       {"samples", samples}};
    HttpClient anonymous(server_->base_url());
    auto r = anonymous.request("POST", "/functions/v1/ops-metrics-ingest", body.dump(),
                               {"content-type: application/json",
                                std::string("x-ops-ingest-token: ") + kIngestToken});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json(), (json{{"inserted", values.size()}}));
  }

  // Ends the canary's `pause: {}` through the API.
  void continue_canary(const json& deployment) {
    ASSERT_EQ(deployment.value("phase", ""), "paused") << deployment.dump(2);
    EXPECT_EQ(deployment.value("canary_weight", -1), 20) << deployment.dump(2);
    auto r = api().post("/api/v1/deployments/" + deployment.value("id", "") + "/continue", json::object());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // Deploys `tag` with the canary while error rates are low: promoted.
  json promoted(const std::string& tag) {
    const std::string execution = start(tag);
    const json paused = paused_canary(execution);
    ingest_error_rates({0.2, 0.4});
    continue_canary(paused);
    const json e = webhooks::finished_execution(api(), execution, kDeadline);
    EXPECT_EQ(e.value("status", ""), "success") << e.dump(2);
    return api().get("/api/v1/deployments/" + paused.value("id", "")).json();
  }

  // The analysis probes of a deployment, oldest first.
  static std::vector<json> analysis_probes(const json& deployment) {
    std::vector<json> out;
    for (const json& p : deployment.value("probes", json::array()))
      if (p.value("kind", "") == "analysis") out.insert(out.begin(), p);
    return out;
  }

  std::string weights() const {
    std::ifstream in(state_ + "/weights");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  json history() {
    auto r = api().get("/api/v1/projects/" + project_ + "/environments/Development/history");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("items", json::array());
  }

  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_;
  std::string project_, state_;
};

TEST_F(CanaryAnalysisTest, LowIngestedErrorRatesPromoteTheCanary) {
  const json d = promoted("v1.0.0");
  ASSERT_TRUE(d.is_object()) << d.dump(2);
  EXPECT_EQ(d["status"], "success") << d.dump(2);
  EXPECT_EQ(d["strategy"], "canary");
  EXPECT_EQ(d["version"], "v1.0.0");
  EXPECT_EQ(d["canary_weight"], 100) << d.dump(2);
  EXPECT_EQ(d["is_current"], true);
  EXPECT_EQ(d["marked_bad"], false);

  // Every reading of the analysis saw the highest ingested rate, 0.4%.
  const std::vector<json> probes = analysis_probes(d);
  ASSERT_GE(probes.size(), 3u) << d.dump(2);
  for (const json& p : probes) {
    EXPECT_EQ(p["ok"], true) << p.dump();
    EXPECT_EQ(p["target"], "max(error_rate_pct) over 5m") << p.dump();
    EXPECT_DOUBLE_EQ(p.value("value", -1.0), 0.4) << p.dump();
  }
  EXPECT_EQ(weights(), "20 v1.0.0\n100 v1.0.0\n");

  const json items = history();
  ASSERT_EQ(items.size(), 1u) << items.dump(2);
  EXPECT_EQ(items[0]["version_tag"], "v1.0.0");
  EXPECT_EQ(items[0]["is_current"], true);
  EXPECT_EQ(api().get("/api/v1/projects/" + project_ + "/environments/Development/hold").status,
            404);
}

TEST_F(CanaryAnalysisTest, HighIngestedErrorRatesRollTheCanaryBack) {
  // The stable version: a canary promoted on low rates.
  const json stable = promoted("v1.0.0");
  ASSERT_EQ(stable.value("status", ""), "success") << stable.dump(2);

  // v2's canary: while it is paused at 20%, the service reports 12.5% errors.
  const std::string execution = start("v2.0.0");
  const json paused = paused_canary(execution);
  ingest_error_rates({12.5, 9.8});
  continue_canary(paused);
  const json e = webhooks::finished_execution(api(), execution, kDeadline);
  EXPECT_EQ(e.value("status", ""), "failed") << e.dump(2);

  const json d = api().get("/api/v1/deployments/" + paused.value("id", "")).json();
  ASSERT_TRUE(d.is_object()) << d.dump(2);
  EXPECT_EQ(d["status"], "rolled_back") << d.dump(2);
  EXPECT_EQ(d["version"], "v2.0.0");
  EXPECT_EQ(d["canary_weight"], 0) << d.dump(2);
  EXPECT_EQ(d["is_current"], false);
  EXPECT_EQ(d["marked_bad"], true);
  EXPECT_NE(d.value("reason", "").find("canary analysis failed"), std::string::npos)
      << d.dump(2);

  // Every reading after the continue saw 12.5% > 1%; the analysis judges
  // after min_samples (3) readings and aborts (failure_limit 1).
  int failing = 0;
  for (const json& p : analysis_probes(d)) {
    EXPECT_EQ(p["target"], "max(error_rate_pct) over 5m") << p.dump();
    if (p.value("ok", true)) continue;
    ++failing;
    EXPECT_DOUBLE_EQ(p.value("value", -1.0), 12.5) << p.dump();
  }
  EXPECT_EQ(failing, 3) << d.dump(2);
  EXPECT_EQ(analysis_probes(d).size(), 3u) << d.dump(2);
  // The traffic command set the canary to 20%, then back to 0.
  EXPECT_EQ(weights(), "20 v1.0.0\n100 v1.0.0\n20 v2.0.0\n0 v2.0.0\n");

  // The stable version is still the previous one; history shows the rollback.
  const json items = history();
  ASSERT_EQ(items.size(), 2u) << items.dump(2);
  EXPECT_EQ(items[0]["version_tag"], "v2.0.0");
  EXPECT_EQ(items[0]["status"], "rolled_back");
  EXPECT_EQ(items[0]["is_current"], false);
  EXPECT_EQ(items[0]["marked_bad"], true);
  EXPECT_EQ(items[1]["version_tag"], "v1.0.0");
  EXPECT_EQ(items[1]["deployment_id"], stable["id"]);
  EXPECT_EQ(items[1]["is_current"], true);
  EXPECT_EQ(api().get("/api/v1/deployments/" + stable.value("id", "")).json()["is_current"], true);

  // The rollback holds automatic deploys of the environment, naming v2.
  auto hold = api().get("/api/v1/projects/" + project_ + "/environments/Development/hold");
  ASSERT_EQ(hold.status, 200) << hold.body;
  EXPECT_EQ(hold.json()["version_tag"], "v2.0.0") << hold.body;
  EXPECT_EQ(hold.json()["active"], true) << hold.body;
}

}  // namespace
}  // namespace opz::testing
