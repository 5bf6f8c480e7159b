// A canary analysis whose source is an ingested ops metric (issue 13):
// `metric`, `aggregate`, `window` in YAML and in the canonical JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/deploy_spec.h"
#include "pipeline/pipeline_yaml.h"

namespace opz::pipeline {
namespace {

using std::chrono::minutes;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string canary_with(std::string_view analysis) {
  return "nodes:\n  deploy:\n    type: deploy\n    strategy: canary\n    traffic: t\n"
         "    run: x\n    steps:\n      - analysis: " +
         std::string(analysis) + "\n";
}

std::optional<AnalysisSpec> read_analysis(std::string_view analysis) {
  auto p = parse_pipeline_yaml(canary_with(analysis));
  EXPECT_TRUE(p.ok()) << p.error().to_string();
  if (!p.ok() || !p->nodes.front().deploy) return std::nullopt;
  return p->nodes.front().deploy->steps.front().analysis;
}

TEST(AnalysisMetric, ReadsMetricAggregateAndWindow) {
  auto a = read_analysis(
      "{metric: http_5xx_pct, aggregate: max, window: 5m, threshold: {max: 5}, min_samples: 3, "
      "interval: 30s, failure_limit: 2}");
  ASSERT_TRUE(a);
  AnalysisSpec want;
  want.metric = "http_5xx_pct";
  want.aggregate = MetricAggregate::kMax;
  want.window = minutes{5};
  want.max = 5;
  want.min_samples = 3;
  want.interval = std::chrono::seconds{30};
  want.failure_limit = 2;
  EXPECT_EQ(*a, want);
}

TEST(AnalysisMetric, AggregateDefaultsToAvgAndWindowToTheInterval) {
  auto a = read_analysis("{metric: \"db:pool.used_pct\", threshold: {min: 1}}");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->metric, "db:pool.used_pct");
  EXPECT_EQ(a->aggregate, MetricAggregate::kAvg);
  EXPECT_EQ(a->window, std::nullopt);
  EXPECT_EQ(a->min, 1.0);
}

TEST(AnalysisMetric, EveryAggregateNameRoundTrips) {
  for (std::string_view name : {"avg", "max", "min", "sum", "count"}) {
    auto a = metric_aggregate_from_string(name);
    ASSERT_TRUE(a) << name;
    EXPECT_EQ(to_string(*a), name);
  }
  EXPECT_EQ(metric_aggregate_from_string("p99"), std::nullopt);
  EXPECT_EQ(metric_aggregate_from_string("AVG"), std::nullopt);
}

TEST(AnalysisMetric, BadInputNamesItsField) {
  struct Expected {
    std::string_view analysis;
    std::string_view path;
    std::string_view says;
  };
  const Expected cases[] = {
      {"{metric: 5xx_pct, threshold: {max: 5}}", "nodes.deploy.steps[0].analysis.metric",
       "'5xx_pct' is not a metric name"},
      {"{metric: \"http 5xx\", threshold: {max: 5}}", "nodes.deploy.steps[0].analysis.metric",
       "is not a metric name"},
      {"{metric: http_5xx_pct, aggregate: p99, threshold: {max: 5}}",
       "nodes.deploy.steps[0].analysis.aggregate",
       "unknown aggregate 'p99'; expected one of avg, max, min, sum, count"},
      {"{metric: http_5xx_pct, window: 10ms, threshold: {max: 5}}",
       "nodes.deploy.steps[0].analysis.window", "must be between"},
      {"{metric: http_5xx_pct}", "nodes.deploy.steps[0].analysis", "needs threshold"},
      {"{metric: http_5xx_pct, command: c, threshold: {max: 5}}",
       "nodes.deploy.steps[0].analysis", "give one of command, url, metric or health"},
      {"{metric: http_5xx_pct, health: {command: c}}", "nodes.deploy.steps[0].analysis",
       "not several"},
      {"{command: c, aggregate: max, threshold: {max: 5}}", "nodes.deploy.steps[0].analysis",
       "aggregate and window apply to a metric analysis only"},
      {"{metric: http_5xx_pct, threshold: {max: 5}, windw: 5m}",
       "nodes.deploy.steps[0].analysis", "unknown key 'windw'"},
  };
  for (const Expected& c : cases) {
    SCOPED_TRACE(c.analysis);
    ValidationReport report = validate_pipeline_yaml(canary_with(c.analysis));
    ASSERT_EQ(report.errors.size(), 1u) << report.errors.front().message;
    const Error& e = report.errors.front();
    EXPECT_EQ(e.code, ErrorCode::kValidation);
    EXPECT_THAT(e.message, StartsWith(std::string(c.path) + ": "));
    EXPECT_THAT(e.message, HasSubstr(c.says));
  }
}

TEST(AnalysisMetric, CanonicalJsonRoundTrips) {
  AnalysisSpec analysis;
  analysis.metric = "error_rate_pct";
  analysis.aggregate = MetricAggregate::kSum;
  analysis.window = minutes{10};
  analysis.max = 2.5;
  DeploySpec spec;
  spec.strategy = DeployStrategy::kCanary;
  spec.traffic_command = "./weights.sh";
  spec.steps = {{CanaryStepKind::kAnalysis, 0, {}, analysis}};
  Json j = to_json(spec);
  const Json& a = j["steps"][0]["analysis"];
  EXPECT_EQ(a["metric"], "error_rate_pct");
  EXPECT_EQ(a["aggregate"], "sum");
  EXPECT_EQ(a["window_ms"], 600000);
  auto back = deploy_spec_from_json(Json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, spec);

  Json bad = j;
  bad["steps"][0]["analysis"]["aggregate"] = "median";
  auto r = deploy_spec_from_json(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "deploy.steps[0].analysis.aggregate");
}

}  // namespace
}  // namespace opz::pipeline
