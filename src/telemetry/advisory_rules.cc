#include "telemetry/advisory_rules.h"

#include <fmt/format.h>

namespace opz::telemetry {

std::vector<MetricRule> AdvisoryThresholds::default_metric_rules() {
  using A = WindowAggregate;
  return {
      {"error_rate", "error_rate_pct", A::kAverage, 1.0, "critical", "Error rate above 1%"},
      {"http_5xx_rate", "http_5xx_pct", A::kAverage, 5.0, "critical",
       "HTTP 5xx above 5% over 5 minutes"},
      {"pod_restarts", "pod_restarts", A::kSum, 3.0, "warning",
       "More than 3 pod restarts in 5 minutes"},
      {"rate_limited", "http_429_pct", A::kAverage, 10.0, "warning",
       "Rate-limited (429) responses above 10%"},
      {"rpc_latency", "rpc_p95_ms", A::kMax, 500.0, "warning", "RPC p95 above 500 ms"},
      {"connection_pool", "db_pool_pct", A::kMax, 80.0, "warning",
       "Database connection pool above 80%"},
      {"migration_duration", "migration_duration_s", A::kMax, 120.0, "warning",
       "Migration took longer than 120 s"},
  };
}

std::vector<std::string> advisory_rule_ids(const AdvisoryThresholds& t) {
  std::vector<std::string> ids{"deployment_success_rate", "execution_running_long"};
  for (const MetricRule& r : t.metric_rules) ids.push_back(r.rule);
  return ids;
}

namespace {

double aggregate(const MetricWindow& w, WindowAggregate a) {
  switch (a) {
    case WindowAggregate::kSum: return w.sum;
    case WindowAggregate::kMax: return w.max;
    case WindowAggregate::kAverage: break;
  }
  return w.samples > 0 ? w.sum / static_cast<double>(w.samples) : 0.0;
}

const char* aggregate_name(WindowAggregate a) {
  switch (a) {
    case WindowAggregate::kSum: return "total";
    case WindowAggregate::kMax: return "highest value";
    case WindowAggregate::kAverage: break;
  }
  return "average";
}

}  // namespace

std::vector<Finding> evaluate_advisories(const ProjectFacts& f, const AdvisoryThresholds& t) {
  std::vector<Finding> out;
  if (f.deployments_finished > 0) {
    const double rate = static_cast<double>(f.deployments_succeeded) /
                        static_cast<double>(f.deployments_finished);
    if (rate < t.min_deployment_success_rate)
      out.push_back({"deployment_success_rate", "critical", "Deployment success rate below 95%",
                     fmt::format("{} of {} deployments in the last {} h succeeded ({:.1f}%, "
                                 "alert below {:.1f}%)",
                                 f.deployments_succeeded, f.deployments_finished,
                                 t.deployment_window.count(), rate * 100,
                                 t.min_deployment_success_rate * 100),
                     rate, t.min_deployment_success_rate});
  }
  if (f.executions_running_too_long > 0)
    out.push_back({"execution_running_long", "warning", "Executions running longer than 30 minutes",
                   fmt::format("{} execution(s) have been running longer than {} minutes",
                               f.executions_running_too_long, t.max_execution_running.count()),
                   static_cast<double>(f.executions_running_too_long), 0});
  for (const MetricRule& rule : t.metric_rules) {
    for (const MetricWindow& w : f.metrics) {
      if (w.metric != rule.metric || w.samples == 0) continue;
      const double value = aggregate(w, rule.aggregate);
      if (value > rule.threshold)
        out.push_back({rule.rule, rule.severity, rule.title,
                       fmt::format("{} of {} over the last {} minutes is {:g} (alert above {:g})",
                                   aggregate_name(rule.aggregate), rule.metric,
                                   t.metric_window.count(), value, rule.threshold),
                       value, rule.threshold});
    }
  }
  return out;
}

}  // namespace opz::telemetry
