// Insights (issue 13) through the real server: a project's real pipelines —
// one slow node (sleep 1), one that fails its first attempt and passes its
// retry (a marker file), one failing with different numbers in its error line
// every run — run three times, and GET /api/v1/projects/{id}/insights names
// them: slowest, flaky, one failure cluster. /functions/v1/ai-insights and
// explain-config against a recording local server standing in for an
// OpenAI-compatible endpoint (the request carries the facts, the answer text
// comes back; a failing or slow endpoint is a 502), and without an endpoint
// (the facts alone, saying why).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/fake_http_server.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

using nlohmann::json;

std::string pipeline_yaml(const std::string& marker, int run) {
  return "name: insights\n"
         "nodes:\n"
         "  slow:\n"
         "    run: sleep 1\n"
         "  flaky:\n"
         "    retry: {max_attempts: 2, initial: 100ms, max: 100ms}\n"
         "    run: if [ -f '" + marker + "' ]; then echo passed; else touch '" + marker +
         "'; echo 'first attempt fails' >&2; exit 1; fi\n"
         "  db:\n"
         "    run: echo 'connection refused to 10.0.0." + std::to_string(3 + run) +
         ":5432 after " + std::to_string(2990 + 17 * run) + "ms' >&2; exit 3\n";
}

class InsightsIntegrationTest : public ::testing::Test {
 protected:
  void start_server(ServerProcess::Options options = {}) {
    server_ = std::make_unique<ServerProcess>(std::move(options));
    token_ = server_->create_user_and_login("admin@example.com", "admin");
    auto project = api().post("/api/v1/projects", json{{"name", "Insights"}});
    ASSERT_EQ(project.status, 201) << project.body;
    project_ = project.json()["id"];
  }
  HttpClient api() const {
    HttpClient c(server_->base_url());
    c.set_token(token_);
    return c;
  }
  json wait_finished(const std::string& id) {
    json last;
    for (int i = 0; i < 60 * 20; ++i) {
      auto r = api().get("/api/v1/executions/" + id);
      if (r.status == 200) {
        last = r.json();
        const std::string st = last.value("status", "");
        if (st == "success" || st == "failed" || st == "warning" || st == "cancelled") return last;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "execution " << id << " did not finish: " << last.dump();
    return last;
  }
  // Runs the pipeline three times (one after another); answers the ids.
  std::vector<std::string> run_three() {
    std::vector<std::string> ids;
    for (int run = 0; run < 3; ++run) {
      const std::string marker = markers_.str() + "/marker-" + std::to_string(run);
      auto r = api().post("/api/v1/executions",
                          json{{"project_id", project_},
                               {"pipeline_yaml", pipeline_yaml(marker, run)},
                               {"environment", "Development"},
                               {"branch", "main"}});
      EXPECT_EQ(r.status, 201) << r.body;
      ids.push_back(r.json().value("id", ""));
      wait_finished(ids.back());
    }
    return ids;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string token_;
  std::string project_;
  TempDir markers_;
};

TEST_F(InsightsIntegrationTest, NamesTheSlowFlakyAndFailingNodesAndPhrasesThemThroughAnAiEndpoint) {
  FakeHttpServer ai;
  ServerProcess::Options options;
  options.extra_args = {"--ai-endpoint", ai.base_url() + "/v1/", "--ai-model", "test-model",
                        "--ai-timeout", "1s"};
  options.env["AI_API_KEY"] = "sk-test-key";
  start_server(options);
  const std::vector<std::string> ids = run_three();

  auto res = api().get("/api/v1/projects/" + project_ + "/insights?window=7d");
  ASSERT_EQ(res.status, 200) << res.body;
  const json in = res.json();
  EXPECT_EQ(in["window"], "7d");
  ASSERT_FALSE(in["slowest_nodes"].empty()) << res.body;
  const json slow = in["slowest_nodes"][0];
  EXPECT_EQ(slow["node_id"], "slow");
  EXPECT_EQ(slow["runs"], 3);
  EXPECT_GE(slow["p50_ms"].get<int64_t>(), 1000);
  EXPECT_GE(slow["p95_ms"].get<int64_t>(), slow["p50_ms"].get<int64_t>());
  EXPECT_EQ(slow["trend"], "new");
  EXPECT_TRUE(slow["previous_p95_ms"].is_null());
  ASSERT_EQ(slow["series"].size(), 1u);
  EXPECT_EQ(slow["series"][0]["runs"], 3);

  ASSERT_EQ(in["flaky_nodes"].size(), 1u) << res.body;
  EXPECT_EQ(in["flaky_nodes"][0]["node_id"], "flaky");
  EXPECT_EQ(in["flaky_nodes"][0]["passed_after_retry"], 3);
  EXPECT_EQ(in["flaky_nodes"][0]["runs"], 3);
  EXPECT_EQ(in["flaky_nodes"][0]["score"], 1.0);

  ASSERT_EQ(in["failure_clusters"].size(), 1u) << res.body;
  const json cluster = in["failure_clusters"][0];
  EXPECT_EQ(cluster["signature"], "connection refused to <ip>:<n> after <n>ms");
  EXPECT_EQ(cluster["exit_code"], 3);
  EXPECT_EQ(cluster["count"], 3);
  EXPECT_EQ(cluster["node_ids"], json::array({"db"}));
  EXPECT_EQ(cluster["example_execution_ids"], json::array({ids[2], ids[1], ids[0]}));
  EXPECT_LE(cluster["first_seen"].get<std::string>(), cluster["last_seen"].get<std::string>());

  EXPECT_EQ(in["queue_wait"]["executions"], 3);
  EXPECT_TRUE(in["queue_wait"]["p50_ms"].is_number()) << res.body;
  EXPECT_TRUE(in["queue_wait"]["p95_ms"].is_number()) << res.body;
  EXPECT_EQ(in["queue_wait"]["nodes"]["runs"], 9);

  auto bad_window = api().get("/api/v1/projects/" + project_ + "/insights?window=2w");
  EXPECT_EQ(bad_window.status, 422) << bad_window.body;
  EXPECT_EQ(bad_window.json()["error"]["field"], "window");
  auto unknown = api().get("/api/v1/projects/00000000-0000-4000-8000-000000000000/insights");
  EXPECT_EQ(unknown.status, 404) << unknown.body;

  // ai-insights: the facts go to the endpoint, its text comes back.
  ai.enqueue(CannedResponse::json(
      200, R"({"model":"test-model-2024","choices":[{"message":{"role":"assistant",)"
           R"("content":"The slow node dominates; db cannot reach its database."}}]})"));
  auto explained = api().post("/functions/v1/ai-insights", json{{"project_id", project_}});
  ASSERT_EQ(explained.status, 200) << explained.body;
  EXPECT_EQ(explained.json()["explanation"], "The slow node dominates; db cannot reach its database.");
  EXPECT_EQ(explained.json()["model"], "test-model-2024");
  EXPECT_EQ(explained.json()["insights"]["failure_clusters"], in["failure_clusters"]);
  const RecordedRequest sent = ai.last_request();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/v1/chat/completions");
  EXPECT_EQ(sent.header("authorization"), "Bearer sk-test-key");
  const json sent_body = json::parse(sent.body);
  EXPECT_EQ(sent_body["model"], "test-model");
  ASSERT_EQ(sent_body["messages"].size(), 2u);
  EXPECT_EQ(sent_body["messages"][0]["role"], "system");
  const json context = json::parse(sent_body["messages"][1]["content"].get<std::string>());
  EXPECT_EQ(context["slowest_nodes"][0]["node_id"], "slow");
  EXPECT_EQ(context["flaky_nodes"][0]["node_id"], "flaky");
  EXPECT_EQ(context["failure_clusters"][0]["signature"],
            "connection refused to <ip>:<n> after <n>ms");

  // explain-config: the config and its validation summary go along.
  ai.enqueue(CannedResponse::json(
      200, R"({"choices":[{"message":{"content":"Three independent nodes."}}]})"));
  const std::string yaml = pipeline_yaml("/tmp/x", 0);
  auto config = api().post("/functions/v1/explain-config", json{{"yaml", yaml}});
  ASSERT_EQ(config.status, 200) << config.body;
  EXPECT_EQ(config.json()["explanation"], "Three independent nodes.");
  EXPECT_EQ(config.json()["model"], "test-model");
  EXPECT_EQ(config.json()["summary"]["valid"], true);
  const json config_context =
      json::parse(json::parse(ai.last_request().body)["messages"][1]["content"].get<std::string>());
  EXPECT_EQ(config_context["config"], yaml);
  EXPECT_EQ(config_context["summary"]["summary"]["nodes"], 3);

  // A failing endpoint: 502 naming its status, the facts still there.
  ai.enqueue(CannedResponse::json(500, R"({"error":"overloaded"})"));
  auto failed = api().post("/functions/v1/ai-insights", json{{"project_id", project_}});
  EXPECT_EQ(failed.status, 502) << failed.body;
  EXPECT_NE(failed.json()["error"]["message"].get<std::string>().find("HTTP 500"),
            std::string::npos) << failed.body;
  EXPECT_EQ(failed.json()["insights"]["slowest_nodes"][0]["node_id"], "slow");
  EXPECT_EQ(failed.body.find("sk-test-key"), std::string::npos);

  // An endpoint slower than ai-timeout (1 s): 502, not a hang.
  CannedResponse slow_answer = CannedResponse::json(200, R"({"choices":[]})");
  slow_answer.delay = std::chrono::milliseconds(3000);
  ai.enqueue(slow_answer);
  auto timed_out = api().post("/functions/v1/explain-config", json{{"pipeline", yaml}});
  EXPECT_EQ(timed_out.status, 502) << timed_out.body;
  EXPECT_NE(timed_out.json()["error"]["message"].get<std::string>().find("gave no answer"),
            std::string::npos) << timed_out.body;
}

TEST_F(InsightsIntegrationTest, WithoutAnAiEndpointTheFactsStandAlone) {
  start_server();
  auto res = api().post("/functions/v1/ai-insights", json{{"project_id", project_}, {"window", "30d"}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(res.json()["explanation"].is_null());
  EXPECT_EQ(res.json()["reason"], "no AI endpoint configured (config ai-endpoint)");
  EXPECT_EQ(res.json()["insights"]["window"], "30d");
  EXPECT_EQ(res.json()["insights"]["slowest_nodes"], json::array());
  EXPECT_TRUE(res.json()["insights"]["queue_wait"]["p50_ms"].is_null());

  auto config = api().post("/functions/v1/explain-config",
                           json{{"pipeline", {{"nodes", json::array()}, {"edges", json::array()}}}});
  ASSERT_EQ(config.status, 200) << config.body;
  EXPECT_TRUE(config.json()["explanation"].is_null());
  EXPECT_TRUE(config.json()["summary"].contains("valid"));

  auto invalid = api().post("/functions/v1/explain-config", json{{"yaml", "nodes: [\n"}});
  ASSERT_EQ(invalid.status, 200) << invalid.body;  // explaining what is wrong is the point
  EXPECT_EQ(invalid.json()["summary"]["valid"], false);

  auto neither = api().post("/functions/v1/explain-config", json::object());
  EXPECT_EQ(neither.status, 422) << neither.body;
  EXPECT_EQ(neither.json()["error"]["field"], "yaml");
  auto bad_window = api().post("/functions/v1/ai-insights",
                               json{{"project_id", project_}, {"window", "1y"}});
  EXPECT_EQ(bad_window.status, 422) << bad_window.body;
  EXPECT_EQ(bad_window.json()["error"]["field"], "window");
  auto unknown = api().post("/functions/v1/ai-insights",
                            json{{"project_id", "00000000-0000-4000-8000-000000000000"}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  HttpClient anonymous(server_->base_url());
  EXPECT_EQ(anonymous.post("/functions/v1/ai-insights", json{{"project_id", project_}}).status, 401);
}

}  // namespace
}  // namespace opz::testing
