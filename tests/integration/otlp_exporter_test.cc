// The receiver against the REAL OpenTelemetry exporter
// (@opentelemetry/exporter-trace-otlp-http, pinned in tests/otel/package.json):
// tests/otel/export_spans.mjs exports a small trace to the real server, plain
// and gzip-compressed, and the spans must be there with the trace id, span
// ids, parents, statuses and attributes the exporter reported. Skipped, saying
// how to install it, when tests/otel/node_modules is missing (`npm ci` there).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

const std::string kOtelDir = std::string(OPZENIX_SOURCE_DIR) + "/tests/otel";

class OtlpExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kOtelDir +
                                 "/node_modules/@opentelemetry/exporter-trace-otlp-http"))
      GTEST_SKIP() << "the real OpenTelemetry exporter is not installed: run `npm ci` in "
                   << kOtelDir;
    if (run_command({"/bin/sh", "-c", "command -v node"}).exit_code != 0)
      GTEST_SKIP() << "node is not installed";
    server_ = std::make_unique<ServerProcess>();
    token_ = server_->create_user_and_login("ops@example.com", "operator");
  }

  // Runs the exporter script; answers what it printed (the trace it sent).
  json export_spans(const std::string& compression, const std::string& execution_id) {
    auto r = run_command(
        {"node", kOtelDir + "/export_spans.mjs", "--url", server_->base_url(), "--token", token_,
         "--execution-id", execution_id, "--compression", compression},
        "", {}, 60, kOtelDir);
    EXPECT_EQ(r.exit_code, 0) << r.err << "\nserver log:\n" << server_->log();
    return json::parse(r.out, nullptr, false);
  }

  json signals(const std::string& query) {
    HttpClient api(server_->base_url());
    api.set_token(token_);
    auto r = api.get("/api/v1/telemetry/signals?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  // The stored spans of `sent` (the script's report), checked one by one.
  void expect_stored(const json& sent, const std::string& execution_id) {
    ASSERT_TRUE(sent.is_object()) << "the script printed no report";
    const std::string trace_id = sent["trace_id"];
    json items = signals("otel_trace_id=" + trace_id)["items"];
    ASSERT_EQ(items.size(), 3u) << items.dump();
    std::map<std::string, json> by_name;
    for (const json& s : items) by_name[s["payload"]["name"]] = s;
    for (const json& span : sent["spans"]) {
      const json& stored = by_name[span["name"].get<std::string>()];
      ASSERT_TRUE(stored.is_object()) << span.dump();
      EXPECT_EQ(stored["otel_trace_id"], trace_id);
      EXPECT_EQ(stored["otel_span_id"], span["span_id"]);
      const std::string parent = span["parent_span_id"];
      if (parent.empty())
        EXPECT_TRUE(stored["payload"]["parent_span_id"].is_null());
      else
        EXPECT_EQ(stored["payload"]["parent_span_id"], parent);
      EXPECT_EQ(stored["environment"], "staging");  // from the resource
      EXPECT_EQ(stored["node_id"], span["name"]);
    }
    const json& root = by_name["pipeline"];
    EXPECT_EQ(root["execution_id"], execution_id);
    EXPECT_EQ(root["payload"]["attributes"]["ci.retries"], 2);
    EXPECT_EQ(root["payload"]["attributes"]["ci.cached"], true);
    EXPECT_EQ(root["payload"]["attributes"]["ci.tags"], json::parse(R"(["fast", "linux"])"));
    EXPECT_EQ(root["payload"]["resource"]["service.name"], "otel-exporter-test");
    EXPECT_EQ(root["payload"]["scope"]["name"], "opzenix-tests");
    EXPECT_EQ(by_name["build"]["status_code"], "OK");
    EXPECT_EQ(by_name["test"]["status_code"], "ERROR");
    EXPECT_EQ(by_name["test"]["severity"], "error");
    EXPECT_EQ(by_name["test"]["payload"]["status"]["message"], "exit code 1");
    EXPECT_EQ(by_name["test"]["payload"]["events"][0]["name"], "retry");
    EXPECT_EQ(by_name["test"]["payload"]["events"][0]["attributes"]["attempt"], 2);
  }

  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(OtlpExporterTest, RealExporterSpansArriveWithTheirIdsAndAttributes) {
  HttpClient api(server_->base_url());
  api.set_token(token_);
  auto started =
      api.post("/api/v1/executions", json{{"pipeline_yaml",
                                           "name: otel\nnodes:\n  build:\n    type: build\n"
                                           "    run: echo traced\n"},
                                          {"environment", "Development"},
                                          {"branch", "main"}});
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string execution_id = started.json()["id"];

  expect_stored(export_spans("none", execution_id), execution_id);
  json linked = signals("execution_id=" + execution_id)["items"];
  ASSERT_EQ(linked.size(), 1u) << linked.dump();
  EXPECT_EQ(linked[0]["payload"]["name"], "pipeline");
}

TEST_F(OtlpExporterTest, GzipCompressedExportsArriveToo) {
  expect_stored(export_spans("gzip", "exec-from-elsewhere"), "exec-from-elsewhere");
}

}  // namespace
}  // namespace opz::testing
