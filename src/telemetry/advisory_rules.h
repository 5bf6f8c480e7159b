// Advisory rules (issue 13): pure functions from plain facts about one
// project to the conditions that hold now. No I/O: the API's advisory scan
// loads the facts (store::AdvisoryStore), asks evaluate_advisories() and
// stores what it answers (open, keep open, resolve).
//
// Thresholds come from the seeds: 001 "Monitoring & Alerts" (deployment
// success rate < 95%, migration duration > 120 s, pod restarts > 3 in 5
// minutes, error rate > 1%, 429s > 10%), 002 (HTTP 5xx > 5% over 5 minutes),
// 003 "Alerts" (RPC p95 > 500 ms, connection pool > 80%) and the server's own
// stuck threshold (executions running > 30 minutes). Each is a field of
// AdvisoryThresholds so it can be configured later.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace opz::telemetry {

// How a rule reads a metric's samples in the window.
enum class WindowAggregate { kAverage, kSum, kMax };

// One metric rule: `metric` aggregated over the window, alert when above.
struct MetricRule {
  std::string rule;      // advisory rule id, e.g. "error_rate"
  std::string metric;    // ingested metric name, e.g. "error_rate_pct"
  WindowAggregate aggregate = WindowAggregate::kAverage;
  double threshold = 0;  // alert when the aggregate is strictly above
  std::string severity;  // warning | critical
  std::string title;
};

struct AdvisoryThresholds {
  double min_deployment_success_rate = 0.95;  // over deployment_window
  std::chrono::hours deployment_window{24};
  std::chrono::minutes max_execution_running{30};
  std::chrono::minutes metric_window{5};
  std::vector<MetricRule> metric_rules = default_metric_rules();

  static std::vector<MetricRule> default_metric_rules();
};

// A metric's samples in the window.
struct MetricWindow {
  std::string metric;
  int64_t samples = 0;
  double sum = 0;
  double max = 0;
};

// What the scan knows about one project.
struct ProjectFacts {
  int64_t deployments_finished = 0;   // success + failed + rolled_back in the window
  int64_t deployments_succeeded = 0;
  int64_t executions_running_too_long = 0;
  std::vector<MetricWindow> metrics;  // only metrics with samples in the window
};

// A condition that holds now.
struct Finding {
  std::string rule;
  std::string severity;
  std::string title;
  std::string message;
  double observed = 0;
  double threshold = 0;
};

// Every rule evaluate_advisories() may answer (a rule not found this time
// resolves its open advisory).
std::vector<std::string> advisory_rule_ids(const AdvisoryThresholds& t);

std::vector<Finding> evaluate_advisories(const ProjectFacts& facts, const AdvisoryThresholds& t);

}  // namespace opz::telemetry
