#include "trigger/trigger_metrics.h"

#include <spdlog/spdlog.h>

namespace opz::trigger {

namespace {

telemetry::CounterFamily* family(telemetry::MetricsRegistry& r, const std::string& name,
                                 const std::string& help, std::vector<std::string> labels) {
  auto f = r.counter(name, help, std::move(labels));
  if (!f) {
    // Only a programming error (a clashing name) gets here; counting is then off.
    spdlog::error("trigger metrics: {}", f.error().to_string());
    return nullptr;
  }
  return *f;
}

void inc(telemetry::CounterFamily* f, const std::string& label) {
  if (f) f->with({label}).inc();
}

}  // namespace

TriggerMetrics::TriggerMetrics(telemetry::MetricsRegistry* registry) {
  if (!registry) {
    owned_ = std::make_unique<telemetry::MetricsRegistry>();
    registry = owned_.get();
  }
  auto& r = *registry;
  rejected_ = family(r, "opzenix_webhook_deliveries_rejected_total",
                     "Webhook deliveries rejected before they were stored.", {"reason"});
  received_ = family(r, "opzenix_webhook_deliveries_received_total",
                     "Webhook deliveries verified and stored.", {"event"});
  duplicate_ = family(r, "opzenix_webhook_deliveries_duplicate_total",
                      "Webhook deliveries whose GUID was already stored.", {});
  processed_ = family(r, "opzenix_webhook_deliveries_processed_total",
                      "Stored webhook deliveries processed, by outcome.", {"outcome"});
  polls_ = family(r, "opzenix_git_polls_total", "Git repository polls, by result.", {"result"});
  triggered_ = family(r, "opzenix_triggered_executions_total",
                      "Executions started by triggers, by source.", {"source"});
  statuses_ = family(r, "opzenix_commit_statuses_total",
                     "Commit status reports sent to GitHub, by result.", {"result"});
  workflow_runs_ = family(r, "opzenix_github_workflow_runs_total",
                          "github_workflow nodes finished, by result.", {"result"});
}

void TriggerMetrics::rejected(const std::string& reason) { inc(rejected_, reason); }
void TriggerMetrics::received(const std::string& event) { inc(received_, event); }
void TriggerMetrics::duplicate() {
  if (duplicate_) duplicate_->with({}).inc();
}
void TriggerMetrics::processed(const std::string& outcome) { inc(processed_, outcome); }
void TriggerMetrics::poll(const std::string& result) { inc(polls_, result); }
void TriggerMetrics::triggered(const std::string& source) { inc(triggered_, source); }
void TriggerMetrics::commit_status(const std::string& result) { inc(statuses_, result); }
void TriggerMetrics::workflow_run(const std::string& result) { inc(workflow_runs_, result); }

}  // namespace opz::trigger
