// The OTLP/HTTP receiver through the real server (issue 13, "In"): JSON and
// gzip bodies stored as telemetry signals and read back by trace id, a span
// linked to a real execution, bad bodies answered 400 naming the item with
// nothing stored, and the size limits (8 MiB sent, 8 MiB once inflated) 413.
// The gzip bodies are made by the real gzip tool.
#include <gtest/gtest.h>

#include <string>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

std::string spans_body(const std::string& execution_id, const std::string& span_id) {
  json attrs = json::array({{{"key", "opzenix.node_id"}, {"value", {{"stringValue", "build"}}}}});
  if (!execution_id.empty())
    attrs.push_back({{"key", "opzenix.execution_id"}, {"value", {{"stringValue", execution_id}}}});
  return json{
      {"resourceSpans",
       {{{"resource",
          {{"attributes",
            {{{"key", "deployment.environment.name"}, {"value", {{"stringValue", "staging"}}}}}}}},
         {"scopeSpans",
          {{{"spans",
             {{{"traceId", kTrace},
               {"spanId", span_id},
               {"name", "compile"},
               {"startTimeUnixNano", "1700000000000000000"},
               {"endTimeUnixNano", "1700000002500000000"},
               {"attributes", attrs}}}}}}}}}}}
      .dump();
}

std::string gzip(const std::string& data) {
  auto r = run_command({"gzip", "-c"}, data);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

class OtlpReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerProcess::Options options;
    options.env["OPS_INGEST_TOKEN"] = "collector-secret";
    server_ = std::make_unique<ServerProcess>(options);
    token_ = server_->create_user_and_login("ops@example.com", "operator");
  }
  HttpClient api() const {
    HttpClient c(server_->base_url());
    c.set_token(token_);
    return c;
  }
  HttpResult send(const std::string& path, const std::string& body,
                  std::vector<std::string> headers = {}) const {
    headers.push_back("Content-Type: application/json");
    return api().request("POST", path, body, headers);
  }
  json signals(const std::string& query) const {
    auto r = api().get("/api/v1/telemetry/signals?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(OtlpReceiverTest, JsonAndGzipSpansAreStoredAndFoundByTraceId) {
  auto plain = send("/v1/traces", spans_body("", "00f067aa0ba902b7"));
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(plain.json(), json::object());
  auto zipped =
      send("/v1/traces", gzip(spans_body("", "00f067aa0ba902b8")), {"Content-Encoding: gzip"});
  ASSERT_EQ(zipped.status, 200) << zipped.body;

  json found = signals(std::string("otel_trace_id=") + kTrace);
  ASSERT_EQ(found["items"].size(), 2u) << found.dump();
  for (const json& s : found["items"]) {
    EXPECT_EQ(s["signal_type"], "span");
    EXPECT_EQ(s["otel_trace_id"], kTrace);
    EXPECT_EQ(s["duration_ms"], 2500);
    EXPECT_EQ(s["environment"], "staging");
    EXPECT_EQ(s["node_id"], "build");
    EXPECT_EQ(s["status_code"], "UNSET");
    EXPECT_EQ(s["payload"]["name"], "compile");
    EXPECT_EQ(s["payload"]["start_time"], "2023-11-14T22:13:20.000Z");
  }
}

TEST_F(OtlpReceiverTest, ASpanNamingARealExecutionIsListedWithIt) {
  auto started =
      api().post("/api/v1/executions", json{{"pipeline_yaml",
                                             "name: otel\nnodes:\n  build:\n    type: build\n"
                                             "    run: echo traced\n"},
                                            {"environment", "Development"},
                                            {"branch", "main"}});
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string execution_id = started.json()["id"];

  auto res = send("/v1/traces", spans_body(execution_id, "00f067aa0ba902b9"),
                  {"x-ops-ingest-token: collector-secret"});
  ASSERT_EQ(res.status, 200) << res.body;
  json found = signals("execution_id=" + execution_id);
  ASSERT_EQ(found["items"].size(), 1u) << found.dump();
  EXPECT_EQ(found["items"][0]["otel_span_id"], "00f067aa0ba902b9");
  EXPECT_EQ(found["items"][0]["execution_id"], execution_id);
  EXPECT_EQ(found["items"][0]["payload"]["attributes"]["opzenix.execution_id"], execution_id);
}

TEST_F(OtlpReceiverTest, BadBodiesAre400NamingTheItemAndStoreNothing) {
  json body = json::parse(spans_body("", "00f067aa0ba902b7"));
  json bad = body["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  bad["traceId"] = "4bf92f3577b34da6a3ce929d0e0e47";  // 30 digits
  body["resourceSpans"][0]["scopeSpans"][0]["spans"].push_back(bad);
  auto res = send("/v1/traces", body.dump());
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(res.json()["error"]["field"], "resourceSpans[0].scopeSpans[0].spans[1].traceId")
      << res.body;

  json negative = json::parse(spans_body("", "00f067aa0ba902b7"));
  negative["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["endTimeUnixNano"] = "1";
  auto backwards = send("/v1/traces", negative.dump());
  EXPECT_EQ(backwards.status, 400) << backwards.body;
  EXPECT_NE(backwards.body.find("endTimeUnixNano"), std::string::npos) << backwards.body;

  EXPECT_EQ(send("/v1/traces", "{\"resourceSpans\": [").status, 400);
  EXPECT_EQ(send("/v1/traces", "not gzip", {"Content-Encoding: gzip"}).status, 400);
  auto proto = api().request("POST", "/v1/traces", std::string("\x0a\x02\x08\x01", 4),
                             {"Content-Type: application/x-protobuf"});
  EXPECT_EQ(proto.status, 415) << proto.body;
  EXPECT_NE(proto.body.find("JSON"), std::string::npos) << proto.body;

  EXPECT_TRUE(signals("signal_type=span")["items"].empty());
}

TEST_F(OtlpReceiverTest, BodiesOverTheLimitAre413SentOrInflated) {
  // 9 MiB of JSON whitespace around {}: valid JSON, over the 8 MiB limit.
  const std::string huge = "{}" + std::string(9 << 20, ' ');
  auto sent = send("/v1/logs", huge);
  EXPECT_EQ(sent.status, 413) << sent.body.substr(0, 200);
  const std::string bomb = gzip(huge);  // about 9 KB on the wire
  ASSERT_LT(bomb.size(), 64u * 1024);
  auto inflated = send("/v1/logs", bomb, {"Content-Encoding: gzip"});
  EXPECT_EQ(inflated.status, 413) << inflated.body;
  EXPECT_NE(inflated.body.find("inflates"), std::string::npos) << inflated.body;
}

TEST_F(OtlpReceiverTest, MetricsAndLogsArriveThroughTheirRoutesAndTheAlias) {
  auto metrics = send("/v1/metrics", R"({"resourceMetrics": [{"scopeMetrics": [{"metrics": [
      {"name": "queue.depth", "gauge": {"dataPoints": [{"asInt": "4",
        "timeUnixNano": "1700000000000000000"}]}}]}]}]})");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  auto logs = send("/functions/v1/otel-adapter", R"({"resourceLogs": [{"scopeLogs": [
      {"logRecords": [{"severityText": "WARN", "body": {"stringValue": "slow disk"}}]}]}]})");
  ASSERT_EQ(logs.status, 200) << logs.body;
  json m = signals("signal_type=metric");
  ASSERT_EQ(m["items"].size(), 1u);
  EXPECT_EQ(m["items"][0]["payload"]["value"], 4);
  json l = signals("signal_type=log");
  ASSERT_EQ(l["items"].size(), 1u);
  EXPECT_EQ(l["items"][0]["severity"], "warn");
}

}  // namespace
}  // namespace opz::testing
