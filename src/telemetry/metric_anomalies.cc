#include "telemetry/metric_anomalies.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

namespace opz::telemetry {

namespace {

constexpr double kRelativeDeviationFloor = 0.01;
constexpr double kAbsoluteDeviationFloor = 1e-9;

struct Series {
  std::vector<const MetricPoint*> recent;
  std::vector<const MetricPoint*> baseline;
};

double point_mean(const MetricPoint& p) { return p.sum / static_cast<double>(p.samples); }

double hours_since(TimePoint origin, TimePoint t) {
  return std::chrono::duration<double, std::ratio<3600>>(t - origin).count();
}

// Least-squares slope of the point means per hour; nullopt when the points do
// not span any time.
std::optional<double> slope_per_hour(const std::vector<const MetricPoint*>& points) {
  if (points.size() < 2) return std::nullopt;
  const TimePoint origin = points.front()->bucket;
  double mean_x = 0, mean_y = 0;
  for (const MetricPoint* p : points) {
    mean_x += hours_since(origin, p->bucket);
    mean_y += point_mean(*p);
  }
  const double n = static_cast<double>(points.size());
  mean_x /= n;
  mean_y /= n;
  double sxy = 0, sxx = 0;
  for (const MetricPoint* p : points) {
    const double dx = hours_since(origin, p->bucket) - mean_x;
    sxy += dx * (point_mean(*p) - mean_y);
    sxx += dx * dx;
  }
  if (sxx == 0) return std::nullopt;
  return sxy / sxx;
}

MetricAnalysis analyse(const std::string& metric, const Series& s, const AnomalyOptions& options) {
  MetricAnalysis a;
  a.metric = metric;
  a.points = static_cast<int64_t>(s.recent.size());
  a.baseline_points = static_cast<int64_t>(s.baseline.size());
  if (!s.recent.empty()) {
    double sum = 0, samples = 0;
    for (const MetricPoint* p : s.recent) {
      sum += p->sum;
      samples += static_cast<double>(p->samples);
    }
    a.recent_mean = sum / samples;
    a.trend_per_hour = slope_per_hour(s.recent);
  }
  if (!s.baseline.empty()) {
    double mean = 0;
    for (const MetricPoint* p : s.baseline) mean += point_mean(*p);
    mean /= static_cast<double>(s.baseline.size());
    double variance = 0;
    for (const MetricPoint* p : s.baseline) variance += std::pow(point_mean(*p) - mean, 2);
    variance /= static_cast<double>(s.baseline.size());
    a.baseline_mean = mean;
    a.baseline_stddev = std::sqrt(variance);
    const double deviation = std::max({*a.baseline_stddev, kRelativeDeviationFloor * std::abs(mean),
                                       kAbsoluteDeviationFloor});
    if (a.recent_mean) a.z_score = (*a.recent_mean - mean) / deviation;
  }
  if (s.baseline.empty())
    a.status = "new";
  else if (a.z_score && a.baseline_points >= options.min_baseline_points &&
           std::abs(*a.z_score) >= options.z_threshold)
    a.status = "anomalous";
  else
    a.status = "normal";
  return a;
}

}  // namespace

std::vector<MetricAnalysis> analyse_metrics(const std::vector<MetricPoint>& recent,
                                            const std::vector<MetricPoint>& baseline,
                                            const AnomalyOptions& options) {
  std::map<std::string, Series> by_metric;
  for (const MetricPoint& p : recent)
    if (p.samples > 0) by_metric[p.metric].recent.push_back(&p);
  for (const MetricPoint& p : baseline)
    if (p.samples > 0) by_metric[p.metric].baseline.push_back(&p);
  std::vector<MetricAnalysis> out;
  for (auto& [metric, series] : by_metric) {
    std::sort(series.recent.begin(), series.recent.end(),
              [](const MetricPoint* a, const MetricPoint* b) { return a->bucket < b->bucket; });
    out.push_back(analyse(metric, series, options));
  }
  return out;
}

}  // namespace opz::telemetry
