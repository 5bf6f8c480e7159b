#include "app/trace_exporter.h"

#include <algorithm>
#include <utility>

#include "app/logging.h"
#include "app/version.h"
#include "core/json.h"
#include "engine/execution_state.h"
#include "github/http_transport.h"
#include "telemetry/otlp_trace_encoding.h"

namespace opz::app {

struct TraceExporter::Metrics {
  telemetry::Counter* exported = nullptr;
  telemetry::Counter* rejected = nullptr;
  telemetry::Counter* dropped = nullptr;
  telemetry::Counter* failed = nullptr;
  telemetry::Gauge* queued = nullptr;
};

namespace {

std::shared_ptr<spdlog::logger> exporter_log() { return component_logger("otlp"); }

bool is_final_state(const std::string& state) {
  auto status = engine::execution_status_from_string(state);
  return status && engine::is_terminal(*status);
}

// The URL's host for log lines: never the URL, which may carry credentials.
std::string host_of(const std::string& url) {
  auto parsed = net::parse_outbound_url(url, "otlp-export-endpoint", net::UrlKind::kHttp);
  return parsed ? parsed->host + ":" + std::to_string(parsed->port) : std::string("the endpoint");
}

}  // namespace

TraceTransport http_trace_transport(const net::OutboundGuard* guard,
                                    std::chrono::milliseconds timeout) {
  github::HttpTransportOptions o;
  o.guard = guard;
  o.guarded_field = "otlp-export-endpoint";
  o.total_timeout = timeout;
  o.connect_timeout = std::min(timeout, o.connect_timeout);
  o.max_response_bytes = 64 * 1024;  // an OTLP answer is a small status document
  auto transport = std::make_shared<github::HttpTransport>(o);
  return [transport](const std::string& url, const HeaderList& headers,
                     const std::string& body) -> Result<long> {
    github::HttpRequest request{"POST", url, headers, body};
    request.headers.emplace_back("Content-Type", "application/json");
    OPZ_TRY(github::HttpResponse response, transport->send(request));
    return response.status;
  };
}

Result<std::unique_ptr<TraceExporter>> TraceExporter::create(TraceExporterDeps deps,
                                                             TraceExporterOptions options) {
  if (options.endpoint.empty())
    return Error::validation("otlp-export-endpoint is required", "otlp-export-endpoint");
  OPZ_TRY(telemetry::CounterFamily * spans,
          deps.metrics.counter("opzenix_otlp_export_spans_total",
                               "Spans of finished executions exported as OTLP traces, by result "
                               "(exported, rejected by the receiver, dropped from a full queue, "
                               "failed after every retry).",
                               {"result"}));
  OPZ_TRY(telemetry::GaugeFamily * queued,
          deps.metrics.gauge("opzenix_otlp_export_queue_traces",
                             "Execution traces waiting to be sent to the OTLP endpoint."));
  auto metrics = std::make_unique<Metrics>();
  metrics->exported = &spans->with({"exported"});
  metrics->rejected = &spans->with({"rejected"});
  metrics->dropped = &spans->with({"dropped"});
  metrics->failed = &spans->with({"failed"});
  metrics->queued = &queued->with();
  return std::unique_ptr<TraceExporter>(
      new TraceExporter(std::move(deps), std::move(options), std::move(metrics)));
}

TraceExporter::TraceExporter(TraceExporterDeps deps, TraceExporterOptions options,
                             std::unique_ptr<Metrics> metrics)
    : d_(std::move(deps)),
      options_(std::move(options)),
      url_(telemetry::otlp_traces_url(options_.endpoint)),
      host_(host_of(url_)),
      metrics_(std::move(metrics)),
      executions_(d_.db),
      history_(d_.db),
      queue_(options_.queue, telemetry::ExportCounters{metrics_->exported, metrics_->rejected,
                                                       metrics_->dropped, metrics_->failed}) {
  engine::EventFilter filter;
  filter.kinds = static_cast<uint32_t>(engine::EventKind::kExecutionState);
  subscription_ = d_.bus.subscribe(filter, std::max<size_t>(1, options_.event_capacity));
}

TraceExporter::~TraceExporter() { stop(); }

void TraceExporter::start() {
  std::lock_guard lock(lifecycle_mu_);
  if (thread_.joinable() || stopped_) return;
  thread_ = std::thread([this] { run(); });
}

void TraceExporter::stop() {
  std::lock_guard lock(lifecycle_mu_);
  if (stopped_) return;
  stopped_ = true;
  subscription_->close();  // wakes next()
  if (thread_.joinable()) thread_.join();
  for (const auto& event : subscription_->drain()) on_event(*event);
  send_deadline_ = d_.clock.now() + options_.shutdown_budget;
  send(true);
}

int TraceExporter::process_pending() {
  for (const auto& event : subscription_->drain()) on_event(*event);
  return send(false);
}

size_t TraceExporter::queued_traces() const {
  std::lock_guard lock(queue_mu_);
  return queue_.size();
}

void TraceExporter::on_event(const engine::EngineEvent& event) {
  if (event.kind != engine::EventKind::kExecutionState || !is_final_state(event.new_state)) return;
  auto trace = load_execution_trace(executions_, history_, event.execution_id, options_.source);
  if (!trace) {
    exporter_log()->warn("execution {}: not exported: {}", event.execution_id,
                         trace.error().to_string());
    return;
  }
  auto body = telemetry::encode_execution_trace(
      *trace, telemetry::TraceEncodingOptions{"opzenix", options_.service_version, 2048});
  if (!body) {
    exporter_log()->warn("execution {}: not exported: {}", event.execution_id,
                         body.error().to_string());
    return;
  }
  telemetry::ExportBatch batch{*telemetry::otlp_trace_id(trace->execution_id), dump_json(*body),
                               static_cast<int>(trace->nodes.size()) + 1};
  std::lock_guard lock(queue_mu_);
  if (!queue_.push(std::move(batch), d_.clock.now()))
    exporter_log()->warn("export queue full: the oldest trace was dropped");
  metrics_->queued->set(static_cast<double>(queue_.size()));
}

telemetry::SendOutcome TraceExporter::send_one(const telemetry::ExportBatch& batch) {
  if (send_deadline_ && d_.clock.now() >= *send_deadline_)
    return {telemetry::SendVerdict::kRetry, "not sent: the server stopped"};
  auto status = d_.transport(url_, options_.headers, batch.body);
  if (!status) {
    const bool refused = status.error().code == ErrorCode::kValidation;
    // The transport's message quotes the URL; the log gets the host only.
    std::string detail = status.error().message;
    for (size_t at = detail.find(url_); at != std::string::npos; at = detail.find(url_, at))
      detail.replace(at, url_.size(), host_);
    return {refused ? telemetry::SendVerdict::kReject : telemetry::SendVerdict::kRetry,
            std::move(detail)};
  }
  return {telemetry::verdict_for_http_status(*status), "HTTP " + std::to_string(*status)};
}

int TraceExporter::send(bool last_pass) {
  std::lock_guard lock(queue_mu_);
  auto one = [this](const telemetry::ExportBatch& b) { return send_one(b); };
  telemetry::SendReport report =
      last_pass ? queue_.send_all_once(one) : queue_.send_due(d_.clock.now(), one);
  metrics_->queued->set(static_cast<double>(queue_.size()));
  if (report.rejected > 0)
    exporter_log()->warn("{} trace(s) refused by {}: {}", report.rejected, host_, report.last_problem);
  if (report.failed > 0)
    exporter_log()->warn("{} trace(s) given up after retries to {}: {}", report.failed, host_,
                         report.last_problem);
  if (report.retried > 0)
    exporter_log()->info("sending traces to {} failed ({}); retrying", host_, report.last_problem);
  return report.delivered;
}

void TraceExporter::run() {
  while (!subscription_->closed()) {
    Millis wait{1000};
    {
      std::lock_guard lock(queue_mu_);
      if (auto due = queue_.next_due()) {
        wait = std::clamp(std::chrono::duration_cast<Millis>(*due - d_.clock.now()), Millis{1},
                          Millis{1000});
      }
    }
    if (auto event = subscription_->next(wait)) on_event(**event);
    for (const auto& event : subscription_->drain()) on_event(*event);
    send(false);
    const uint64_t dropped = subscription_->dropped();
    if (dropped > reported_drops_) {
      exporter_log()->warn("{} execution event(s) dropped (queue full): those executions are "
                           "not exported",
                           dropped - reported_drops_);
      reported_drops_ = dropped;
    }
  }
}

Result<std::unique_ptr<TraceExporter>> start_trace_exporter(const ServerConfig& config,
                                                            const net::OutboundGuard& guard,
                                                            TraceExporterDeps deps) {
  if (config.otlp_export_endpoint.empty()) return std::unique_ptr<TraceExporter>();
  TraceExporterOptions options;
  options.endpoint = config.otlp_export_endpoint;
  OPZ_TRY(options.headers, parse_header_list(config.otlp_export_headers, "otlp-export-headers"));
  OPZ_TRY_STATUS(guard.validate(telemetry::otlp_traces_url(options.endpoint), "otlp-export-endpoint",
                                net::UrlKind::kHttp));
  options.service_version = kVersion;
  OPZ_TRY(std::unique_ptr<TraceExporter> exporter,
          TraceExporter::create(std::move(deps), std::move(options)));
  exporter->start();
  exporter_log()->info("exporting finished executions as OTLP traces to {}", exporter->host_);
  return exporter;
}

}  // namespace opz::app
