// One finished execution as one OpenTelemetry trace, encoded as an OTLP/HTTP
// JSON ExportTraceServiceRequest (the body of `POST <endpoint>/v1/traces`).
// Pure: no clock, no I/O; the caller (app/trace_exporter) gathers the
// execution from the store into an ExecutionTrace and sends the body.
//
// Shape (docs/telemetry.md, "Export"):
//   resourceSpans[0].resource: service.name, service.version
//   scopeSpans[0].scope: {name: "opzenix"}
//   spans[0]  the execution: the root span (no parent), kind INTERNAL, named
//             after the execution; attributes opzenix.execution_id,
//             opzenix.project_id, deployment.environment, vcs.ref.head.name,
//             vcs.ref.head.revision, opzenix.trigger_type, opzenix.status,
//             cicd.pipeline.name, cicd.pipeline.run.id; events: the
//             execution's own log lines (checkout, engine notes).
//   spans[1..] one per node, in the order given, parent = the root span;
//             named after the node; attributes opzenix.execution_id,
//             opzenix.node_id, deployment.environment (each span names its
//             execution and environment on its own, so a receiver can file
//             it alone), opzenix.node.type, opzenix.status,
//             opzenix.attempts, opzenix.max_attempts, process.exit_code (when
//             known), cicd.pipeline.task.name; events: "attempt.started" /
//             "attempt.finished" per attempt, then "log" per log line given.
// Status: success and warning are OK (code 1), failed is ERROR (code 2, the
// reason as message), anything else (cancelled, skipped, ...) UNSET (code 0);
// opzenix.status always carries the exact state.
//
// Identity: the trace id is the execution's UUID (its 16 bytes, as 32 lower-
// case hex digits: the id people search for is the id they know), span ids are
// 8 bytes of BLAKE2b over "<execution id>/<node id>" ("" for the root), never
// all zero. Both are deterministic, so sending the same execution again
// describes the same spans (a receiver can de-duplicate).
//
// Bounds: the caller caps how many log lines it passes; a line's message is
// cut at max_message_bytes (on a UTF-8 boundary) and lines the caller left out
// are reported in droppedEventsCount.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"

namespace opz::telemetry {

struct TraceLogLine {
  TimePoint at;
  int attempt = 0;
  std::string stream;  // stdout | stderr | system
  std::string level;   // debug | info | warn | error
  std::string message;
};

// One attempt of a node: when it started running and how that run ended.
struct TraceAttempt {
  int number = 1;
  TimePoint started;
  std::optional<TimePoint> ended;  // none: the execution ended while it ran
  std::string outcome;             // the state it moved to: success, failed, pending (a retry), ...
  std::string reason;
};

struct NodeTrace {
  std::string node_id;
  std::string name;
  std::string type;
  std::string status;
  int attempts = 0;
  int max_attempts = 1;
  std::optional<int64_t> exit_code;
  std::string error;
  // When the node never started (skipped, cancelled before its turn) both are
  // none and the span is an instant at the execution's end.
  std::optional<TimePoint> started;
  std::optional<TimePoint> ended;
  std::vector<TraceAttempt> attempt_history;
  std::vector<TraceLogLine> logs;
  int64_t logs_left_out = 0;  // lines the caller did not pass (over its cap)
};

struct ExecutionTrace {
  std::string execution_id;  // a UUID
  std::string name;
  std::string project_id;
  std::string environment;
  std::string branch;
  std::string commit;
  std::string trigger_type;
  std::string status;
  std::string reason;  // why it failed or was cancelled; may be empty
  TimePoint started;
  TimePoint ended;
  std::vector<NodeTrace> nodes;
  std::vector<TraceLogLine> logs;  // the execution's own lines
  int64_t logs_left_out = 0;
};

struct TraceEncodingOptions {
  std::string service_name = "opzenix";
  std::string service_version;
  size_t max_message_bytes = 2048;
};

// The execution id's 16 bytes as 32 hex digits; kValidation when it is not a UUID.
Result<std::string> otlp_trace_id(std::string_view execution_id);
// 16 hex digits, deterministic in (execution_id, node_id); node "" = the root span.
std::string otlp_span_id(std::string_view execution_id, std::string_view node_id);

// The OTLP JSON request. kValidation when the execution id is not a UUID.
Result<Json> encode_execution_trace(const ExecutionTrace& trace,
                                    const TraceEncodingOptions& options = {});

// `endpoint` + "/v1/traces" (OTEL_EXPORTER_OTLP_ENDPOINT is a base URL), unless
// it already ends in "/v1/traces"; a trailing '/' is not doubled.
std::string otlp_traces_url(std::string_view endpoint);

}  // namespace opz::telemetry
