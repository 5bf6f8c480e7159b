// TraceExporter: every finished execution sent as one OpenTelemetry trace to
// the configured OTLP/HTTP endpoint (`POST <endpoint>/v1/traces`, JSON) —
// issue 13 "Out"; docs/telemetry.md "Export".
//
// Flow: it subscribes to the EventBus for execution state events (a bounded
// queue: the engine never waits for it; a full queue drops events for this
// subscriber only, logged). Its own thread, for each execution that reached a
// final state (success, warning, failed, cancelled), reads the execution from
// the store (app/execution_trace_source.h), encodes it
// (telemetry/otlp_trace_encoding.h) and queues the body in a bounded
// OtlpExportQueue, which sends through the transport with exponential backoff
// (telemetry/otlp_export_queue.h has the policy). Executions that end while
// the server is down are not exported after a restart (no durable queue).
//
// Metrics: opzenix_otlp_export_spans_total{result="exported|rejected|dropped|
// failed"} and opzenix_otlp_export_queue_traces (traces waiting).
//
// The transport: http_trace_transport() POSTs through the outbound guard
// (github::HttpTransport pinned to the checked address); a refusal by the
// guard is final (the trace is rejected), no answer at all is retried. The
// endpoint itself is checked once at start-up by the caller (ServerApp).
//
// Threading: start()/stop() from the owner; stop() is idempotent and final:
// it closes the subscription, joins the thread, and sends every queued trace
// once more without retries, for at most `shutdown_budget` of the clock's
// time (an unreachable receiver must not hold up the server's stop): what is
// left then is counted as failed, unsent. Tests call process_pending() instead of start()
// (with a ManualClock and a recording transport).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/config.h"
#include "app/execution_trace_source.h"
#include "core/clock.h"
#include "core/header_list.h"
#include "core/result.h"
#include "engine/event_bus.h"
#include "net/outbound_guard.h"
#include "store/database.h"
#include "telemetry/metrics.h"
#include "telemetry/otlp_export_queue.h"

namespace opz::app {

// POSTs `body` to `url` with `headers`; answers the HTTP status, or an error
// when no answer came (kValidation: refused by the outbound guard; anything
// else: worth retrying).
using TraceTransport = std::function<Result<long>(const std::string& url, const HeaderList& headers,
                                                  const std::string& body)>;

// The production transport: github::HttpTransport with `guard` (may be null
// only in tests) and `timeout` per request.
TraceTransport http_trace_transport(const net::OutboundGuard* guard,
                                    std::chrono::milliseconds timeout);

struct TraceExporterOptions {
  std::string endpoint;  // the OTLP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); required
  HeaderList headers;    // sent with every request (e.g. Authorization)
  telemetry::ExportQueueOptions queue;
  TraceSourceOptions source;
  std::string service_version;
  size_t event_capacity = 1024;  // execution state events waiting for the thread
  Millis shutdown_budget{5000};  // the last pass at stop()
};

struct TraceExporterDeps {
  store::Database& db;
  engine::EventBus& bus;
  const Clock& clock;
  telemetry::MetricsRegistry& metrics;
  TraceTransport transport;
};

class TraceExporter {
 public:
  // Registers the metrics and subscribes to the bus; kValidation for an empty endpoint.
  static Result<std::unique_ptr<TraceExporter>> create(TraceExporterDeps deps,
                                                       TraceExporterOptions options);
  ~TraceExporter();
  TraceExporter(const TraceExporter&) = delete;
  TraceExporter& operator=(const TraceExporter&) = delete;

  void start();
  void stop();

  // On the caller's thread: turns every queued event into a queued trace, then
  // sends what is due at the clock's now. Answers how many traces were delivered.
  int process_pending();
  size_t queued_traces() const;

 private:
  struct Metrics;
  friend Result<std::unique_ptr<TraceExporter>> start_trace_exporter(const ServerConfig&,
                                                                     const net::OutboundGuard&,
                                                                     TraceExporterDeps);
  TraceExporter(TraceExporterDeps deps, TraceExporterOptions options,
                std::unique_ptr<Metrics> metrics);
  void run();
  // Queues the trace of the execution the event finished; nothing for other events.
  void on_event(const engine::EngineEvent& event);
  // Sends what is due (or, with `last_pass`, everything once); answers delivered traces.
  int send(bool last_pass);
  telemetry::SendOutcome send_one(const telemetry::ExportBatch& batch);

  TraceExporterDeps d_;
  TraceExporterOptions options_;
  std::string url_;
  std::string host_;  // host:port, for log lines
  std::unique_ptr<Metrics> metrics_;
  store::ExecutionStore executions_;
  store::ExecutionHistoryStore history_;
  std::shared_ptr<engine::EventSubscription> subscription_;
  mutable std::mutex queue_mu_;  // the queue: the thread, process_pending(), queued_traces()
  telemetry::OtlpExportQueue queue_;
  std::mutex lifecycle_mu_;
  std::thread thread_;
  bool stopped_ = false;
  std::optional<TimePoint> send_deadline_;  // set for the last pass at stop()
  uint64_t reported_drops_ = 0;
};

// The exporter `config` asks for (otlp-export-endpoint, otlp-export-headers),
// started; null when no endpoint is configured. The endpoint is judged by
// `guard` first: an address it refuses (loopback, private, ... unless
// outbound-allow names it) is a start-up error naming otlp-export-endpoint.
Result<std::unique_ptr<TraceExporter>> start_trace_exporter(const ServerConfig& config,
                                                            const net::OutboundGuard& guard,
                                                            TraceExporterDeps deps);

}  // namespace opz::app
