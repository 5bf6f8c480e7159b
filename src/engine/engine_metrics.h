// EngineMetrics: the engine's counters and histograms in the Prometheus
// registry (telemetry/metrics.h), registered once at construction:
//   opzenix_executions_started_total
//   opzenix_executions_finished_total{status}
//   opzenix_executions_running                 (gauge)
//   opzenix_nodes_finished_total{status}
//   opzenix_node_duration_seconds              (histogram)
//   opzenix_stuck_executions_total
//   opzenix_recovered_nodes_total{outcome}     (adopted | retried | failed)
//   opzenix_executions_dropped_total{at}       (check | commit)
//   opzenix_engine_journal_errors_total        (failed database batches)
// Without a registry every method is a no-op. Thread-safe.
#pragma once

#include <chrono>
#include <string_view>

#include "telemetry/metrics.h"

namespace opz::engine {

class EngineMetrics {
 public:
  explicit EngineMetrics(telemetry::MetricsRegistry* registry);

  void execution_started();
  // Resumed after a restart: running again, not started again.
  void execution_resumed();
  void execution_finished(std::string_view status);
  void node_finished(std::string_view status, std::chrono::milliseconds duration);
  void stuck_execution();
  void journal_error();
  // A node a dead server (this one before a restart, or another) left
  // running: `outcome` is adopted (its agent job continues the same
  // attempt), retried or failed.
  void node_recovered(std::string_view outcome);
  // This server stopped running an execution another server took over,
  // learnt `at` its ownership check or its commit's write fence; one that
  // had not finished leaves the running gauge.
  void execution_dropped(std::string_view at, bool was_running);

 private:
  telemetry::Counter* started_ = nullptr;
  telemetry::CounterFamily* finished_ = nullptr;
  telemetry::Gauge* running_ = nullptr;
  telemetry::CounterFamily* nodes_ = nullptr;
  telemetry::Histogram* node_duration_ = nullptr;
  telemetry::Counter* stuck_ = nullptr;
  telemetry::Counter* journal_errors_ = nullptr;
  telemetry::CounterFamily* recovered_ = nullptr;
  telemetry::CounterFamily* dropped_ = nullptr;
};

}  // namespace opz::engine
