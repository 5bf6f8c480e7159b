// The OTLP/HTTP receiver and the signals it stored (issue 13, "In"):
//   POST /v1/traces, /v1/metrics, /v1/logs   OTLP/HTTP JSON (gzip allowed) -> 200 {}
//   POST /functions/v1/otel-adapter          the seeds' alias: the kind from the body's key
//   GET  /api/v1/telemetry/signals           ?otel_trace_id, execution_id, signal_type,
//                                            from, to, limit, cursor -> {"items","next_cursor"}
//
// Who may send: an Opzenix token (Authorization: Bearer or apikey) whose role
// may `telemetry.ingest` (operators, admins), or a collector holding the ops
// ingest token in `x-ops-ingest-token` (config ops-ingest-token /
// OPS_INGEST_TOKEN, the same secret as /functions/v1/ops-metrics-ingest).
//
// A request is stored whole or not at all: the first bad item answers 400
// naming its path (nothing stored); a body over the limit, compressed or
// once inflated, answers 413; protobuf bodies 415 saying JSON is supported.
// The answer to a good request is OTLP's empty Export*ServiceResponse, {}.
// Counted on /metrics: opzenix_otlp_requests_total{status} (every answer of
// the handler; a body over the transport's limit is refused before it) and
// opzenix_otlp_signals_stored_total{signal_type}.
#include "api/endpoint.h"
#include "api/function_token.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "auth/policy.h"
#include "core/time_format.h"
#include "http/media_type.h"
#include "store/telemetry_signal_store.h"
#include "telemetry/metrics.h"
#include "telemetry/otlp_json_decoder.h"
#include "telemetry/otlp_receiver_gunzip.h"

namespace opz::api {

namespace {

constexpr const char* kIngestAction = "telemetry.ingest";

// The ops ingest token when the header is sent, else a user's token with the
// ingest action.
Status admit_sender(ApiContext& ctx, const http::Request& req) {
  if (!req.header("x-ops-ingest-token").empty())
    return check_function_token(req, ctx.ops_ingest_token, "x-ops-ingest-token", "ops-ingest-token",
                                "OPS_INGEST_TOKEN");
  OPZ_TRY(auth::Principal who, authenticate_request(ctx.authenticator, req));
  if (!auth::is_allowed(kIngestAction, who.role))
    return Error::forbidden("role '" + std::string(auth::to_string(who.role)) + "' may not " +
                            kIngestAction);
  return {};
}

// The request's JSON text: the content type checked, a gzip body inflated.
Result<std::string> otlp_body_text(const http::Request& req, uint64_t max_body) {
  const std::string_view type = req.header("Content-Type");
  if (auto media = http::parse_media_type(type);
      media &&
      (media->essence() == "application/x-protobuf" || media->essence() == "application/protobuf"))
    return Error::unsupported_media(
        "OTLP/HTTP protobuf is not supported: send OTLP/HTTP JSON with Content-Type: "
        "application/json (for OpenTelemetry SDKs and collectors: protocol http/json)");
  if (!http::is_json_media_type(type))
    return Error::unsupported_media(
        "Content-Type must be application/json (OTLP/HTTP JSON), got '" +
        std::string(type.substr(0, 100)) + "'");
  const std::string_view encoding = req.header("Content-Encoding");
  if (encoding.empty() || encoding == "identity") return req.body;
  if (encoding == "gzip" || encoding == "x-gzip") return telemetry::gunzip(req.body, max_body);
  return Error::unsupported_media("Content-Encoding must be gzip or identity, got '" +
                                  std::string(encoding.substr(0, 100)) + "'");
}

store::TelemetrySignalRecord to_record(telemetry::TelemetrySignal s) {
  store::TelemetrySignalRecord r;
  r.signal_type = std::move(s.signal_type);
  r.execution_id = std::move(s.execution_id);
  r.node_id = std::move(s.node_id);
  r.otel_trace_id = std::move(s.otel_trace_id);
  r.otel_span_id = std::move(s.otel_span_id);
  r.duration_ms = s.duration_ms;
  r.status_code = std::move(s.status_code);
  r.severity = std::move(s.severity);
  r.environment = std::move(s.environment);
  r.payload = std::move(s.payload);
  return r;
}

// The receiver's counters (label values are bounded: statuses, signal types).
struct ReceiverCounters {
  telemetry::CounterFamily* requests = nullptr;  // {status}
  telemetry::CounterFamily* stored = nullptr;    // {signal_type}
};

Result<ReceiverCounters> register_counters(telemetry::MetricsRegistry& registry) {
  ReceiverCounters c;
  OPZ_TRY(c.requests,
          registry.counter("opzenix_otlp_requests_total",
                           "OTLP/HTTP export requests answered, by HTTP status.", {"status"}));
  OPZ_TRY(c.stored, registry.counter("opzenix_otlp_signals_stored_total",
                                     "Telemetry signals stored from OTLP requests, by type.",
                                     {"signal_type"}));
  return c;
}

// One export request: `kind` fixed by the route, or (alias) read from the body.
Result<Reply> receive(ApiContext& ctx, const ReceiverCounters& counters, http::Request& req,
                      std::optional<telemetry::OtlpKind> kind) {
  OPZ_TRY_STATUS(admit_sender(ctx, req));
  OPZ_TRY(std::string text, otlp_body_text(req, ctx.otlp_max_body));
  if (text.empty())
    return Error::malformed("the body is empty: an OTLP export request is required", "body");
  OPZ_TRY(Json body, parse_json(text));
  if (!kind) {
    OPZ_TRY(kind, telemetry::otlp_kind_of(body));
  }
  OPZ_TRY(std::vector<telemetry::TelemetrySignal> signals,
          telemetry::decode_otlp_json(*kind, body));
  std::vector<store::TelemetrySignalRecord> rows;
  rows.reserve(signals.size());
  for (auto& s : signals) rows.push_back(to_record(std::move(s)));
  if (!rows.empty()) {
    store::TelemetrySignalStore store(ctx.db, ctx.clock);
    OPZ_TRY_STATUS(store.insert(rows));
  }
  for (const auto& row : rows) counters.stored->with({row.signal_type}).inc();
  return Reply{200, Json::object()};
}

Status add_receiver(http::Router& r, ApiContext& ctx, const ReceiverCounters& counters,
                    std::string_view path, std::optional<telemetry::OtlpKind> kind) {
  http::RouteOptions options;
  options.action = kIngestAction;  // checked in admit_sender (or the ingest token instead)
  // The limit of a request body, compressed or inflated (a zip bomb stops
  // there): config otlp-max-body.
  options.max_body = ctx.otlp_max_body;
  return r.add(
      "POST", path,
      [&ctx, counters, kind](http::Request& req) {
        http::Response res = to_response(receive(ctx, counters, req, kind));
        counters.requests->with({std::to_string(res.status)}).inc();
        return res;
      },
      std::move(options));
}

Json signal_json(const store::TelemetrySignalRecord& s) {
  auto text = [](const std::string& v) { return v.empty() ? Json(nullptr) : Json(v); };
  return Json{{"id", s.id},
              {"signal_type", s.signal_type},
              {"execution_id", text(s.execution_id)},
              {"node_id", text(s.node_id)},
              {"otel_trace_id", text(s.otel_trace_id)},
              {"otel_span_id", text(s.otel_span_id)},
              {"duration_ms", s.duration_ms ? Json(*s.duration_ms) : Json(nullptr)},
              {"status_code", text(s.status_code)},
              {"severity", text(s.severity)},
              {"environment", text(s.environment)},
              {"payload", s.payload},
              {"created_at", s.created_at}};
}

// A query time bound in the stored format ("" when absent); 422 naming it.
Result<std::string> time_bound(const http::Request& req, const std::string& name) {
  const std::string value = req.query_or(name);
  if (value.empty()) return value;
  auto t = parse_time(value);
  if (!t)
    return Error::validation(name + " must be an ISO 8601 time, got '" + value.substr(0, 64) + "'",
                             name);
  return format_time(*t);
}

Result<Reply> list_signals(ApiContext& ctx, const http::Request& req) {
  store::TelemetrySignalFilter f;
  f.otel_trace_id = req.query_or("otel_trace_id");
  f.execution_id = req.query_or("execution_id");
  f.signal_type = req.query_or("signal_type");
  if (!f.signal_type.empty())
    OPZ_TRY_STATUS(
        check_one_of("signal_type", f.signal_type, {"trace", "span", "metric", "log", "event"}));
  for (char& c : f.otel_trace_id)  // ids are stored lower-case
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  OPZ_TRY(f.from, time_bound(req, "from"));
  OPZ_TRY(f.to, time_bound(req, "to"));
  OPZ_TRY(store::PageRequest page,
          store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
  store::TelemetrySignalStore store(ctx.db, ctx.clock);
  OPZ_TRY(auto found, store.list(f, page));
  Json items = Json::array();
  for (const auto& s : found.items) items.push_back(signal_json(s));
  return Reply{200, list_body(std::move(items), found.next_cursor)};
}

}  // namespace

Status register_telemetry_routes(http::Router& r, ApiContext& ctx) {
  using telemetry::OtlpKind;
  OPZ_TRY(ReceiverCounters counters, register_counters(ctx.metrics));
  OPZ_TRY_STATUS(add_receiver(r, ctx, counters, "/v1/traces", OtlpKind::kTraces));
  OPZ_TRY_STATUS(add_receiver(r, ctx, counters, "/v1/metrics", OtlpKind::kMetrics));
  OPZ_TRY_STATUS(add_receiver(r, ctx, counters, "/v1/logs", OtlpKind::kLogs));
  OPZ_TRY_STATUS(add_receiver(r, ctx, counters, "/functions/v1/otel-adapter", std::nullopt));
  return add_endpoint(r, ctx, "GET", "/api/v1/telemetry/signals", "telemetry.read",
                      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                        return list_signals(ctx, req);
                      });
}

}  // namespace opz::api
