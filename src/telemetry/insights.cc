// compute_insights, slowest nodes and queue wait (telemetry/insights.h); flaky
// nodes and failure clusters are in flaky_nodes.cc and failure_clusters.cc.
#include "telemetry/insights.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/time_format.h"

namespace opz::telemetry {

namespace {

bool is_finished(const NodeRun& r) { return r.status == "success" || r.status == "failed"; }

int64_t millis_between(TimePoint from, TimePoint to) {
  return std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count());
}

std::string trend_of(int64_t p95, const std::optional<int64_t>& previous) {
  if (!previous) return "new";
  const double before = static_cast<double>(*previous);
  const double now = static_cast<double>(p95);
  if (now > before * 1.1) return "slower";
  if (now < before * 0.9) return "faster";
  return "steady";
}

WaitFigures figures(std::vector<int64_t> waits) {
  WaitFigures f;
  f.samples = static_cast<int64_t>(waits.size());
  f.p50_ms = nearest_rank(waits, 0.5);
  f.p95_ms = nearest_rank(std::move(waits), 0.95);
  return f;
}

}  // namespace

std::optional<int64_t> nearest_rank(std::vector<int64_t> values, double p) {
  if (values.empty()) return std::nullopt;
  const size_t n = values.size();
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(n)));
  rank = std::clamp<size_t>(rank, 1, n);
  std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(rank - 1),
                   values.end());
  return values[rank - 1];
}

std::vector<SlowNode> slowest_nodes(const std::vector<NodeRun>& runs, TimePoint window_start,
                                    TimePoint now) {
  const TimePoint previous_start = window_start - (now - window_start);
  struct Durations {
    std::vector<int64_t> current, previous;
    std::map<std::string, std::vector<int64_t>> by_day;
  };
  std::map<std::string, Durations> per_node;
  for (const NodeRun& r : runs) {
    if (!is_finished(r) || !r.duration_ms || r.finished_at >= now) continue;
    if (r.finished_at >= window_start) {
      Durations& d = per_node[r.node_id];
      d.current.push_back(*r.duration_ms);
      d.by_day[format_time(r.finished_at).substr(0, 10)].push_back(*r.duration_ms);
    } else if (r.finished_at >= previous_start) {
      per_node[r.node_id].previous.push_back(*r.duration_ms);
    }
  }
  std::vector<SlowNode> out;
  for (auto& [node_id, d] : per_node) {
    if (d.current.empty()) continue;
    SlowNode s;
    s.node_id = node_id;
    s.runs = static_cast<int64_t>(d.current.size());
    s.p50_ms = *nearest_rank(d.current, 0.5);
    s.p95_ms = *nearest_rank(d.current, 0.95);
    s.previous_p95_ms = nearest_rank(d.previous, 0.95);
    s.trend = trend_of(s.p95_ms, s.previous_p95_ms);
    for (auto& [date, values] : d.by_day)
      s.series.push_back({date, *nearest_rank(values, 0.95), static_cast<int64_t>(values.size())});
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const SlowNode& a, const SlowNode& b) {
    return a.p95_ms != b.p95_ms ? a.p95_ms > b.p95_ms : a.node_id < b.node_id;
  });
  if (out.size() > kInsightListLimit) out.resize(kInsightListLimit);
  return out;
}

QueueWait queue_wait(const std::vector<NodeRun>& window_runs,
                     const std::vector<ExecutionTiming>& window_executions) {
  std::vector<int64_t> execution_waits, node_waits;
  for (const ExecutionTiming& e : window_executions)
    if (e.started_at) execution_waits.push_back(millis_between(e.created_at, *e.started_at));
  for (const NodeRun& r : window_runs) {
    if (!r.first_started_at) continue;
    // Queued only on a retry (after the first start): the first start did not wait.
    const bool waited = r.queued_at && *r.queued_at <= *r.first_started_at;
    node_waits.push_back(waited ? millis_between(*r.queued_at, *r.first_started_at) : 0);
  }
  return {figures(std::move(execution_waits)), figures(std::move(node_waits))};
}

Insights compute_insights(const std::vector<NodeRun>& runs,
                          const std::vector<ExecutionTiming>& executions, TimePoint window_start,
                          TimePoint now) {
  std::vector<NodeRun> window_runs;
  for (const NodeRun& r : runs)
    if (is_finished(r) && r.finished_at >= window_start && r.finished_at < now)
      window_runs.push_back(r);
  std::vector<ExecutionTiming> window_executions;
  for (const ExecutionTiming& e : executions)
    if (e.created_at >= window_start && e.created_at < now) window_executions.push_back(e);
  Insights out;
  out.slowest_nodes = slowest_nodes(runs, window_start, now);
  out.flaky_nodes = flaky_nodes(window_runs);
  out.failure_clusters = failure_clusters(window_runs);
  out.queue_wait = queue_wait(window_runs, window_executions);
  return out;
}

}  // namespace opz::telemetry
