#include "telemetry/otlp_trace_encoding.h"

#include <gtest/gtest.h>

#include <set>

namespace opz::telemetry {
namespace {

constexpr char kExecution[] = "0190f5a2-7c3e-7abc-8def-0123456789ab";

TimePoint at_ms(int64_t ms) { return TimePoint{std::chrono::milliseconds{ms}}; }

// The attribute `key` of an OTLP attribute array, as its value object; null when absent.
Json attribute(const Json& attributes, const std::string& key) {
  for (const Json& a : attributes)
    if (a["key"] == key) return a["value"];
  return nullptr;
}

ExecutionTrace two_node_trace() {
  ExecutionTrace t;
  t.execution_id = kExecution;
  t.name = "demo";
  t.project_id = "proj-1";
  t.environment = "Production";
  t.branch = "main";
  t.commit = "abc123";
  t.trigger_type = "push";
  t.status = "failed";
  t.reason = "node test failed";
  t.started = at_ms(1'000);
  t.ended = at_ms(9'000);
  t.logs = {{at_ms(1'100), 0, "system", "info", "checked out abc123"}};

  NodeTrace build;
  build.node_id = "build";
  build.name = "Build";
  build.type = "build";
  build.status = "success";
  build.attempts = 1;
  build.exit_code = 0;
  build.started = at_ms(2'000);
  build.ended = at_ms(3'000);
  build.attempt_history = {{1, at_ms(2'000), at_ms(3'000), "success", ""}};
  build.logs = {{at_ms(2'500), 1, "stdout", "info", "compiled"}};

  NodeTrace test;
  test.node_id = "test";
  test.type = "test";
  test.status = "failed";
  test.attempts = 2;
  test.max_attempts = 2;
  test.exit_code = 3;
  test.error = "exit code 3";
  test.started = at_ms(3'000);
  test.ended = at_ms(8'000);
  test.attempt_history = {{1, at_ms(3'000), at_ms(4'000), "pending", "retry"},
                          {2, at_ms(6'000), at_ms(8'000), "failed", "exit code 3"}};
  test.logs_left_out = 40;
  t.nodes = {build, test};
  return t;
}

TEST(OtlpTraceEncodingTest, TraceIdIsTheExecutionUuidAndSpanIdsAreDeterministic) {
  auto id = otlp_trace_id(kExecution);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "0190f5a27c3e7abc8def0123456789ab");
  EXPECT_EQ(otlp_trace_id("not-a-uuid").error().code, ErrorCode::kValidation);

  const std::string root = otlp_span_id(kExecution, "");
  EXPECT_EQ(root.size(), 16u);
  EXPECT_EQ(root, otlp_span_id(kExecution, ""));
  EXPECT_NE(root, otlp_span_id(kExecution, "build"));
  EXPECT_NE(otlp_span_id(kExecution, "build"),
            otlp_span_id("0190f5a2-7c3e-7abc-8def-0123456789ac", "build"));
  EXPECT_NE(root, "0000000000000000");
}

TEST(OtlpTraceEncodingTest, ExecutionIsTheRootSpanWithItsAttributesAndStatus) {
  auto body = encode_execution_trace(two_node_trace(), {"opzenix", "1.2.3", 2048});
  ASSERT_TRUE(body.ok()) << body.error().message;
  const Json& rs = (*body)["resourceSpans"][0];
  EXPECT_EQ(attribute(rs["resource"]["attributes"], "service.name")["stringValue"], "opzenix");
  EXPECT_EQ(attribute(rs["resource"]["attributes"], "service.version")["stringValue"], "1.2.3");
  const Json& spans = rs["scopeSpans"][0]["spans"];
  ASSERT_EQ(spans.size(), 3u);

  const Json& root = spans[0];
  EXPECT_EQ(root["traceId"], "0190f5a27c3e7abc8def0123456789ab");
  EXPECT_EQ(root["spanId"], otlp_span_id(kExecution, ""));
  EXPECT_FALSE(root.contains("parentSpanId"));
  EXPECT_EQ(root["name"], "demo");
  EXPECT_EQ(root["startTimeUnixNano"], "1000000000");
  EXPECT_EQ(root["endTimeUnixNano"], "9000000000");
  EXPECT_EQ(root["status"]["code"], 2);
  EXPECT_EQ(root["status"]["message"], "node test failed");
  const Json& a = root["attributes"];
  EXPECT_EQ(attribute(a, "opzenix.execution_id")["stringValue"], kExecution);
  EXPECT_EQ(attribute(a, "opzenix.project_id")["stringValue"], "proj-1");
  EXPECT_EQ(attribute(a, "deployment.environment")["stringValue"], "Production");
  EXPECT_EQ(attribute(a, "vcs.ref.head.name")["stringValue"], "main");
  EXPECT_EQ(attribute(a, "vcs.ref.head.revision")["stringValue"], "abc123");
  EXPECT_EQ(attribute(a, "opzenix.trigger_type")["stringValue"], "push");
  EXPECT_EQ(attribute(a, "opzenix.status")["stringValue"], "failed");
  ASSERT_EQ(root["events"].size(), 1u);
  EXPECT_EQ(attribute(root["events"][0]["attributes"], "message")["stringValue"],
            "checked out abc123");
}

TEST(OtlpTraceEncodingTest, EachNodeIsAChildSpanWithAttemptsAndLogsAsEvents) {
  auto body = encode_execution_trace(two_node_trace());
  ASSERT_TRUE(body.ok());
  const Json& spans = (*body)["resourceSpans"][0]["scopeSpans"][0]["spans"];
  const std::string root_id = spans[0]["spanId"];

  const Json& build = spans[1];
  EXPECT_EQ(build["name"], "Build");
  EXPECT_EQ(build["parentSpanId"], root_id);
  EXPECT_EQ(build["spanId"], otlp_span_id(kExecution, "build"));
  EXPECT_EQ(build["traceId"], spans[0]["traceId"]);
  EXPECT_EQ(build["startTimeUnixNano"], "2000000000");
  EXPECT_EQ(build["endTimeUnixNano"], "3000000000");
  EXPECT_EQ(build["status"]["code"], 1);
  EXPECT_EQ(attribute(build["attributes"], "opzenix.node_id")["stringValue"], "build");
  EXPECT_EQ(attribute(build["attributes"], "opzenix.execution_id")["stringValue"], kExecution);
  EXPECT_EQ(attribute(build["attributes"], "deployment.environment")["stringValue"], "Production");
  EXPECT_EQ(attribute(build["attributes"], "process.exit_code")["intValue"], "0");
  ASSERT_EQ(build["events"].size(), 3u);  // started, finished, one log line
  EXPECT_EQ(build["events"][0]["name"], "attempt.started");
  EXPECT_EQ(build["events"][1]["name"], "attempt.finished");
  EXPECT_EQ(build["events"][2]["name"], "log");
  EXPECT_EQ(attribute(build["events"][2]["attributes"], "log.iostream")["stringValue"], "stdout");

  const Json& test = spans[2];
  EXPECT_EQ(test["name"], "test");  // no name: the node id
  EXPECT_EQ(test["parentSpanId"], root_id);
  EXPECT_EQ(test["status"]["code"], 2);
  EXPECT_EQ(test["status"]["message"], "exit code 3");
  EXPECT_EQ(attribute(test["attributes"], "opzenix.attempts")["intValue"], "2");
  EXPECT_EQ(attribute(test["attributes"], "process.exit_code")["intValue"], "3");
  EXPECT_EQ(test["droppedEventsCount"], 40);
  ASSERT_EQ(test["events"].size(), 4u);
  EXPECT_EQ(attribute(test["events"][1]["attributes"], "opzenix.attempt.outcome")["stringValue"],
            "pending");
  EXPECT_EQ(test["events"][2]["timeUnixNano"], "6000000000");
  EXPECT_EQ(attribute(test["events"][3]["attributes"], "opzenix.attempt")["intValue"], "2");

  std::set<std::string> ids;
  for (const Json& s : spans) ids.insert(s["spanId"].get<std::string>());
  EXPECT_EQ(ids.size(), 3u);
}

TEST(OtlpTraceEncodingTest, StatusesAndNodesThatNeverRan) {
  ExecutionTrace t = two_node_trace();
  t.status = "cancelled";
  t.nodes[1].status = "skipped";
  t.nodes[1].started.reset();
  t.nodes[1].ended.reset();
  t.nodes[1].exit_code.reset();
  auto body = encode_execution_trace(t);
  ASSERT_TRUE(body.ok());
  const Json& spans = (*body)["resourceSpans"][0]["scopeSpans"][0]["spans"];
  EXPECT_EQ(spans[0]["status"]["code"], 0);
  EXPECT_EQ(spans[2]["status"]["code"], 0);
  EXPECT_EQ(spans[2]["startTimeUnixNano"], "9000000000");  // an instant at the execution's end
  EXPECT_EQ(spans[2]["endTimeUnixNano"], "9000000000");
  EXPECT_TRUE(attribute(spans[2]["attributes"], "process.exit_code").is_null());

  t.status = "warning";
  EXPECT_EQ((*encode_execution_trace(t))["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["status"]["code"],
            1);
}

TEST(OtlpTraceEncodingTest, LongMessagesAreCutOnACharacterBoundary) {
  ExecutionTrace t = two_node_trace();
  t.nodes[0].logs[0].message = std::string(9, 'a') + "\xc3\xa9" + "tail";  // 'é' at bytes 9..10
  auto body = encode_execution_trace(t, {"opzenix", "", 10});
  ASSERT_TRUE(body.ok());
  const Json& event = (*body)["resourceSpans"][0]["scopeSpans"][0]["spans"][1]["events"][2];
  EXPECT_EQ(attribute(event["attributes"], "message")["stringValue"], "aaaaaaaaa");
}

TEST(OtlpTraceEncodingTest, RefusesANonUuidExecutionId) {
  ExecutionTrace t = two_node_trace();
  t.execution_id = "exec-1";
  auto body = encode_execution_trace(t);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().field, "execution_id");
}

TEST(OtlpTraceEncodingTest, TracesUrlAppendsTheSignalPathOnce) {
  EXPECT_EQ(otlp_traces_url("http://collector:4318"), "http://collector:4318/v1/traces");
  EXPECT_EQ(otlp_traces_url("http://collector:4318/"), "http://collector:4318/v1/traces");
  EXPECT_EQ(otlp_traces_url("https://x/otlp/v1/traces"), "https://x/otlp/v1/traces");
  EXPECT_EQ(otlp_traces_url("https://x/otlp"), "https://x/otlp/v1/traces");
}

}  // namespace
}  // namespace opz::telemetry
