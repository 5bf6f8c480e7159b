#include "telemetry/advisory_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "telemetry/metric_name.h"

namespace opz::telemetry {
namespace {

std::vector<std::string> rules_of(const std::vector<Finding>& f) {
  std::vector<std::string> out;
  for (const auto& x : f) out.push_back(x.rule);
  return out;
}

using std::chrono::seconds;

MetricWindow window_of(std::string metric, int64_t samples, double sum, double max,
                       seconds window = seconds{300}) {
  return {std::move(metric), samples, sum, max, window};
}

TEST(AdvisoryRulesTest, QuietProjectHasNoFindings) {
  EXPECT_TRUE(evaluate_advisories(ProjectFacts{}, AdvisoryThresholds{}).empty());
}

// The seeds' thresholds, one row per rule: what the catalog must hold.
TEST(AdvisoryRulesTest, CatalogHoldsTheSeedsThresholds) {
  struct Row {
    const char* rule;
    const char* metric;
    double threshold;
    int64_t window_seconds;
    Comparison comparison;
  };
  const Row expected[] = {
      {"deployment_success_rate", "", 95, 86400, Comparison::kBelow},
      {"execution_running_long", "", 0, 1800, Comparison::kAbove},
      {"error_rate", "error_rate_pct", 1, 300, Comparison::kAbove},
      {"http_5xx_rate", "http_5xx_pct", 5, 300, Comparison::kAbove},
      {"pod_restarts", "pod_restarts", 3, 300, Comparison::kAbove},
      {"rate_limited", "http_429_pct", 10, 300, Comparison::kAbove},
      {"rpc_latency", "rpc_p95_ms", 500, 300, Comparison::kAbove},
      {"connection_pool", "db_pool_pct", 80, 300, Comparison::kAbove},
      {"migration_duration", "migration_duration_s", 120, 3600, Comparison::kAbove},
  };
  const auto& catalog = advisory_rule_catalog();
  ASSERT_EQ(catalog.size(), std::size(expected));
  for (size_t i = 0; i < catalog.size(); ++i) {
    SCOPED_TRACE(expected[i].rule);
    EXPECT_EQ(catalog[i].rule, expected[i].rule);
    EXPECT_EQ(catalog[i].metric, expected[i].metric);
    EXPECT_DOUBLE_EQ(catalog[i].threshold, expected[i].threshold);
    EXPECT_EQ(catalog[i].window.count(), expected[i].window_seconds);
    EXPECT_EQ(catalog[i].comparison, expected[i].comparison);
    EXPECT_TRUE(catalog[i].enabled);
    EXPECT_EQ(catalog[i].source, SettingSource::kDefault);
    EXPECT_EQ(find_advisory_rule(expected[i].rule), &catalog[i]);
  }
  EXPECT_EQ(find_advisory_rule("cpu"), nullptr);
  EXPECT_EQ(rule_title(catalog[3]), "HTTP 5xx above 5% over 5 minutes");
  EXPECT_EQ(rule_title(catalog[0]), "Deployment success rate below 95% over 24 hours");
  EXPECT_EQ(rule_title(catalog[6]), "RPC p95 above 500 ms");
}

TEST(AdvisoryRulesTest, DeploymentSuccessRateBelow95PercentFires) {
  ProjectFacts f;
  f.deployments_finished = 20;
  f.deployments_succeeded = 18;  // 90%
  auto out = evaluate_advisories(f, AdvisoryThresholds{});
  ASSERT_EQ(rules_of(out), std::vector<std::string>{"deployment_success_rate"});
  EXPECT_DOUBLE_EQ(out[0].observed, 90);
  EXPECT_DOUBLE_EQ(out[0].threshold, 95);
  EXPECT_EQ(out[0].severity, "critical");
  EXPECT_NE(out[0].message.find("18 of 20"), std::string::npos) << out[0].message;
  f.deployments_succeeded = 19;  // exactly 95%: not below
  EXPECT_TRUE(evaluate_advisories(f, AdvisoryThresholds{}).empty());
}

TEST(AdvisoryRulesTest, LongRunningExecutionsFire) {
  ProjectFacts f;
  f.executions_running_too_long = 2;
  auto out = evaluate_advisories(f, AdvisoryThresholds{});
  ASSERT_EQ(rules_of(out), std::vector<std::string>{"execution_running_long"});
  EXPECT_NE(out[0].message.find("2 execution(s)"), std::string::npos);
  EXPECT_EQ(out[0].title, "Executions running longer than 30 minutes");
}

TEST(AdvisoryRulesTest, MetricRulesUseTheirAggregateAndThreshold) {
  ProjectFacts f;
  f.metrics.push_back(window_of("error_rate_pct", 2, 3.0, 2.0));   // average 1.5% > 1
  f.metrics.push_back(window_of("http_5xx_pct", 2, 10.0, 6.0));    // average 5%: not above
  f.metrics.push_back(window_of("pod_restarts", 4, 4.0, 1.0));     // sum 4 > 3
  f.metrics.push_back(window_of("http_429_pct", 1, 9.0, 9.0));     // 9% <= 10
  f.metrics.push_back(window_of("rpc_p95_ms", 3, 900.0, 501.0));   // max 501 > 500
  f.metrics.push_back(window_of("db_pool_pct", 1, 80.0, 80.0));    // 80: not above
  f.metrics.push_back(window_of("migration_duration_s", 1, 121.0, 121.0, seconds{3600}));
  f.metrics.push_back(window_of("cpu_pct", 1, 99.0, 99.0));        // no rule reads it
  // A window the rule does not use is not its window.
  f.metrics.push_back(window_of("http_429_pct", 1, 50.0, 50.0, seconds{3600}));
  auto out = evaluate_advisories(f, AdvisoryThresholds{});
  EXPECT_EQ(rules_of(out), (std::vector<std::string>{"error_rate", "pod_restarts", "rpc_latency",
                                                     "migration_duration"}));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_DOUBLE_EQ(out[0].observed, 1.5);
  EXPECT_DOUBLE_EQ(out[1].observed, 4.0);
  EXPECT_DOUBLE_EQ(out[2].observed, 501.0);
  EXPECT_DOUBLE_EQ(out[3].observed, 121.0);
  EXPECT_NE(out[1].message.find("total of pod_restarts over the last 5 minutes is 4"),
            std::string::npos)
      << out[1].message;
}

TEST(AdvisoryRulesTest, MetricWindowsAreTheEnabledRulesDistinctWindows) {
  AdvisoryThresholds t;
  EXPECT_EQ(metric_windows(t), (std::vector<seconds>{seconds{300}, seconds{3600}}));
  for (auto& r : t.rules)
    if (r.rule == "migration_duration") r.enabled = false;
  EXPECT_EQ(metric_windows(t), (std::vector<seconds>{seconds{300}}));
  EXPECT_NE(enabled_rule(t, RuleInput::kDeploymentSuccessRate), nullptr);
  t.rules[0].enabled = false;
  EXPECT_EQ(enabled_rule(t, RuleInput::kDeploymentSuccessRate), nullptr);
}

TEST(AdvisoryRulesTest, OverridesApplyProjectOverGlobalOverDefault) {
  const AdvisoryRule& base = *find_advisory_rule("http_5xx_rate");
  RuleOverride global;
  global.threshold = 2;
  global.severity = "warning";
  RuleOverride project;
  project.threshold = 7;
  project.window_seconds = 600;

  AdvisoryRule none = effective_rule(base, nullptr, nullptr);
  EXPECT_EQ(none.source, SettingSource::kDefault);
  EXPECT_DOUBLE_EQ(none.threshold, 5);

  AdvisoryRule g = effective_rule(base, &global, nullptr);
  EXPECT_EQ(g.source, SettingSource::kGlobal);
  EXPECT_DOUBLE_EQ(g.threshold, 2);
  EXPECT_EQ(g.severity, "warning");
  EXPECT_EQ(g.window.count(), 300);

  AdvisoryRule p = effective_rule(base, &global, &project);
  EXPECT_EQ(p.source, SettingSource::kProject);
  EXPECT_DOUBLE_EQ(p.threshold, 7);      // project wins
  EXPECT_EQ(p.severity, "warning");      // inherited from global
  EXPECT_EQ(p.window.count(), 600);
  EXPECT_TRUE(p.enabled);                // default
  EXPECT_EQ(rule_title(p), "HTTP 5xx above 7% over 10 minutes");
  EXPECT_EQ(to_string(p.source), "project");
}

TEST(AdvisoryRulesTest, ConfiguredThresholdAndDisabledRulesChangeFindings) {
  AdvisoryThresholds t;
  ProjectFacts f;
  f.metrics.push_back(window_of("error_rate_pct", 1, 3.0, 3.0));
  f.deployments_finished = 10;
  f.deployments_succeeded = 6;
  EXPECT_EQ(rules_of(evaluate_advisories(f, t)),
            (std::vector<std::string>{"deployment_success_rate", "error_rate"}));
  for (auto& r : t.rules) {
    if (r.rule == "error_rate") r.threshold = 5;           // 3% is fine now
    if (r.rule == "deployment_success_rate") r.enabled = false;
  }
  EXPECT_TRUE(evaluate_advisories(f, t).empty());
  // A disabled rule is still evaluated (its open advisory resolves).
  EXPECT_EQ(advisory_rule_ids(t).size(), advisory_rule_catalog().size());
}

TEST(AdvisoryRulesTest, CustomRulesCanBeEvaluated) {
  AdvisoryThresholds t;
  AdvisoryRule cpu;
  cpu.rule = "cpu";
  cpu.metric = "cpu_pct";
  cpu.threshold = 90;
  cpu.unit = "%";
  cpu.title = "CPU above {threshold}";
  t.rules = {cpu};
  ProjectFacts f;
  f.metrics.push_back(window_of("cpu_pct", 1, 95.0, 95.0));
  f.metrics.push_back(window_of("error_rate_pct", 1, 50.0, 50.0));
  auto out = evaluate_advisories(f, t);
  EXPECT_EQ(rules_of(out), std::vector<std::string>{"cpu"});
  EXPECT_EQ(out[0].title, "CPU above 90%");
  EXPECT_EQ(advisory_rule_ids(t), std::vector<std::string>{"cpu"});
}

TEST(AdvisoryRulesTest, OverrideValidationNamesTheField) {
  const AdvisoryRule& pct = *find_advisory_rule("error_rate");
  const AdvisoryRule& ms = *find_advisory_rule("rpc_latency");
  auto field_of = [](const AdvisoryRule& r, RuleOverride o) {
    Status s = validate_override(r, o);
    return s.ok() ? std::string("ok") : s.error().field;
  };
  EXPECT_EQ(field_of(pct, {50.0, 600, "critical", true}), "ok");
  EXPECT_EQ(field_of(pct, {101.0, {}, {}, {}}), "threshold");
  EXPECT_EQ(field_of(ms, {101.0, {}, {}, {}}), "ok");
  EXPECT_EQ(field_of(ms, {-1.0, {}, {}, {}}), "threshold");
  EXPECT_EQ(field_of(ms, {std::nan(""), {}, {}, {}}), "threshold");
  EXPECT_EQ(field_of(ms, {{}, 59, {}, {}}), "window_seconds");
  EXPECT_EQ(field_of(ms, {{}, 90LL * 86400 + 1, {}, {}}), "window_seconds");
  EXPECT_EQ(field_of(ms, {{}, {}, "urgent", {}}), "severity");
}

TEST(AdvisoryRulesTest, WindowsAreDescribedForPeople) {
  EXPECT_EQ(describe_window(seconds{300}), "5 minutes");
  EXPECT_EQ(describe_window(seconds{60}), "1 minute");
  EXPECT_EQ(describe_window(seconds{3600}), "1 hour");
  EXPECT_EQ(describe_window(seconds{86400}), "24 hours");
  EXPECT_EQ(describe_window(seconds{90}), "90 seconds");
}

TEST(MetricNameTest, AcceptsSeedNamesRejectsOthers) {
  EXPECT_TRUE(valid_metric_name("cpu_pct"));
  EXPECT_TRUE(valid_metric_name("mem_mb"));
  EXPECT_TRUE(valid_metric_name("http.server:5xx_pct"));
  EXPECT_FALSE(valid_metric_name(""));
  EXPECT_FALSE(valid_metric_name("5xx"));
  EXPECT_FALSE(valid_metric_name("cpu pct"));
  EXPECT_FALSE(valid_metric_name("cpu-pct"));
  EXPECT_FALSE(valid_metric_name(std::string(129, 'a')));
  EXPECT_TRUE(valid_metric_name(std::string(128, 'a')));
}

}  // namespace
}  // namespace opz::telemetry
