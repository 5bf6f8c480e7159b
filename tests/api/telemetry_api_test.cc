// The OTLP receiver's routes and GET /api/v1/telemetry/signals, called
// through the router without sockets (tests/integration/otlp_receiver_test.cc
// drives the real binary, gzip and size limits included).
#include <gtest/gtest.h>

#include "api/api_fixture.h"

namespace opz::api {
namespace {

const char* kSpans = R"({"resourceSpans": [{"resource": {"attributes": [
    {"key": "opzenix.execution_id", "value": {"stringValue": "exec-42"}}]},
  "scopeSpans": [{"spans": [
    {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "build",
     "startTimeUnixNano": "1544712660000000000", "endTimeUnixNano": "1544712661000000000",
     "attributes": [{"key": "opzenix.node_id", "value": {"stringValue": "build"}}]},
    {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b175", "name": "test",
     "startTimeUnixNano": "1544712661000000000", "endTimeUnixNano": "1544712661500000000",
     "status": {"code": 2}}]}]}]})";

class TelemetryApiTest : public ApiFixture {
 protected:
  void configure(ApiContext& ctx) override { ctx.ops_ingest_token = "ingest-secret"; }

  Json signals(const std::string& token, std::map<std::string, std::string> query) {
    auto res = call_route("GET", "/api/v1/telemetry/signals", bearer(token), "", std::move(query));
    EXPECT_EQ(res.status, 200) << res.body;
    return Json::parse(res.body, nullptr, false);
  }
};

TEST_F(TelemetryApiTest, OperatorsSendSpansAndEveryoneReadsThem) {
  const std::string op = token_for("operator");
  auto res = call_route("POST", "/v1/traces", bearer(op), kSpans);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.body, "{}");

  auto body = signals(token_for("viewer"), {{"otel_trace_id", "5B8EFFF798038103D269B633813FC60C"}});
  ASSERT_EQ(body["items"].size(), 2u) << body.dump();
  EXPECT_TRUE(body["next_cursor"].is_null());
  for (const Json& item : body["items"]) {
    EXPECT_EQ(item["signal_type"], "span");
    EXPECT_EQ(item["execution_id"], "exec-42");
    EXPECT_EQ(item["otel_trace_id"], "5b8efff798038103d269b633813fc60c");
    EXPECT_TRUE(item["payload"].is_object());  // nested JSON, not a string
  }
  auto by_span = [&](const std::string& span_id) {
    for (const Json& item : body["items"])
      if (item["otel_span_id"] == span_id) return item;
    return Json();
  };
  EXPECT_EQ(by_span("eee19b7ec3c1b174")["duration_ms"], 1000);
  EXPECT_EQ(by_span("eee19b7ec3c1b174")["node_id"], "build");
  EXPECT_EQ(by_span("eee19b7ec3c1b175")["status_code"], "ERROR");
  EXPECT_EQ(by_span("eee19b7ec3c1b175")["payload"]["name"], "test");

  auto paged = signals(op, {{"execution_id", "exec-42"}, {"limit", "1"}});
  ASSERT_EQ(paged["items"].size(), 1u);
  EXPECT_TRUE(paged["next_cursor"].is_string());
}

TEST_F(TelemetryApiTest, ViewersMayNotSendButTheIngestTokenMay) {
  auto refused = call_route("POST", "/v1/traces", bearer(token_for("viewer")), kSpans);
  EXPECT_EQ(refused.status, 403) << refused.body;
  auto anonymous = call_route("POST", "/v1/traces", {}, kSpans);
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  auto wrong = call_route("POST", "/v1/traces", {{"x-ops-ingest-token", "nope"}}, kSpans);
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  auto collector =
      call_route("POST", "/v1/traces", {{"x-ops-ingest-token", "ingest-secret"}}, kSpans);
  EXPECT_EQ(collector.status, 200) << collector.body;
  EXPECT_EQ(signals(token_for("admin"), {{"signal_type", "span"}})["items"].size(), 2u);

  const std::string exposition = metrics_.render();
  for (const char* line : {"opzenix_otlp_requests_total{status=\"200\"} 1",
                           "opzenix_otlp_requests_total{status=\"401\"} 2",
                           "opzenix_otlp_requests_total{status=\"403\"} 1",
                           "opzenix_otlp_signals_stored_total{signal_type=\"span\"} 2"})
    EXPECT_NE(exposition.find(line), std::string::npos) << line << "\n" << exposition;
}

TEST_F(TelemetryApiTest, ABadItemIsNamedAndNothingIsStored) {
  const std::string op = token_for("operator");
  std::string body = kSpans;
  body.replace(body.find("eee19b7ec3c1b175"), 16, "not-a-hex-span!!");
  auto res = call_route("POST", "/v1/traces", bearer(op), body);
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_NE(res.body.find("resourceSpans[0].scopeSpans[0].spans[1].spanId"), std::string::npos)
      << res.body;
  EXPECT_TRUE(signals(op, {})["items"].empty());
  auto not_json = call_route("POST", "/v1/traces", bearer(op), "{\"resourceSpans\": [");
  EXPECT_EQ(not_json.status, 400) << not_json.body;
}

TEST_F(TelemetryApiTest, ProtobufAndUnknownEncodingsAre415) {
  const std::string op = token_for("operator");
  auto proto = call_route(
      "POST", "/v1/traces",
      {{"Authorization", "Bearer " + op}, {"Content-Type", "application/x-protobuf"}}, "\x0a\x00");
  EXPECT_EQ(proto.status, 415) << proto.body;
  EXPECT_NE(proto.body.find("application/json"), std::string::npos) << proto.body;
  auto deflate = call_route("POST", "/v1/logs",
                            {{"Authorization", "Bearer " + op}, {"Content-Encoding", "br"}}, "{}");
  EXPECT_EQ(deflate.status, 415) << deflate.body;
  auto gzip_not = call_route(
      "POST", "/v1/logs", {{"Authorization", "Bearer " + op}, {"Content-Encoding", "gzip"}}, "{}");
  EXPECT_EQ(gzip_not.status, 400) << gzip_not.body;
}

TEST_F(TelemetryApiTest, TheSeedAliasTakesTheKindFromTheBody) {
  const std::string op = token_for("operator");
  auto logs = call_route("POST", "/functions/v1/otel-adapter", bearer(op),
                         R"({"resourceLogs": [{"scopeLogs": [{"logRecords": [
                              {"severityNumber": 13, "body": {"stringValue": "disk 91%"}}]}]}]})");
  ASSERT_EQ(logs.status, 200) << logs.body;
  auto items = signals(op, {{"signal_type", "log"}})["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["severity"], "warn");
  EXPECT_EQ(items[0]["payload"]["body"], "disk 91%");
  auto neither = call_route("POST", "/functions/v1/otel-adapter", bearer(op), R"({"x": 1})");
  EXPECT_EQ(neither.status, 400) << neither.body;
}

TEST_F(TelemetryApiTest, BadQueriesAre422NamingTheParameter) {
  const std::string viewer = token_for("viewer");
  auto type = call_route("GET", "/api/v1/telemetry/signals", bearer(viewer), "",
                         {{"signal_type", "trace_and_more"}});
  EXPECT_EQ(type.status, 422) << type.body;
  EXPECT_NE(type.body.find("signal_type"), std::string::npos);
  auto from =
      call_route("GET", "/api/v1/telemetry/signals", bearer(viewer), "", {{"from", "yesterday"}});
  EXPECT_EQ(from.status, 422) << from.body;
  EXPECT_NE(from.body.find("from"), std::string::npos);
}

}  // namespace
}  // namespace opz::api
