#include "telemetry/otlp_trace_encoding.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/ids.h"

namespace opz::telemetry {
namespace {

// OTLP span kind and status codes (opentelemetry/proto/trace/v1/trace.proto).
constexpr int kSpanKindInternal = 1;
constexpr int kStatusUnset = 0;
constexpr int kStatusOk = 1;
constexpr int kStatusError = 2;

std::string unix_nanos(TimePoint t) {
  // OTLP JSON carries fixed64 as a decimal string.
  return std::to_string(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

Json string_attribute(std::string key, std::string value) {
  return Json{{"key", std::move(key)}, {"value", Json{{"stringValue", std::move(value)}}}};
}

Json int_attribute(std::string key, int64_t value) {
  return Json{{"key", std::move(key)}, {"value", Json{{"intValue", std::to_string(value)}}}};
}

// Adds a string attribute only when it has a value (OTLP has no null).
void add_if_set(Json& attributes, std::string key, const std::string& value) {
  if (!value.empty()) attributes.push_back(string_attribute(std::move(key), value));
}

Json status_of(const std::string& state, const std::string& message) {
  if (state == "success" || state == "warning") return Json{{"code", kStatusOk}};
  if (state == "failed") {
    Json status{{"code", kStatusError}};
    if (!message.empty()) status["message"] = message;
    return status;
  }
  return Json{{"code", kStatusUnset}};
}

std::string cut_utf8(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

Json log_event(const TraceLogLine& line, size_t max_message_bytes) {
  Json attributes = Json::array();
  attributes.push_back(string_attribute("message", cut_utf8(line.message, max_message_bytes)));
  add_if_set(attributes, "log.iostream", line.stream);
  add_if_set(attributes, "opzenix.log.level", line.level);
  if (line.attempt > 0) attributes.push_back(int_attribute("opzenix.attempt", line.attempt));
  return Json{{"timeUnixNano", unix_nanos(line.at)}, {"name", "log"}, {"attributes", attributes}};
}

Json attempt_events(const TraceAttempt& attempt) {
  Json events = Json::array();
  events.push_back(Json{{"timeUnixNano", unix_nanos(attempt.started)},
                        {"name", "attempt.started"},
                        {"attributes", Json::array({int_attribute("opzenix.attempt", attempt.number)})}});
  if (attempt.ended) {
    Json attributes = Json::array({int_attribute("opzenix.attempt", attempt.number)});
    add_if_set(attributes, "opzenix.attempt.outcome", attempt.outcome);
    add_if_set(attributes, "opzenix.attempt.reason", attempt.reason);
    events.push_back(Json{{"timeUnixNano", unix_nanos(*attempt.ended)},
                          {"name", "attempt.finished"},
                          {"attributes", attributes}});
  }
  return events;
}

Json node_span(const ExecutionTrace& trace, const NodeTrace& node, const std::string& trace_id,
               const std::string& root_span_id, const TraceEncodingOptions& options) {
  // A node that never ran is an instant at the execution's end; an end
  // before its start (clock steps) is clamped so the span is well formed.
  const TimePoint start = node.started.value_or(node.ended.value_or(trace.ended));
  const TimePoint end = std::max(start, node.ended.value_or(trace.ended));

  Json attributes = Json::array();
  attributes.push_back(string_attribute("opzenix.execution_id", trace.execution_id));
  attributes.push_back(string_attribute("opzenix.node_id", node.node_id));
  add_if_set(attributes, "deployment.environment", trace.environment);
  add_if_set(attributes, "opzenix.node.type", node.type);
  add_if_set(attributes, "opzenix.status", node.status);
  attributes.push_back(int_attribute("opzenix.attempts", node.attempts));
  attributes.push_back(int_attribute("opzenix.max_attempts", node.max_attempts));
  if (node.exit_code) attributes.push_back(int_attribute("process.exit_code", *node.exit_code));
  add_if_set(attributes, "cicd.pipeline.task.name", node.name.empty() ? node.node_id : node.name);

  Json events = Json::array();
  for (const TraceAttempt& attempt : node.attempt_history) {
    for (Json& e : attempt_events(attempt)) events.push_back(std::move(e));
  }
  for (const TraceLogLine& line : node.logs) events.push_back(log_event(line, options.max_message_bytes));

  Json span{{"traceId", trace_id},
            {"spanId", otlp_span_id(trace.execution_id, node.node_id)},
            {"parentSpanId", root_span_id},
            {"name", node.name.empty() ? node.node_id : node.name},
            {"kind", kSpanKindInternal},
            {"startTimeUnixNano", unix_nanos(start)},
            {"endTimeUnixNano", unix_nanos(end)},
            {"attributes", attributes},
            {"events", events},
            {"status", status_of(node.status, node.error)}};
  if (node.logs_left_out > 0) span["droppedEventsCount"] = node.logs_left_out;
  return span;
}

Json root_span(const ExecutionTrace& trace, const std::string& trace_id,
               const std::string& root_span_id, const TraceEncodingOptions& options) {
  Json attributes = Json::array();
  attributes.push_back(string_attribute("opzenix.execution_id", trace.execution_id));
  add_if_set(attributes, "opzenix.project_id", trace.project_id);
  add_if_set(attributes, "deployment.environment", trace.environment);
  add_if_set(attributes, "vcs.ref.head.name", trace.branch);
  add_if_set(attributes, "vcs.ref.head.revision", trace.commit);
  add_if_set(attributes, "opzenix.trigger_type", trace.trigger_type);
  add_if_set(attributes, "opzenix.status", trace.status);
  add_if_set(attributes, "cicd.pipeline.name", trace.name);
  attributes.push_back(string_attribute("cicd.pipeline.run.id", trace.execution_id));

  Json events = Json::array();
  for (const TraceLogLine& line : trace.logs) events.push_back(log_event(line, options.max_message_bytes));

  Json span{{"traceId", trace_id},
            {"spanId", root_span_id},
            {"name", trace.name.empty() ? trace.execution_id : trace.name},
            {"kind", kSpanKindInternal},
            {"startTimeUnixNano", unix_nanos(trace.started)},
            {"endTimeUnixNano", unix_nanos(std::max(trace.started, trace.ended))},
            {"attributes", attributes},
            {"events", events},
            {"status", status_of(trace.status, trace.reason)}};
  if (trace.logs_left_out > 0) span["droppedEventsCount"] = trace.logs_left_out;
  return span;
}

}  // namespace

Result<std::string> otlp_trace_id(std::string_view execution_id) {
  if (!is_uuid(execution_id))
    return Error::validation("execution id '" + std::string(execution_id) + "' is not a UUID",
                             "execution_id");
  std::string hex;
  hex.reserve(32);
  for (char c : execution_id) {
    if (c != '-') hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return hex;
}

std::string otlp_span_id(std::string_view execution_id, std::string_view node_id) {
  std::string input(execution_id);
  input += '/';
  input += node_id;
  std::array<unsigned char, crypto_generichash_BYTES_MIN> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(input.data()), input.size(), nullptr, 0);
  // An all-zero span id is invalid in OTLP; 2^-64 odds, but never send one.
  if (std::all_of(digest.begin(), digest.begin() + 8, [](unsigned char b) { return b == 0; }))
    digest[7] = 1;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(16);
  for (size_t i = 0; i < 8; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

Result<Json> encode_execution_trace(const ExecutionTrace& trace,
                                    const TraceEncodingOptions& options) {
  OPZ_TRY(std::string trace_id, otlp_trace_id(trace.execution_id));
  const std::string root_span_id = otlp_span_id(trace.execution_id, "");

  Json spans = Json::array();
  spans.push_back(root_span(trace, trace_id, root_span_id, options));
  for (const NodeTrace& node : trace.nodes)
    spans.push_back(node_span(trace, node, trace_id, root_span_id, options));

  Json resource_attributes = Json::array();
  resource_attributes.push_back(string_attribute("service.name", options.service_name));
  add_if_set(resource_attributes, "service.version", options.service_version);
  Json scope_spans = Json::array();
  scope_spans.push_back(Json{{"scope", Json{{"name", "opzenix"}}}, {"spans", spans}});
  Json resource_spans = Json::array();
  resource_spans.push_back(Json{{"resource", Json{{"attributes", resource_attributes}}},
                                {"scopeSpans", scope_spans}});
  return Json{{"resourceSpans", resource_spans}};
}

std::string otlp_traces_url(std::string_view endpoint) {
  static constexpr std::string_view kPath = "/v1/traces";
  if (endpoint.ends_with(kPath)) return std::string(endpoint);
  while (endpoint.ends_with('/')) endpoint.remove_suffix(1);
  return std::string(endpoint) + std::string(kPath);
}

}  // namespace opz::telemetry
