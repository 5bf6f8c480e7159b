// Advisory rules (issue 13): pure functions from plain facts about one
// project to the conditions that hold now. No I/O: the API's advisory scan
// loads the settings and the facts (store::AdvisoryStore, OpsMetricsStore),
// asks evaluate_advisories() and stores what it answers (open, keep open,
// resolve).
//
// The catalog (advisory_rule_catalog) holds every rule with the seeds'
// default settings: 001 "Monitoring & Alerts" (deployment success rate < 95%,
// migration duration > 120 s, pod restarts > 3 in 5 minutes, error rate > 1%,
// 429s > 10%), 002 (HTTP 5xx > 5% over 5 minutes), 003 "Alerts" (RPC p95 >
// 500 ms, connection pool > 80%) and the server's own stuck threshold
// (executions running > 30 minutes). Each rule's threshold, window, severity
// and enabled flag can be overridden globally and per project
// (RuleOverride); effective_rule() says which settings are in force and
// where they came from. docs/telemetry.md has the table.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace opz::telemetry {

// What a rule reads.
enum class RuleInput {
  kDeploymentSuccessRate,  // % of deployments finished in the window that succeeded
  kLongRunningExecutions,  // executions running for longer than the window
  kMetric,                 // an ingested ops metric aggregated over the window
};
// How a metric rule reads its samples in the window.
enum class WindowAggregate { kAverage, kSum, kMax };
// Alert when the observed value is strictly above / below the threshold.
enum class Comparison { kAbove, kBelow };
// Where a setting in force comes from.
enum class SettingSource { kDefault, kGlobal, kProject };

// A rule with the settings in force.
struct AdvisoryRule {
  std::string rule;    // advisory rule id, e.g. "error_rate"
  RuleInput input = RuleInput::kMetric;
  std::string metric;  // kMetric: the ingested metric name, e.g. "error_rate_pct"
  WindowAggregate aggregate = WindowAggregate::kAverage;
  Comparison comparison = Comparison::kAbove;
  std::string unit;    // "%", "ms", "s", "" (count): for titles and bounds
  // Title template: {threshold} and {window} are filled in.
  std::string title;
  double threshold = 0;
  std::chrono::seconds window{300};
  std::string severity = "warning";  // info | warning | critical
  bool enabled = true;
  SettingSource source = SettingSource::kDefault;
};

// Every rule with its default settings, in a stable order.
const std::vector<AdvisoryRule>& advisory_rule_catalog();
// nullptr when `rule` is not in the catalog.
const AdvisoryRule* find_advisory_rule(std::string_view rule);

// One scope's override of a rule: an unset field inherits.
struct RuleOverride {
  std::optional<double> threshold;
  std::optional<int64_t> window_seconds;
  std::optional<std::string> severity;
  std::optional<bool> enabled;
};

// The rule's settings in force: the project override's fields, else the
// global override's, else the default. `source` is the most specific scope
// that has an override row at all (kProject when `project` is given).
AdvisoryRule effective_rule(const AdvisoryRule& base, const RuleOverride* global,
                            const RuleOverride* project);

// kValidation naming the field ("threshold", "window_seconds", "severity")
// when an override's set value is out of bounds for `rule`: thresholds finite
// and >= 0 (at most 100 for a "%" unit); windows 60 s .. 90 days; severity
// info | warning | critical.
Status validate_override(const AdvisoryRule& rule, const RuleOverride& o);

// The rules one scan evaluates (by default the catalog's defaults).
struct AdvisoryThresholds {
  std::vector<AdvisoryRule> rules = advisory_rule_catalog();
};

// A metric's samples over one window length.
struct MetricWindow {
  std::string metric;
  int64_t samples = 0;
  double sum = 0;
  double max = 0;
  std::chrono::seconds window{300};
};

// What the scan knows about one project, read with the windows of the
// thresholds' rules.
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

// Every rule evaluate_advisories() considers, enabled or not (a rule not
// found this time, or disabled, resolves its open advisory).
std::vector<std::string> advisory_rule_ids(const AdvisoryThresholds& t);

// The distinct windows of the enabled metric rules (each needs one read).
std::vector<std::chrono::seconds> metric_windows(const AdvisoryThresholds& t);
// The enabled rule reading `input`, nullptr when none.
const AdvisoryRule* enabled_rule(const AdvisoryThresholds& t, RuleInput input);

std::vector<Finding> evaluate_advisories(const ProjectFacts& facts, const AdvisoryThresholds& t);

// "5 minutes", "1 hour", "90 seconds".
std::string describe_window(std::chrono::seconds window);
// The rule's title with its threshold and window filled in.
std::string rule_title(const AdvisoryRule& rule);

std::string_view to_string(SettingSource s);
std::string_view to_string(WindowAggregate a);
std::string_view to_string(Comparison c);

}  // namespace opz::telemetry
