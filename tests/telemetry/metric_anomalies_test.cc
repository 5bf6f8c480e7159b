#include "telemetry/metric_anomalies.h"

#include <gtest/gtest.h>

#include <chrono>

namespace opz::telemetry {
namespace {

using std::chrono::minutes;

const TimePoint kStart{std::chrono::seconds{1700000000}};

// One point a minute from `from`, `values[i]` as a single sample's value.
std::vector<MetricPoint> series(const std::string& metric, TimePoint from,
                                const std::vector<double>& values) {
  std::vector<MetricPoint> out;
  for (size_t i = 0; i < values.size(); ++i)
    out.push_back({metric, from + minutes(static_cast<int>(i)), 1, values[i]});
  return out;
}

std::vector<double> repeated(std::initializer_list<double> pattern, size_t n) {
  std::vector<double> out;
  while (out.size() < n)
    for (double v : pattern)
      if (out.size() < n) out.push_back(v);
  return out;
}

const TimePoint kRecent = kStart + minutes(60);

TEST(MetricAnomaliesTest, AFlatSeriesIsNormalWithZeroTrend) {
  auto baseline = series("cpu_pct", kStart, repeated({40, 41}, 60));
  auto recent = series("cpu_pct", kRecent, repeated({40, 41}, 20));
  auto result = analyse_metrics(recent, baseline);
  ASSERT_EQ(result.size(), 1u);
  const MetricAnalysis& a = result[0];
  EXPECT_EQ(a.metric, "cpu_pct");
  EXPECT_EQ(a.status, "normal");
  EXPECT_DOUBLE_EQ(*a.recent_mean, 40.5);
  EXPECT_DOUBLE_EQ(*a.baseline_mean, 40.5);
  EXPECT_DOUBLE_EQ(*a.baseline_stddev, 0.5);
  EXPECT_DOUBLE_EQ(*a.z_score, 0);
  EXPECT_NEAR(*a.trend_per_hour, 0, 1);  // the 40/41 alternation tilts it a little
  EXPECT_EQ(a.points, 20);
  EXPECT_EQ(a.baseline_points, 60);
}

TEST(MetricAnomaliesTest, ASpikeIsAnomalousAndTheNeighbourIsNot) {
  auto baseline = series("latency_ms", kStart, repeated({100, 101}, 30));
  auto flat = series("cpu_pct", kStart, repeated({40, 41}, 30));
  baseline.insert(baseline.end(), flat.begin(), flat.end());
  auto recent = series("latency_ms", kRecent, {500, 500});
  auto cpu_now = series("cpu_pct", kRecent, {40, 41});
  recent.insert(recent.end(), cpu_now.begin(), cpu_now.end());
  auto result = analyse_metrics(recent, baseline);
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0].metric, "cpu_pct");
  EXPECT_EQ(result[0].status, "normal");
  EXPECT_EQ(result[1].metric, "latency_ms");
  EXPECT_EQ(result[1].status, "anomalous");
  EXPECT_TRUE(result[1].anomalous());
  // stddev 0.5 is below the floor of 1% of the mean (1.005)
  EXPECT_DOUBLE_EQ(*result[1].z_score, (500 - 100.5) / 1.005);
}

TEST(MetricAnomaliesTest, ADriftShowsAsTrendPerHourAndAFallIsNegativeZ) {
  std::vector<double> rising;
  for (int i = 0; i < 31; ++i) rising.push_back(10 + i);  // +1 a minute
  auto result = analyse_metrics(series("queue_depth", kRecent, rising),
                                series("queue_depth", kStart, repeated({60, 62}, 20)));
  ASSERT_EQ(result.size(), 1u);
  EXPECT_NEAR(*result[0].trend_per_hour, 60, 1e-9);
  EXPECT_DOUBLE_EQ(*result[0].recent_mean, 25);
  EXPECT_LT(*result[0].z_score, -3);
  EXPECT_EQ(result[0].status, "anomalous");
}

TEST(MetricAnomaliesTest, AFlatBaselineGetsAFiniteZFromTheOnePercentFloor) {
  auto result = analyse_metrics(series("mem_mb", kRecent, {1020}),
                                series("mem_mb", kStart, repeated({1000}, 15)));
  ASSERT_EQ(result.size(), 1u);
  EXPECT_DOUBLE_EQ(*result[0].baseline_stddev, 0);
  EXPECT_DOUBLE_EQ(*result[0].z_score, 2);  // 20 / (1% of 1000)
  EXPECT_EQ(result[0].status, "normal");
  EXPECT_FALSE(result[0].trend_per_hour);  // one recent point
}

TEST(MetricAnomaliesTest, TooFewBaselinePointsOrNoneAreNeverAnomalous) {
  auto few = analyse_metrics(series("x", kRecent, {900}), series("x", kStart, {1, 2, 1}));
  ASSERT_EQ(few.size(), 1u);
  EXPECT_GT(*few[0].z_score, 3);
  EXPECT_EQ(few[0].status, "normal");
  EXPECT_EQ(analyse_metrics(series("x", kRecent, {900}), series("x", kStart, {1, 2, 1}),
                            {.z_threshold = 3, .min_baseline_points = 3})[0]
                .status,
            "anomalous");

  auto fresh = analyse_metrics(series("y", kRecent, {5, 6}), {});
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].status, "new");
  EXPECT_FALSE(fresh[0].baseline_mean);
  EXPECT_FALSE(fresh[0].z_score);

  auto silent = analyse_metrics({}, series("z", kStart, repeated({1, 2}, 20)));
  ASSERT_EQ(silent.size(), 1u);
  EXPECT_EQ(silent[0].status, "normal");
  EXPECT_FALSE(silent[0].recent_mean);
  EXPECT_EQ(silent[0].points, 0);
}

TEST(MetricAnomaliesTest, TheRecentMeanWeighsBucketsBySamples) {
  std::vector<MetricPoint> recent{{"x", kRecent, 3, 30}, {"x", kRecent + minutes(1), 1, 50},
                                  {"x", kRecent + minutes(2), 0, 0}};
  auto result = analyse_metrics(recent, {});
  EXPECT_DOUBLE_EQ(*result[0].recent_mean, 20);  // 80 / 4; the empty bucket ignored
  EXPECT_EQ(result[0].points, 2);
}

}  // namespace
}  // namespace opz::telemetry
