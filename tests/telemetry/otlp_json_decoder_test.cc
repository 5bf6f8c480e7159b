#include "telemetry/otlp_json_decoder.h"

#include <gtest/gtest.h>

namespace opz::telemetry {
namespace {

constexpr const char* kTrace = "5B8EFFF798038103D269B633813FC60C";
constexpr const char* kSpan = "EEE19B7EC3C1B174";

Json traces_with(Json span, Json resource_attributes = Json::array()) {
  return Json{{"resourceSpans",
               {{{"resource", {{"attributes", resource_attributes}}},
                 {"scopeSpans",
                  {{{"scope", {{"name", "demo"}, {"version", "1.0"}}},
                    {"spans", Json::array({span})}}}}}}}};
}

Json valid_span() {
  return Json{
      {"traceId", kTrace},
      {"spanId", kSpan},
      {"parentSpanId", ""},
      {"name", "build"},
      {"kind", 2},
      {"startTimeUnixNano", "1544712660000000000"},
      {"endTimeUnixNano", "1544712661250000000"},
      {"attributes",
       {{{"key", "opzenix.execution_id"},
         {"value", {{"stringValue", "0190a1b2-0000-7000-8000-000000000001"}}}},
        {{"key", "opzenix.node_id"}, {"value", {{"stringValue", "build"}}}},
        {{"key", "retries"}, {"value", {{"intValue", "3"}}}},
        {{"key", "ratio"}, {"value", {{"doubleValue", 0.5}}}},
        {{"key", "cached"}, {"value", {{"boolValue", true}}}},
        {{"key", "tags"},
         {"value", {{"arrayValue", {{"values", {{{"stringValue", "a"}}, {{"intValue", 7}}}}}}}}}}},
      {"status", {{"code", 2}, {"message", "exit 1"}}}};
}

std::string field_of(const Result<std::vector<TelemetrySignal>>& r) {
  return r ? std::string("(decoded)") : r.error().field;
}

TEST(OtlpJsonDecoderTest, SpanBecomesOneLinkedSignal) {
  Json resource = Json::array(
      {Json{{"key", "deployment.environment.name"}, {"value", {{"stringValue", "production"}}}},
       Json{{"key", "service.name"}, {"value", {{"stringValue", "ci"}}}}});
  auto out = decode_otlp_json(OtlpKind::kTraces, traces_with(valid_span(), resource));
  ASSERT_TRUE(out) << out.error().to_string();
  ASSERT_EQ(out->size(), 1u);
  const TelemetrySignal& s = (*out)[0];
  EXPECT_EQ(s.signal_type, "span");
  EXPECT_EQ(s.otel_trace_id, "5b8efff798038103d269b633813fc60c");  // lower-cased
  EXPECT_EQ(s.otel_span_id, "eee19b7ec3c1b174");
  EXPECT_EQ(s.duration_ms, 1250);
  EXPECT_EQ(s.status_code, "ERROR");
  EXPECT_EQ(s.severity, "error");
  EXPECT_EQ(s.execution_id, "0190a1b2-0000-7000-8000-000000000001");
  EXPECT_EQ(s.node_id, "build");
  EXPECT_EQ(s.environment, "production");
  EXPECT_EQ(s.payload["name"], "build");
  EXPECT_EQ(s.payload["kind"], "server");
  EXPECT_TRUE(s.payload["parent_span_id"].is_null());
  EXPECT_EQ(s.payload["start_time"], "2018-12-13T14:51:00.000Z");
  EXPECT_EQ(s.payload["end_time_unix_nano"], "1544712661250000000");
  EXPECT_EQ(s.payload["attributes"]["retries"], 3);
  EXPECT_EQ(s.payload["attributes"]["ratio"], 0.5);
  EXPECT_EQ(s.payload["attributes"]["cached"], true);
  EXPECT_EQ(s.payload["attributes"]["tags"], Json::parse(R"(["a", 7])"));
  EXPECT_EQ(s.payload["resource"]["service.name"], "ci");
  EXPECT_EQ(s.payload["scope"]["name"], "demo");
  EXPECT_EQ(s.payload["status"]["message"], "exit 1");
}

TEST(OtlpJsonDecoderTest, NumbersAndEnumNamesAreAcceptedForTimesAndCodes) {
  Json span = valid_span();
  span["startTimeUnixNano"] = 1000000000;
  span["endTimeUnixNano"] = 1003000000;
  span["kind"] = "SPAN_KIND_CLIENT";
  span["status"] = {{"code", "STATUS_CODE_OK"}};
  auto out = decode_otlp_json(OtlpKind::kTraces, traces_with(span));
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ((*out)[0].duration_ms, 3);
  EXPECT_EQ((*out)[0].status_code, "OK");
  EXPECT_EQ((*out)[0].severity, "info");
  EXPECT_EQ((*out)[0].payload["kind"], "client");

  span["startTimeUnixNano"] = 1.7e18;          // exponent form, as JavaScript writes big numbers
  span["endTimeUnixNano"] = 1.7e18 + 2048000;  // exact in a double (a multiple of 256)
  auto floats = decode_otlp_json(OtlpKind::kTraces, traces_with(span));
  ASSERT_TRUE(floats) << floats.error().to_string();
  EXPECT_EQ((*floats)[0].duration_ms, 2);
  span["startTimeUnixNano"] = 1.5;
  EXPECT_FALSE(decode_otlp_json(OtlpKind::kTraces, traces_with(span)));
  span["startTimeUnixNano"] = -1.0;
  EXPECT_FALSE(decode_otlp_json(OtlpKind::kTraces, traces_with(span)));
}

TEST(OtlpJsonDecoderTest, ExecutionIdFromResourceAndTheOlderAttributeNames) {
  Json span = valid_span();
  span["attributes"] = Json::array();
  Json resource = Json::array(
      {Json{{"key", "execution.id"}, {"value", {{"stringValue", "exec-1"}}}},
       Json{{"key", "deployment.environment"}, {"value", {{"stringValue", "staging"}}}}});
  auto out = decode_otlp_json(OtlpKind::kTraces, traces_with(span, resource));
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ((*out)[0].execution_id, "exec-1");
  EXPECT_EQ((*out)[0].environment, "staging");
  EXPECT_EQ((*out)[0].node_id, "");
}

TEST(OtlpJsonDecoderTest, BadItemsAreNamedByTheirPath) {
  auto with = [](const char* key, Json value) {
    Json span = valid_span();
    span[key] = std::move(value);
    return decode_otlp_json(OtlpKind::kTraces, traces_with(span));
  };
  const std::string span_path = "resourceSpans[0].scopeSpans[0].spans[0]";
  EXPECT_EQ(field_of(with("traceId", "xyz")), span_path + ".traceId");
  EXPECT_EQ(field_of(with("traceId", "5b8efff798038103d269b633813fc6zz")), span_path + ".traceId");
  EXPECT_EQ(field_of(with("traceId", std::string(32, '0'))), span_path + ".traceId");
  EXPECT_EQ(field_of(with("spanId", 12)), span_path + ".spanId");
  EXPECT_EQ(field_of(with("startTimeUnixNano", "-5")), span_path + ".startTimeUnixNano");
  EXPECT_EQ(field_of(with("startTimeUnixNano", "12x")), span_path + ".startTimeUnixNano");
  EXPECT_EQ(field_of(with("endTimeUnixNano", "1")), span_path + ".endTimeUnixNano");
  EXPECT_EQ(field_of(with("name", 5)), span_path + ".name");
  EXPECT_EQ(field_of(with("kind", "SPAN_KIND_NOPE")), span_path + ".kind");
  EXPECT_EQ(field_of(with("status", {{"code", 9}})), span_path + ".status.code");
  EXPECT_EQ(
      field_of(with("attributes", Json::array({{{"key", "k"}, {"value", {{"intValue", "1.5"}}}}}))),
      span_path + ".attributes[0].value.intValue");
  EXPECT_EQ(field_of(with("attributes", Json::array({{{"value", {{"stringValue", "v"}}}}}))),
            span_path + ".attributes[0].key");

  auto r = with("endTimeUnixNano", "1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
  EXPECT_NE(r.error().message.find("before startTimeUnixNano"), std::string::npos);
}

TEST(OtlpJsonDecoderTest, TheFirstBadItemFailsTheWholeRequest) {
  Json body = traces_with(valid_span());
  Json bad = valid_span();
  bad["spanId"] = "short";
  body["resourceSpans"][0]["scopeSpans"][0]["spans"].push_back(bad);
  body["resourceSpans"][0]["scopeSpans"][0]["spans"].push_back(bad);
  auto out = decode_otlp_json(OtlpKind::kTraces, body);
  EXPECT_EQ(field_of(out), "resourceSpans[0].scopeSpans[0].spans[1].spanId");
}

TEST(OtlpJsonDecoderTest, WrongContainerTypesAreNamed) {
  EXPECT_EQ(field_of(decode_otlp_json(OtlpKind::kTraces, Json::array())), "body");
  EXPECT_EQ(field_of(decode_otlp_json(OtlpKind::kTraces, Json{{"resourceSpans", 1}})),
            "resourceSpans");
  EXPECT_EQ(field_of(decode_otlp_json(OtlpKind::kTraces,
                                      Json{{"resourceSpans", {{{"scopeSpans", "x"}}}}})),
            "resourceSpans[0].scopeSpans");
  EXPECT_EQ(field_of(decode_otlp_json(
                OtlpKind::kTraces, Json{{"resourceSpans", {{{"resource", {{"attributes", 3}}}}}}})),
            "resourceSpans[0].resource.attributes");
}

TEST(OtlpJsonDecoderTest, EmptyRequestsAndUnknownFieldsAreFine) {
  auto empty = decode_otlp_json(OtlpKind::kLogs, Json::object());
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  Json span = valid_span();
  span["someFutureField"] = {{"x", 1}};
  EXPECT_TRUE(decode_otlp_json(OtlpKind::kTraces, traces_with(span)));
}

TEST(OtlpJsonDecoderTest, DeeplyNestedAttributeValuesAreRefused) {
  Json value = {{"stringValue", "leaf"}};
  for (int i = 0; i < 40; ++i) value = {{"arrayValue", {{"values", Json::array({value})}}}};
  Json span = valid_span();
  span["attributes"] = Json::array({{{"key", "deep"}, {"value", value}}});
  auto out = decode_otlp_json(OtlpKind::kTraces, traces_with(span));
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("nests deeper"), std::string::npos);
}

TEST(OtlpJsonDecoderTest, MetricDataPointsBecomeOneSignalEach) {
  Json body = Json::parse(R"({"resourceMetrics": [{
    "resource": {"attributes": [{"key": "opzenix.execution_id", "value": {"stringValue": "e1"}}]},
    "scopeMetrics": [{"metrics": [
      {"name": "queue.depth", "unit": "1", "gauge": {"dataPoints": [
        {"asInt": "12", "timeUnixNano": "1544712660000000000"},
        {"asDouble": 1.5, "timeUnixNano": 1544712660000000000,
         "attributes": [{"key": "deployment.environment.name", "value": {"stringValue": "dev"}}]}]}},
      {"name": "requests", "sum": {"aggregationTemporality": 2, "isMonotonic": true,
        "dataPoints": [{"asInt": 7}]}},
      {"name": "latency", "histogram": {"dataPoints": [
        {"count": "3", "sum": 0.9, "bucketCounts": ["1", 2], "explicitBounds": [0.25]}]}},
      {"name": "rpc", "summary": {"dataPoints": [
        {"count": 2, "sum": 4, "quantileValues": [{"quantile": 0.99, "value": 3}]}]}}
    ]}]}]})");
  auto out = decode_otlp_json(OtlpKind::kMetrics, body);
  ASSERT_TRUE(out) << out.error().to_string();
  ASSERT_EQ(out->size(), 5u);
  for (const auto& s : *out) {
    EXPECT_EQ(s.signal_type, "metric");
    EXPECT_EQ(s.execution_id, "e1");
  }
  EXPECT_EQ((*out)[0].payload["value"], 12);
  EXPECT_EQ((*out)[0].payload["type"], "gauge");
  EXPECT_EQ((*out)[1].payload["value"], 1.5);
  EXPECT_EQ((*out)[1].environment, "dev");
  EXPECT_EQ((*out)[2].payload["is_monotonic"], true);
  EXPECT_EQ((*out)[2].payload["aggregation_temporality"], 2);
  EXPECT_EQ((*out)[3].payload["count"], 3);
  EXPECT_EQ((*out)[3].payload["bucket_counts"], Json::parse("[1, 2]"));
  EXPECT_EQ((*out)[4].payload["quantile_values"][0]["value"], 3);

  body["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][2]["histogram"]["dataPoints"][0]
      ["bucketCounts"] = Json::parse(R"(["1", "x"])");
  EXPECT_EQ(field_of(decode_otlp_json(OtlpKind::kMetrics, body)),
            "resourceMetrics[0].scopeMetrics[0].metrics[2].histogram.dataPoints[0]"
            ".bucketCounts[1]");
  body["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["name"] = "";
  EXPECT_EQ(field_of(decode_otlp_json(OtlpKind::kMetrics, body)),
            "resourceMetrics[0].scopeMetrics[0].metrics[0].name");
}

TEST(OtlpJsonDecoderTest, LogRecordsCarrySeverityBodyAndTraceContext) {
  Json body = Json::parse(R"({"resourceLogs": [{"scopeLogs": [{"logRecords": [
    {"timeUnixNano": "1544712660300000000", "severityNumber": 17, "severityText": "Error",
     "body": {"stringValue": "deploy failed"}, "traceId": "5b8efff798038103d269b633813fc60c",
     "spanId": "eee19b7ec3c1b174",
     "attributes": [{"key": "opzenix.node_id", "value": {"stringValue": "deploy"}}]},
    {"severityText": "NOTICE", "body": {"kvlistValue": {"values": [
       {"key": "a", "value": {"intValue": 1}}]}}},
    {"eventName": "rollout.paused", "severityNumber": "SEVERITY_NUMBER_INFO"}
  ]}]}]})");
  auto out = decode_otlp_json(OtlpKind::kLogs, body);
  ASSERT_TRUE(out) << out.error().to_string();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[0].signal_type, "log");
  EXPECT_EQ((*out)[0].severity, "error");
  EXPECT_EQ((*out)[0].otel_trace_id, "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ((*out)[0].node_id, "deploy");
  EXPECT_EQ((*out)[0].payload["body"], "deploy failed");
  EXPECT_EQ((*out)[0].payload["time"], "2018-12-13T14:51:00.300Z");
  EXPECT_EQ((*out)[1].severity, "notice");
  EXPECT_EQ((*out)[1].otel_trace_id, "");
  EXPECT_EQ((*out)[1].payload["body"], Json::parse(R"({"a": 1})"));
  EXPECT_EQ((*out)[2].signal_type, "event");
  EXPECT_EQ((*out)[2].severity, "info");
  EXPECT_EQ((*out)[2].payload["event_name"], "rollout.paused");

  body["resourceLogs"][0]["scopeLogs"][0]["logRecords"][1]["traceId"] = "abc";
  EXPECT_EQ(field_of(decode_otlp_json(OtlpKind::kLogs, body)),
            "resourceLogs[0].scopeLogs[0].logRecords[1].traceId");
}

TEST(OtlpJsonDecoderTest, KindComesFromTheOneTopLevelKey) {
  EXPECT_EQ(*otlp_kind_of(Json{{"resourceLogs", Json::array()}}), OtlpKind::kLogs);
  EXPECT_EQ(*otlp_kind_of(Json{{"resourceMetrics", Json::array()}}), OtlpKind::kMetrics);
  EXPECT_EQ(*otlp_kind_of(Json{{"resourceSpans", Json::array()}}), OtlpKind::kTraces);
  EXPECT_FALSE(otlp_kind_of(Json::object()));
  EXPECT_FALSE(otlp_kind_of(Json{{"resourceLogs", 1}, {"resourceSpans", 1}}));
  EXPECT_FALSE(otlp_kind_of(Json::array()));
}

}  // namespace
}  // namespace opz::telemetry
