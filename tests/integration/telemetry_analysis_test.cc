// POST /functions/v1/ai-telemetry-analysis (issue 13; seed 004) through the
// real server: metrics ingested through /functions/v1/ops-metrics-ingest — a
// baseline two hours ago for two metrics, then one of them spiking ten
// minutes ago — are analysed: the spike is anomalous, the flat one is not.
// With a recording local server standing in for an OpenAI-compatible endpoint
// the analysis is sent as context and its answer comes back; without one the
// facts stand alone, saying why.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/time_format.h"
#include "support/fake_http_server.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using std::chrono::minutes;

constexpr const char* kIngestToken = "0123456789abcdef";

class TelemetryAnalysisTest : public ::testing::Test {
 protected:
  void start_server(ServerProcess::Options options = {}) {
    options.env["OPS_INGEST_TOKEN"] = kIngestToken;
    server_ = std::make_unique<ServerProcess>(std::move(options));
    token_ = server_->create_user_and_login("admin@example.com", "admin");
    auto project = api().post("/api/v1/projects", json{{"name", "Telemetry"}});
    ASSERT_EQ(project.status, 201) << project.body;
    project_ = project.json()["id"];
  }
  HttpClient api() const {
    HttpClient c(server_->base_url());
    c.set_token(token_);
    return c;
  }
  void ingest(TimePoint ts, double cpu, double latency) {
    HttpClient anonymous(server_->base_url());
    const json body{{"project_id", project_},
                    {"ts", format_time(ts)},
                    {"samples", json::array({json{{"metric", "cpu_pct"}, {"value", cpu}},
                                             json{{"metric", "latency_ms"}, {"value", latency}}})}};
    auto r = anonymous.request("POST", "/functions/v1/ops-metrics-ingest", body.dump(),
                               {"content-type: application/json",
                                std::string("x-ops-ingest-token: ") + kIngestToken});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // 15 baseline minutes two hours ago (cpu 40/41, latency 100/101), then
  // three minutes ten minutes ago: cpu as before, latency at 900.
  void ingest_baseline_and_spike() {
    const TimePoint now = std::chrono::system_clock::now();
    for (int i = 0; i < 15; ++i)
      ingest(now - minutes(120) + minutes(i), 40 + i % 2, 100 + i % 2);
    for (int i = 0; i < 3; ++i) ingest(now - minutes(10) + minutes(i), 40 + i % 2, 900);
  }
  static const json& metric(const json& analysis, const std::string& name) {
    for (const json& m : analysis["metrics"])
      if (m["metric"] == name) return m;
    static const json none;
    ADD_FAILURE() << "no " << name << " in " << analysis.dump();
    return none;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string token_;
  std::string project_;
};

TEST_F(TelemetryAnalysisTest, FlagsTheSpikeNotTheFlatMetricAndSaysWhyThereIsNoExplanation) {
  start_server();
  ingest_baseline_and_spike();
  auto res = api().post("/functions/v1/ai-telemetry-analysis", json{{"project_id", project_}});
  ASSERT_EQ(res.status, 200) << res.body;
  const json a = res.json();
  EXPECT_EQ(a["project_id"], project_);
  EXPECT_EQ(a["window"], "1h");
  EXPECT_EQ(a["baseline"], "24h");
  EXPECT_EQ(a["anomalies"], json::array({"latency_ms"}));
  const json& latency = metric(a, "latency_ms");
  EXPECT_EQ(latency["status"], "anomalous");
  EXPECT_EQ(latency["anomalous"], true);
  EXPECT_DOUBLE_EQ(latency["recent_mean"].get<double>(), 900);
  EXPECT_NEAR(latency["baseline_mean"].get<double>(), 100 + 7.0 / 15, 1e-9);
  EXPECT_GT(latency["z_score"].get<double>(), 3);
  EXPECT_EQ(latency["points"], 3);
  EXPECT_EQ(latency["baseline_points"], 15);
  const json& cpu = metric(a, "cpu_pct");
  EXPECT_EQ(cpu["status"], "normal");
  EXPECT_EQ(cpu["anomalous"], false);
  EXPECT_LT(std::abs(cpu["z_score"].get<double>()), 3);
  EXPECT_TRUE(a["explanation"].is_null());
  EXPECT_NE(a["reason"].get<std::string>().find("ai-endpoint"), std::string::npos);

  // A window of 24 h holds both: the baseline before it is empty, all new.
  auto day = api().post("/functions/v1/ai-telemetry-analysis",
                        json{{"project_id", project_}, {"window", "24h"}, {"baseline", "7d"}});
  ASSERT_EQ(day.status, 200) << day.body;
  EXPECT_EQ(metric(day.json(), "latency_ms")["status"], "new");
  EXPECT_TRUE(day.json()["anomalies"].empty());

  auto bad = api().post("/functions/v1/ai-telemetry-analysis",
                        json{{"project_id", project_}, {"window", "2h"}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.json()["error"]["field"], "window");
  auto bad_baseline = api().post("/functions/v1/ai-telemetry-analysis",
                                 json{{"project_id", project_}, {"baseline", "1h"}});
  EXPECT_EQ(bad_baseline.status, 422) << bad_baseline.body;
  EXPECT_EQ(bad_baseline.json()["error"]["field"], "baseline");
  auto unknown = api().post("/functions/v1/ai-telemetry-analysis",
                            json{{"project_id", "00000000-0000-4000-8000-000000000000"}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  HttpClient anonymous(server_->base_url());
  auto refused = anonymous.post("/functions/v1/ai-telemetry-analysis",
                                json{{"project_id", project_}});
  EXPECT_EQ(refused.status, 401) << refused.body;
}

TEST_F(TelemetryAnalysisTest, SendsTheAnalysisToTheAiEndpointAndAnswersItsText) {
  FakeHttpServer ai;
  ServerProcess::Options options;
  options.extra_args = {"--ai-endpoint", ai.base_url() + "/v1/", "--ai-model", "test-model",
                        "--ai-timeout", "5s"};
  start_server(options);
  ingest_baseline_and_spike();
  ai.enqueue(CannedResponse::json(
      200, R"({"model":"test-model-2024","choices":[{"message":{"role":"assistant",)"
           R"("content":"latency_ms jumped ninefold; cpu_pct is steady."}}]})"));
  auto res = api().post("/functions/v1/ai-telemetry-analysis", json{{"project_id", project_}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json()["explanation"], "latency_ms jumped ninefold; cpu_pct is steady.");
  EXPECT_EQ(res.json()["model"], "test-model-2024");
  EXPECT_EQ(res.json()["anomalies"], json::array({"latency_ms"}));

  const RecordedRequest sent = ai.last_request();
  EXPECT_EQ(sent.path, "/v1/chat/completions");
  const json sent_body = json::parse(sent.body);
  ASSERT_EQ(sent_body["messages"].size(), 2u);
  const json context = json::parse(sent_body["messages"][1]["content"].get<std::string>());
  EXPECT_EQ(context["anomalies"], json::array({"latency_ms"}));
  EXPECT_EQ(context["metrics"], res.json()["metrics"]);

  ai.enqueue(CannedResponse::json(503, R"({"error":"down"})"));
  auto failed = api().post("/functions/v1/ai-telemetry-analysis", json{{"project_id", project_}});
  EXPECT_EQ(failed.status, 502) << failed.body;
  EXPECT_EQ(failed.json()["error"]["code"], "ai_endpoint_failed");
  EXPECT_NE(failed.json()["error"]["message"].get<std::string>().find("HTTP 503"),
            std::string::npos) << failed.body;
  EXPECT_EQ(failed.json()["anomalies"], json::array({"latency_ms"}));
}

}  // namespace
}  // namespace opz::testing
