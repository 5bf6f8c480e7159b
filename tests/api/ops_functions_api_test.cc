// The seeds' ops functions through their routes (issue 13): metrics ingest
// with its token, validation naming the bad sample, all-or-nothing storage,
// the rollups it refreshes; the advisory scan opening, de-duplicating and
// resolving advisories; and GET /api/v1/projects/{id}/dora.
#include <gtest/gtest.h>

#include "api/api_fixture.h"
#include "core/time_format.h"
#include "store/advisory_store.h"
#include "store/ops_metrics_store.h"

namespace opz::api {
namespace {

constexpr const char* kIngestToken = "ingest-secret";
constexpr const char* kScanToken = "scan-secret";

class OpsFunctionsApiTest : public ApiFixture {
 protected:
  void configure(ApiContext& ctx) override {
    ctx.ops_ingest_token = kIngestToken;
    ctx.ops_advisory_scan_token = kScanToken;
  }
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    clock_.set(parse_time("2026-02-12T17:30:30Z").value());
    project_ = create_project();
  }

  http::Response post(const std::string& path, const std::string& header,
                      const std::string& token, const std::string& body = "") {
    auto m = router_.match("POST", path);
    EXPECT_TRUE(m.found()) << path;
    http::Request req;
    req.method = "POST";
    req.path = path;
    req.path_params = m.params;
    if (!token.empty()) req.headers.add(header, token);
    req.headers.add("Content-Type", "application/json");
    req.body = body;
    return (*m.handler)(req);
  }
  http::Response ingest(const std::string& body, const std::string& token = kIngestToken) {
    return post("/functions/v1/ops-metrics-ingest", "x-ops-ingest-token", token, body);
  }
  http::Response scan(const std::string& token = kScanToken) {
    return post("/functions/v1/ops-advisory-scan", "x-ops-advisory-token", token);
  }
  std::string body_for(const std::string& samples, const std::string& ts = "2026-02-12T17:30:00Z") {
    return R"({"project_id": ")" + project_ + R"(", "ts": ")" + ts + R"(", "samples": )" +
           samples + "}";
  }
  int64_t stored() {
    return db_->read([](store::SqlSession& s) -> Result<int64_t> {
                OPZ_TRY(store::Rows r, s.query("SELECT count(*) AS n FROM ops_metrics"));
                return r[0]["n"].as_int();
              })
        .value();
  }
  static std::string field_of(const http::Response& r) {
    return Json::parse(r.body)["error"].value("field", "");
  }

  std::string project_;
};

TEST_F(OpsFunctionsApiTest, SeedCurlBodyInsertsTwoAndRefreshesRollups) {
  auto res = ingest(body_for(R"([{"metric": "cpu_pct", "value": 45.2},
                                 {"metric": "mem_mb", "value": 1024}])"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json::parse(res.body), Json::parse(R"({"inserted": 2})"));
  EXPECT_EQ(stored(), 2);
  store::OpsMetricsStore metrics(*db_, clock_);
  auto minutes = metrics.rollups(store::OpsMetricsStore::Resolution::kMinute, project_, "mem_mb");
  ASSERT_TRUE(minutes.ok());
  ASSERT_EQ(minutes->size(), 1u);
  EXPECT_EQ((*minutes)[0].bucket, "2026-02-12T17:30:00.000Z");
  EXPECT_DOUBLE_EQ((*minutes)[0].sum, 1024);
}

TEST_F(OpsFunctionsApiTest, TokenIsRequiredAndCompared) {
  const std::string body = body_for(R"([{"metric": "cpu_pct", "value": 1}])");
  EXPECT_EQ(ingest(body, "").status, 401);
  EXPECT_EQ(ingest(body, "ingest-secreT").status, 401);
  EXPECT_EQ(ingest(body, "ingest-secret-and-more").status, 401);
  EXPECT_EQ(scan("").status, 401);
  EXPECT_EQ(scan(kIngestToken).status, 401);
  EXPECT_EQ(stored(), 0);
}

TEST_F(OpsFunctionsApiTest, NoConfiguredTokenAnswers503SayingHowToSetOne) {
  ctx_->ops_ingest_token.clear();
  auto res = ingest(body_for(R"([{"metric": "cpu_pct", "value": 1}])"), "anything");
  EXPECT_EQ(res.status, 503);
  EXPECT_NE(res.body.find("OPS_INGEST_TOKEN"), std::string::npos) << res.body;
  ctx_->ops_advisory_scan_token.clear();
  res = scan("anything");
  EXPECT_EQ(res.status, 503);
  EXPECT_NE(res.body.find("ops-advisory-scan-token"), std::string::npos) << res.body;
}

TEST_F(OpsFunctionsApiTest, BadSamplesAre422NamingTheIndexAndNothingIsStored) {
  auto res = ingest(body_for(R"([{"metric": "cpu_pct", "value": 1},
                                 {"metric": "mem_mb", "value": "Infinity"}])"));
  EXPECT_EQ(res.status, 422) << res.body;
  EXPECT_EQ(field_of(res), "samples[1].value");
  res = ingest(body_for(R"([{"metric": "cpu_pct", "value": "NaN"}])"));
  EXPECT_EQ(field_of(res), "samples[0].value");
  // JSON has no non-finite numbers: one that overflows a double is not JSON.
  res = ingest(body_for(R"([{"metric": "cpu_pct", "value": 1e999}])"));
  EXPECT_EQ(res.status, 400) << res.body;
  res = ingest(body_for(R"([{"metric": "ok", "value": 1}, {"metric": "ok", "value": 2},
                            {"metric": "cpu pct!", "value": 3}])"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(field_of(res), "samples[2].metric");
  res = ingest(body_for(R"([])"));
  EXPECT_EQ(field_of(res), "samples");
  // Clock is 17:30:30: 2 h ahead and 8 days behind are refused, 50 min ahead is not.
  res = ingest(body_for(R"([{"metric": "cpu_pct", "value": 1}])", "2026-02-12T19:31:00Z"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(field_of(res), "ts");
  res = ingest(body_for(R"([{"metric": "cpu_pct", "value": 1}])", "2026-02-04T17:30:00Z"));
  EXPECT_EQ(field_of(res), "ts");
  res = ingest(body_for(R"([{"metric": "cpu_pct", "value": 1}])", "yesterday"));
  EXPECT_EQ(field_of(res), "ts");
  EXPECT_EQ(stored(), 0);
  res = ingest(R"({"project_id": "00000000-0000-0000-0000-000000000000",
                   "ts": "2026-02-12T17:30:00Z", "samples": [{"metric": "cpu_pct", "value": 1}]})");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(field_of(res), "project_id");
  EXPECT_EQ(stored(), 0);
  EXPECT_EQ(ingest(body_for(R"([{"metric": "cpu_pct", "value": 1}])", "2026-02-12T18:20:00Z"))
                .status,
            200);
}

TEST_F(OpsFunctionsApiTest, ScanOpensOnceThenResolvesWhenTheConditionClears) {
  ASSERT_EQ(ingest(body_for(R"([{"metric": "error_rate_pct", "value": 2.5},
                                 {"metric": "pod_restarts", "value": 1}])",
                            "2026-02-12T17:29:00Z"))
                .status,
            200);
  auto res = scan();
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json::parse(res.body), Json::parse(R"({"advisories_created": 1})"));
  EXPECT_EQ(Json::parse(scan().body)["advisories_created"], 0);  // de-duplicated while open
  store::AdvisoryStore advisories(*db_, clock_);
  auto open = advisories.list(project_, "open");
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].rule, "error_rate");
  EXPECT_EQ((*open)[0].observed, 2.5);

  const std::string viewer = token_for("viewer");
  auto listed = router_.match("GET", "/api/v1/projects/" + project_ + "/advisories");
  ASSERT_TRUE(listed.found());
  http::Request req;
  req.method = "GET";
  req.path_params = listed.params;
  req.query = {{"status", "open"}};
  req.headers.add("Authorization", "Bearer " + viewer);
  auto answer = (*listed.handler)(req);
  ASSERT_EQ(answer.status, 200) << answer.body;
  Json items = Json::parse(answer.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["rule"], "error_rate");
  EXPECT_EQ(items[0]["severity"], "critical");
  EXPECT_EQ(items[0]["threshold"], 1.0);
  EXPECT_EQ(items[0]["resolved_at"], nullptr);

  clock_.advance(std::chrono::minutes(10));  // the sample leaves the 5-minute window
  EXPECT_EQ(Json::parse(scan().body)["advisories_created"], 0);
  EXPECT_TRUE(advisories.list(project_, "open")->empty());
  EXPECT_EQ((*advisories.list(project_))[0].status, "resolved");
}

TEST_F(OpsFunctionsApiTest, ScanFlagsLowDeploymentSuccessAndLongRunningExecutions) {
  ASSERT_TRUE(db_->write([&](store::SqlSession& s) -> Status {
                  for (int i = 0; i < 10; ++i)
                    OPZ_TRY_STATUS(s.exec(
                        "INSERT INTO deployments (project_id, environment, version, status, "
                        "completed_at) VALUES ($1, 'Production', 'v', $2, $3)",
                        {project_, i < 8 ? "success" : "failed", "2026-02-12T12:00:00.000Z"}));
                  OPZ_TRY_STATUS(s.exec(
                      "INSERT INTO executions (id, name, project_id, status, started_at, "
                      "created_at, updated_at) VALUES ('e1', 'x', $1, 'running', $2, $2, $2)",
                      {project_, "2026-02-12T16:00:00.000Z"}));
                  return {};
                })
                  .ok());
  auto res = scan();
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json::parse(res.body)["advisories_created"], 2);
  store::AdvisoryStore advisories(*db_, clock_);
  std::vector<std::string> rules;
  auto open = advisories.list(project_, "open");
  ASSERT_TRUE(open.ok());
  for (const auto& a : *open) rules.push_back(a.rule);
  std::sort(rules.begin(), rules.end());
  EXPECT_EQ(rules, (std::vector<std::string>{"deployment_success_rate", "execution_running_long"}));
}

class DoraApiTest : public OpsFunctionsApiTest {
 protected:
  http::Response get(const std::string& path, std::map<std::string, std::string> query) {
    auto m = router_.match("GET", path);
    EXPECT_TRUE(m.found()) << path;
    http::Request req;
    req.method = "GET";
    req.path = path;
    req.path_params = m.params;
    req.query = std::move(query);
    req.headers.add("Authorization", "Bearer " + viewer_);
    return (*m.handler)(req);
  }
  void SetUp() override {
    OpsFunctionsApiTest::SetUp();
    if (HasFatalFailure()) return;
    viewer_ = token_for("viewer");
  }
  std::string viewer_;
};

TEST_F(DoraApiTest, ComputesFromDeploymentsWithCommitTimeFromTheTrigger) {
  ASSERT_TRUE(db_->write([&](store::SqlSession& s) -> Status {
                  OPZ_TRY_STATUS(s.exec(
                      "INSERT INTO executions (id, name, project_id, status, metadata, "
                      "created_at, updated_at) VALUES ('e1', 'x', $1, 'success', $2, $3, $3)",
                      {project_, R"({"commit_timestamp": "2026-02-11T09:00:00+01:00"})",
                       "2026-02-11T08:30:00.000Z"}));
                  // failed at 10:00, restored by e1's success at 11:00 (commit 08:00 UTC).
                  OPZ_TRY_STATUS(s.exec(
                      "INSERT INTO deployments (project_id, environment, version, status, "
                      "completed_at) VALUES ($1, 'Production', 'v1', 'failed', "
                      "'2026-02-11T10:00:00.000Z')",
                      {project_}));
                  OPZ_TRY_STATUS(s.exec(
                      "INSERT INTO deployments (project_id, execution_id, environment, version, "
                      "status, completed_at) VALUES ($1, 'e1', 'Production', 'v2', 'success', "
                      "'2026-02-11T11:00:00.000Z')",
                      {project_}));
                  OPZ_TRY_STATUS(s.exec("INSERT INTO deployments (project_id, environment, "
                                        "version, status, completed_at) VALUES ($1, 'Staging', "
                                        "'v2', 'success', '2026-02-11T09:00:00.000Z')",
                                        {project_}));
                  return {};
                })
                  .ok());
  auto res = get("/api/v1/projects/" + project_ + "/dora",
                 {{"window", "7d"}, {"environment", "Production"}});
  ASSERT_EQ(res.status, 200) << res.body;
  Json d = Json::parse(res.body);
  EXPECT_DOUBLE_EQ(d["deployment_frequency"].get<double>(), 1.0 / 7.0);
  EXPECT_DOUBLE_EQ(d["lead_time_seconds"].get<double>(), 3 * 3600);
  EXPECT_EQ(d["lead_time_basis"], "commit_time");
  EXPECT_DOUBLE_EQ(d["change_failure_rate"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(d["time_to_restore_seconds"].get<double>(), 3600);
  EXPECT_EQ(d["window"], "7d");
  EXPECT_EQ(d["environment"], "Production");
  // Every UTC day the window touches: 2026-02-05T17:30:30 .. 2026-02-12T17:30:30.
  ASSERT_EQ(d["series"].size(), 8u);
  EXPECT_EQ(d["series"][0]["date"], "2026-02-05");
  EXPECT_EQ(d["series"][6], Json::parse(R"({"date": "2026-02-11", "deployments": 2,
                                             "failures": 1})"));

  res = get("/api/v1/projects/" + project_ + "/dora", {{"window", "30d"}});
  d = Json::parse(res.body);
  EXPECT_EQ(d["environment"], nullptr);
  EXPECT_EQ(d["series"].size(), 31u);
  EXPECT_EQ(d["lead_time_basis"], "mixed");  // Staging's deployment has no execution

  EXPECT_EQ(get("/api/v1/projects/" + project_ + "/dora", {{"window", "1y"}}).status, 422);
  EXPECT_EQ(get("/api/v1/projects/00000000-0000-4000-8000-000000000000/dora", {}).status, 404);
}

}  // namespace
}  // namespace opz::api
