#include "telemetry/advisory_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace opz::telemetry {

namespace {

using std::chrono::seconds;

AdvisoryRule metric_rule(std::string rule, std::string metric, WindowAggregate aggregate,
                         std::string unit, std::string title, double threshold, seconds window,
                         std::string severity) {
  AdvisoryRule r;
  r.rule = std::move(rule);
  r.input = RuleInput::kMetric;
  r.metric = std::move(metric);
  r.aggregate = aggregate;
  r.unit = std::move(unit);
  r.title = std::move(title);
  r.threshold = threshold;
  r.window = window;
  r.severity = std::move(severity);
  return r;
}

std::vector<AdvisoryRule> build_catalog() {
  using A = WindowAggregate;
  constexpr seconds k5m{300};
  AdvisoryRule success;
  success.rule = "deployment_success_rate";
  success.input = RuleInput::kDeploymentSuccessRate;
  success.comparison = Comparison::kBelow;
  success.unit = "%";
  success.title = "Deployment success rate below {threshold} over {window}";
  success.threshold = 95;
  success.window = seconds{24 * 3600};
  success.severity = "critical";
  AdvisoryRule running;
  running.rule = "execution_running_long";
  running.input = RuleInput::kLongRunningExecutions;
  running.title = "Executions running longer than {window}";
  running.threshold = 0;  // alert when more than this many
  running.window = seconds{30 * 60};
  running.severity = "warning";
  return {
      success,
      running,
      metric_rule("error_rate", "error_rate_pct", A::kAverage, "%", "Error rate above {threshold}",
                  1.0, k5m, "critical"),
      metric_rule("http_5xx_rate", "http_5xx_pct", A::kAverage, "%",
                  "HTTP 5xx above {threshold} over {window}", 5.0, k5m, "critical"),
      metric_rule("pod_restarts", "pod_restarts", A::kSum, "",
                  "More than {threshold} pod restarts in {window}", 3.0, k5m, "warning"),
      metric_rule("rate_limited", "http_429_pct", A::kAverage, "%",
                  "Rate-limited (429) responses above {threshold}", 10.0, k5m, "warning"),
      metric_rule("rpc_latency", "rpc_p95_ms", A::kMax, "ms", "RPC p95 above {threshold}", 500.0,
                  k5m, "warning"),
      metric_rule("connection_pool", "db_pool_pct", A::kMax, "%",
                  "Database connection pool above {threshold}", 80.0, k5m, "warning"),
      // A migration reports once; an hour keeps its advisory open long enough to be seen.
      metric_rule("migration_duration", "migration_duration_s", A::kMax, "s",
                  "Migration took longer than {threshold}", 120.0, seconds{3600}, "warning"),
  };
}

std::string with_unit(double value, const std::string& unit) {
  if (unit.empty()) return fmt::format("{:g}", value);
  if (unit == "%") return fmt::format("{:g}%", value);
  return fmt::format("{:g} {}", value, unit);
}

double aggregate(const MetricWindow& w, WindowAggregate a) {
  switch (a) {
    case WindowAggregate::kSum: return w.sum;
    case WindowAggregate::kMax: return w.max;
    case WindowAggregate::kAverage: break;
  }
  return w.samples > 0 ? w.sum / static_cast<double>(w.samples) : 0.0;
}

const char* aggregate_phrase(WindowAggregate a) {
  switch (a) {
    case WindowAggregate::kSum: return "total";
    case WindowAggregate::kMax: return "highest value";
    case WindowAggregate::kAverage: break;
  }
  return "average";
}

bool breaches(const AdvisoryRule& r, double observed) {
  return r.comparison == Comparison::kBelow ? observed < r.threshold : observed > r.threshold;
}

std::string alert_phrase(const AdvisoryRule& r) {
  return fmt::format("alert {} {}", r.comparison == Comparison::kBelow ? "below" : "above",
                     with_unit(r.threshold, r.unit));
}

Finding finding(const AdvisoryRule& r, std::string message, double observed) {
  return {r.rule, r.severity, rule_title(r), std::move(message), observed, r.threshold};
}

}  // namespace

const std::vector<AdvisoryRule>& advisory_rule_catalog() {
  static const std::vector<AdvisoryRule> kCatalog = build_catalog();
  return kCatalog;
}

const AdvisoryRule* find_advisory_rule(std::string_view rule) {
  for (const AdvisoryRule& r : advisory_rule_catalog())
    if (r.rule == rule) return &r;
  return nullptr;
}

AdvisoryRule effective_rule(const AdvisoryRule& base, const RuleOverride* global,
                            const RuleOverride* project) {
  AdvisoryRule r = base;
  for (const RuleOverride* o : {global, project}) {
    if (!o) continue;
    if (o->threshold) r.threshold = *o->threshold;
    if (o->window_seconds) r.window = seconds{*o->window_seconds};
    if (o->severity) r.severity = *o->severity;
    if (o->enabled) r.enabled = *o->enabled;
  }
  r.source = project ? SettingSource::kProject
                     : (global ? SettingSource::kGlobal : SettingSource::kDefault);
  return r;
}

Status validate_override(const AdvisoryRule& rule, const RuleOverride& o) {
  if (o.threshold) {
    const double t = *o.threshold;
    if (!std::isfinite(t) || t < 0)
      return Error::validation("threshold must be a finite number >= 0", "threshold");
    if (rule.unit == "%" && t > 100)
      return Error::validation("threshold of " + rule.rule + " is a percentage: 0 to 100",
                               "threshold");
    if (t > 1e12) return Error::validation("threshold must be at most 1e12", "threshold");
  }
  if (o.window_seconds) {
    constexpr int64_t kMin = 60, kMax = 90LL * 24 * 3600;
    if (*o.window_seconds < kMin || *o.window_seconds > kMax)
      return Error::validation("window_seconds must be between 60 and 7776000 (90 days)",
                               "window_seconds");
  }
  if (o.severity && *o.severity != "info" && *o.severity != "warning" &&
      *o.severity != "critical")
    return Error::validation("severity must be one of info, warning, critical", "severity");
  return {};
}

std::vector<std::string> advisory_rule_ids(const AdvisoryThresholds& t) {
  std::vector<std::string> ids;
  for (const AdvisoryRule& r : t.rules) ids.push_back(r.rule);
  return ids;
}

std::vector<seconds> metric_windows(const AdvisoryThresholds& t) {
  std::vector<seconds> out;
  for (const AdvisoryRule& r : t.rules)
    if (r.enabled && r.input == RuleInput::kMetric &&
        std::find(out.begin(), out.end(), r.window) == out.end())
      out.push_back(r.window);
  return out;
}

const AdvisoryRule* enabled_rule(const AdvisoryThresholds& t, RuleInput input) {
  for (const AdvisoryRule& r : t.rules)
    if (r.enabled && r.input == input) return &r;
  return nullptr;
}

std::vector<Finding> evaluate_advisories(const ProjectFacts& f, const AdvisoryThresholds& t) {
  std::vector<Finding> out;
  for (const AdvisoryRule& r : t.rules) {
    if (!r.enabled) continue;
    switch (r.input) {
      case RuleInput::kDeploymentSuccessRate: {
        if (f.deployments_finished <= 0) break;
        const double rate = 100.0 * static_cast<double>(f.deployments_succeeded) /
                            static_cast<double>(f.deployments_finished);
        if (breaches(r, rate))
          out.push_back(finding(
              r,
              fmt::format("{} of {} deployments in the last {} succeeded ({:.1f}%, {})",
                          f.deployments_succeeded, f.deployments_finished,
                          describe_window(r.window), rate, alert_phrase(r)),
              rate));
        break;
      }
      case RuleInput::kLongRunningExecutions: {
        const auto n = static_cast<double>(f.executions_running_too_long);
        if (breaches(r, n))
          out.push_back(finding(r,
                                fmt::format("{} execution(s) have been running longer than {} "
                                            "({})",
                                            f.executions_running_too_long,
                                            describe_window(r.window), alert_phrase(r)),
                                n));
        break;
      }
      case RuleInput::kMetric:
        for (const MetricWindow& w : f.metrics) {
          if (w.metric != r.metric || w.window != r.window || w.samples == 0) continue;
          const double value = aggregate(w, r.aggregate);
          if (breaches(r, value))
            out.push_back(finding(r,
                                  fmt::format("{} of {} over the last {} is {:g} ({})",
                                              aggregate_phrase(r.aggregate), r.metric,
                                              describe_window(r.window), value, alert_phrase(r)),
                                  value));
        }
        break;
    }
  }
  return out;
}

std::string describe_window(seconds window) {
  const int64_t s = window.count();
  auto plural = [](int64_t n, const char* unit) {
    return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
  };
  if (s > 0 && s % 3600 == 0) return plural(s / 3600, "hour");
  if (s > 0 && s % 60 == 0) return plural(s / 60, "minute");
  return plural(s, "second");
}

std::string rule_title(const AdvisoryRule& r) {
  return fmt::format(fmt::runtime(r.title), fmt::arg("threshold", with_unit(r.threshold, r.unit)),
                     fmt::arg("window", describe_window(r.window)));
}

std::string_view to_string(SettingSource s) {
  switch (s) {
    case SettingSource::kGlobal: return "global";
    case SettingSource::kProject: return "project";
    case SettingSource::kDefault: break;
  }
  return "default";
}

std::string_view to_string(WindowAggregate a) {
  switch (a) {
    case WindowAggregate::kSum: return "sum";
    case WindowAggregate::kMax: return "max";
    case WindowAggregate::kAverage: break;
  }
  return "average";
}

std::string_view to_string(Comparison c) { return c == Comparison::kBelow ? "below" : "above"; }

}  // namespace opz::telemetry
