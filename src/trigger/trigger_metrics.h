// TriggerMetrics: the Prometheus series of the trigger module, registered
// once and held as handles (telemetry/metrics.h):
//   opzenix_webhook_deliveries_received_total{event}     stored, first time
//   opzenix_webhook_deliveries_duplicate_total           GUID seen before
//   opzenix_webhook_deliveries_rejected_total{reason}    401/404/415/400, not stored
//   opzenix_webhook_deliveries_processed_total{outcome}  processed|ignored|failed
//   opzenix_git_polls_total{result}                      ok|first_sight|error
//   opzenix_triggered_executions_total{source}           webhook|poll|replay
//   opzenix_commit_statuses_total{result}                delivered|retry|gave_up
//   opzenix_github_workflow_runs_total{result}           success|failure|timeout|error
// Reason and result labels come from small fixed sets (never user input).
// Thread-safe; a null registry gives a private one (tests).
#pragma once

#include <memory>
#include <string>

#include "telemetry/metrics.h"

namespace opz::trigger {

class TriggerMetrics {
 public:
  explicit TriggerMetrics(telemetry::MetricsRegistry* registry);

  void rejected(const std::string& reason);
  void received(const std::string& event);
  void duplicate();
  void processed(const std::string& outcome);
  void poll(const std::string& result);
  void triggered(const std::string& source);
  void commit_status(const std::string& result);
  void workflow_run(const std::string& result);

 private:
  std::unique_ptr<telemetry::MetricsRegistry> owned_;
  telemetry::CounterFamily* rejected_ = nullptr;
  telemetry::CounterFamily* received_ = nullptr;
  telemetry::CounterFamily* duplicate_ = nullptr;
  telemetry::CounterFamily* processed_ = nullptr;
  telemetry::CounterFamily* polls_ = nullptr;
  telemetry::CounterFamily* triggered_ = nullptr;
  telemetry::CounterFamily* statuses_ = nullptr;
  telemetry::CounterFamily* workflow_runs_ = nullptr;
};

}  // namespace opz::trigger
