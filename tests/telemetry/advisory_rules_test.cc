#include "telemetry/advisory_rules.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "telemetry/metric_name.h"

namespace opz::telemetry {
namespace {

std::vector<std::string> rules_of(const std::vector<Finding>& f) {
  std::vector<std::string> out;
  for (const auto& x : f) out.push_back(x.rule);
  return out;
}

TEST(AdvisoryRulesTest, QuietProjectHasNoFindings) {
  EXPECT_TRUE(evaluate_advisories(ProjectFacts{}, AdvisoryThresholds{}).empty());
}

TEST(AdvisoryRulesTest, DeploymentSuccessRateBelow95PercentFires) {
  ProjectFacts f;
  f.deployments_finished = 20;
  f.deployments_succeeded = 18;  // 90%
  auto out = evaluate_advisories(f, AdvisoryThresholds{});
  ASSERT_EQ(rules_of(out), std::vector<std::string>{"deployment_success_rate"});
  EXPECT_DOUBLE_EQ(out[0].observed, 0.9);
  EXPECT_DOUBLE_EQ(out[0].threshold, 0.95);
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
}

TEST(AdvisoryRulesTest, MetricRulesUseTheirAggregateAndThreshold) {
  ProjectFacts f;
  // error rate: average 1.5% (> 1)
  f.metrics.push_back({"error_rate_pct", 2, 3.0, 2.0});
  // 5xx: average 5% exactly -> not above
  f.metrics.push_back({"http_5xx_pct", 2, 10.0, 6.0});
  // pod restarts: sum 4 (> 3) though each sample is small
  f.metrics.push_back({"pod_restarts", 4, 4.0, 1.0});
  // 429s average 9%
  f.metrics.push_back({"http_429_pct", 1, 9.0, 9.0});
  // rpc p95 max 501 ms
  f.metrics.push_back({"rpc_p95_ms", 3, 900.0, 501.0});
  // pool max 80 exactly -> not above
  f.metrics.push_back({"db_pool_pct", 1, 80.0, 80.0});
  // migration 121 s
  f.metrics.push_back({"migration_duration_s", 1, 121.0, 121.0});
  // an unrelated metric never fires
  f.metrics.push_back({"cpu_pct", 1, 99.0, 99.0});
  auto out = evaluate_advisories(f, AdvisoryThresholds{});
  EXPECT_EQ(rules_of(out), (std::vector<std::string>{"error_rate", "pod_restarts", "rpc_latency",
                                                     "migration_duration"}));
  EXPECT_DOUBLE_EQ(out[0].observed, 1.5);
  EXPECT_DOUBLE_EQ(out[1].observed, 4.0);
  EXPECT_DOUBLE_EQ(out[2].observed, 501.0);
}

TEST(AdvisoryRulesTest, ThresholdsAreConfigurable) {
  AdvisoryThresholds t;
  t.min_deployment_success_rate = 0.5;
  t.metric_rules = {{"cpu", "cpu_pct", WindowAggregate::kAverage, 90, "warning", "CPU"}};
  ProjectFacts f;
  f.deployments_finished = 10;
  f.deployments_succeeded = 6;
  f.metrics.push_back({"cpu_pct", 1, 95.0, 95.0});
  f.metrics.push_back({"error_rate_pct", 1, 50.0, 50.0});
  EXPECT_EQ(rules_of(evaluate_advisories(f, t)), std::vector<std::string>{"cpu"});
  auto ids = advisory_rule_ids(t);
  EXPECT_EQ(ids, (std::vector<std::string>{"deployment_success_rate", "execution_running_long",
                                           "cpu"}));
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
