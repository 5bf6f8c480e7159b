// The OTLP/HTTP JSON decoder (issue 13, "In"): an ExportTraceServiceRequest,
// ExportMetricsServiceRequest or ExportLogsServiceRequest in OTLP's
// protobuf-JSON encoding becomes a list of typed telemetry signals, one per
// span, metric data point or log record: the rows of telemetry_signals.
//
// Links: a signal names an Opzenix execution when its own attributes or its
// resource's carry `opzenix.execution_id` (or `execution.id`); the node comes
// from `opzenix.node_id`, the environment from `deployment.environment.name`
// (or the older `deployment.environment`). The item's own attributes win over
// its resource's.
//
// All or nothing: the first item that is not valid protobuf-JSON (a wrong
// type, a bad hex id, an end before the start) fails the whole request with
// kMalformed whose `field` is the item's path, e.g.
// "resourceSpans[0].scopeSpans[1].spans[3].traceId". Unknown fields are
// ignored, as OTLP asks of receivers (newer senders add fields).
//
// Pure: no I/O, no clock. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace opz::telemetry {

// One telemetry_signals row before storage. Empty strings are stored as NULL.
struct TelemetrySignal {
  std::string signal_type;  // "span", "metric", "log" or "event" (a log record with eventName)
  std::string execution_id;
  std::string node_id;
  std::string otel_trace_id;           // 32 lower-case hex digits, or ""
  std::string otel_span_id;            // 16 lower-case hex digits, or ""
  std::optional<int64_t> duration_ms;  // spans: end - start
  std::string status_code;             // spans: "UNSET", "OK" or "ERROR"
  std::string severity;  // spans: "error" or "info"; logs: "trace" ... "fatal" or the text
  std::string environment;
  Json payload = Json::object();  // the item: name, times, attributes, resource, scope, ...
};

enum class OtlpKind { kTraces, kMetrics, kLogs };

// "resourceSpans", "resourceMetrics" or "resourceLogs".
std::string_view otlp_top_level_key(OtlpKind kind);

// The kind a body holds, from its top-level key (for POST
// /functions/v1/otel-adapter, which takes all three): kMalformed when it has
// none of the three keys or more than one.
Result<OtlpKind> otlp_kind_of(const Json& body);

// Decodes a whole export request. An empty request ({}) is valid: no signals.
Result<std::vector<TelemetrySignal>> decode_otlp_json(OtlpKind kind, const Json& body);

}  // namespace opz::telemetry
