#include "engine/engine_metrics.h"

#include <spdlog/spdlog.h>

#include <string>

namespace opz::engine {

namespace {

template <typename T>
T* value_or_log(Result<T*> r) {
  if (r) return *r;
  spdlog::warn("engine metrics: {}", r.error().to_string());
  return nullptr;
}

}  // namespace

EngineMetrics::EngineMetrics(telemetry::MetricsRegistry* registry) {
  if (!registry) return;
  if (auto* f = value_or_log(
          registry->counter("opzenix_executions_started_total", "Executions the engine started.")))
    started_ = &f->with();
  finished_ = value_or_log(registry->counter("opzenix_executions_finished_total",
                                             "Executions finished, by final status.", {"status"}));
  if (auto* f = value_or_log(
          registry->gauge("opzenix_executions_running", "Executions running or paused now.")))
    running_ = &f->with();
  nodes_ = value_or_log(registry->counter("opzenix_nodes_finished_total",
                                          "Pipeline nodes finished, by final status.", {"status"}));
  if (auto* f = value_or_log(registry->histogram(
          "opzenix_node_duration_seconds", "Duration of finished node attempts.", {},
          {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600})))
    node_duration_ = &f->with();
  if (auto* f = value_or_log(registry->counter("opzenix_stuck_executions_total",
                                               "Executions seen running longer than stuck_after.")))
    stuck_ = &f->with();
  if (auto* f = value_or_log(registry->counter("opzenix_engine_journal_errors_total",
                                               "Engine batches the database refused.")))
    journal_errors_ = &f->with();
  recovered_ = value_or_log(registry->counter(
      "opzenix_recovered_nodes_total",
      "Nodes a stopped server left running, by what became of them: adopted, retried, failed.",
      {"outcome"}));
  dropped_ = value_or_log(registry->counter(
      "opzenix_executions_dropped_total",
      "Executions this server stopped because another server took them over, by where it "
      "learnt so: check (its ownership check) or commit (its commit was fenced off).",
      {"at"}));
}

void EngineMetrics::execution_started() {
  if (started_) started_->inc();
  if (running_) running_->inc();
}

void EngineMetrics::execution_resumed() {
  if (running_) running_->inc();
}

void EngineMetrics::execution_finished(std::string_view status) {
  if (finished_) finished_->with({std::string(status)}).inc();
  if (running_) running_->dec();
}

void EngineMetrics::node_finished(std::string_view status, std::chrono::milliseconds duration) {
  if (nodes_) nodes_->with({std::string(status)}).inc();
  if (node_duration_) node_duration_->observe(static_cast<double>(duration.count()) / 1000.0);
}

void EngineMetrics::stuck_execution() {
  if (stuck_) stuck_->inc();
}

void EngineMetrics::journal_error() {
  if (journal_errors_) journal_errors_->inc();
}

void EngineMetrics::node_recovered(std::string_view outcome) {
  if (recovered_) recovered_->with({std::string(outcome)}).inc();
}

void EngineMetrics::execution_dropped(std::string_view at, bool was_running) {
  if (dropped_) dropped_->with({std::string(at)}).inc();
  if (was_running && running_) running_->dec();
}

}  // namespace opz::engine
