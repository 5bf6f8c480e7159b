#include "api/insights_report.h"

#include "api/json_body.h"
#include "api/report_window.h"
#include "core/json_optional.h"
#include "core/time_format.h"
#include "store/insights_store.h"
#include "telemetry/insights.h"

namespace opz::api {

namespace {

std::optional<TimePoint> optional_time(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto t = parse_time(text);
  return t ? std::optional<TimePoint>(*t) : std::nullopt;
}

std::vector<telemetry::NodeRun> to_node_runs(std::vector<store::InsightNodeRunRow> rows) {
  std::vector<telemetry::NodeRun> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    auto finished = parse_time(r.finished_at);
    if (!finished) continue;  // rows are written by the engine; never expected
    telemetry::NodeRun n;
    n.execution_id = std::move(r.execution_id);
    n.node_id = std::move(r.node_id);
    n.status = std::move(r.status);
    n.attempts = static_cast<int>(r.attempt);
    n.exit_code = r.exit_code;
    n.duration_ms = r.duration_ms;
    n.finished_at = *finished;
    n.commit = std::move(r.commit_hash);
    n.branch = std::move(r.branch);
    n.log_tail = std::move(r.log_tail);
    n.error = std::move(r.error);
    n.queued_at = optional_time(r.queued_at);
    n.first_started_at = optional_time(r.first_started_at);
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<telemetry::ExecutionTiming> to_timings(
    const std::vector<store::InsightExecutionRow>& rows) {
  std::vector<telemetry::ExecutionTiming> out;
  for (const auto& r : rows)
    if (auto created = parse_time(r.created_at))
      out.push_back({r.id, *created, optional_time(r.started_at)});
  return out;
}

Json insights_json(const telemetry::Insights& in) {
  Json slowest = Json::array();
  for (const auto& s : in.slowest_nodes) {
    Json series = Json::array();
    for (const auto& d : s.series)
      series.push_back({{"date", d.date}, {"p95_ms", d.p95_ms}, {"runs", d.runs}});
    slowest.push_back({{"node_id", s.node_id},
                       {"runs", s.runs},
                       {"p50_ms", s.p50_ms},
                       {"p95_ms", s.p95_ms},
                       {"previous_p95_ms", value_or_null(s.previous_p95_ms)},
                       {"trend", s.trend},
                       {"series", std::move(series)}});
  }
  Json flaky = Json::array();
  for (const auto& f : in.flaky_nodes)
    flaky.push_back({{"node_id", f.node_id},
                     {"runs", f.runs},
                     {"failures", f.failures},
                     {"passed_after_retry", f.passed_after_retry},
                     {"flips", f.flips},
                     {"score", f.score}});
  Json clusters = Json::array();
  for (const auto& c : in.failure_clusters)
    clusters.push_back({{"signature", c.signature},
                        {"exit_code", value_or_null(c.exit_code)},
                        {"count", c.count},
                        {"first_seen", format_time(c.first_seen)},
                        {"last_seen", format_time(c.last_seen)},
                        {"example_execution_ids", c.example_execution_ids},
                        {"node_ids", c.node_ids}});
  const auto& w = in.queue_wait;
  return Json{{"slowest_nodes", std::move(slowest)},
              {"flaky_nodes", std::move(flaky)},
              {"failure_clusters", std::move(clusters)},
              {"queue_wait",
               {{"p50_ms", value_or_null(w.executions.p50_ms)},
                {"p95_ms", value_or_null(w.executions.p95_ms)},
                {"executions", w.executions.samples},
                {"nodes",
                 {{"p50_ms", value_or_null(w.nodes.p50_ms)},
                  {"p95_ms", value_or_null(w.nodes.p95_ms)},
                  {"runs", w.nodes.samples}}}}}};
}

}  // namespace

Result<Json> insights_report(ApiContext& ctx, const std::string& project_id,
                             const std::string& window) {
  OPZ_TRY_STATUS(check_id(project_id, "project"));
  OPZ_TRY_STATUS(ctx.projects.find_project(project_id));
  OPZ_TRY(int days, report_window_days(window));
  const TimePoint now = ctx.clock.now();
  const TimePoint start = now - std::chrono::hours(24 * days);
  const std::string since = format_time(start - std::chrono::hours(24 * days));
  store::InsightsStore store(ctx.db);
  OPZ_TRY(auto runs, store.node_runs(project_id, since));
  OPZ_TRY(auto executions, store.executions(project_id, format_time(start)));
  Json body = insights_json(telemetry::compute_insights(to_node_runs(std::move(runs)),
                                                        to_timings(executions), start, now));
  body["window"] = window;
  body["window_start"] = format_time(start);
  body["generated_at"] = format_time(now);
  return body;
}

}  // namespace opz::api
