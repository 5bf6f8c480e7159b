// Telemetry analysis (issue 13; seed 004 ai-telemetry-analysis: "anomaly
// detection, performance trend analysis"):
//   POST /functions/v1/ai-telemetry-analysis
//        {"project_id", "window"?: "1h"|"6h"|"24h" (default 1h),
//         "baseline"?: "24h"|"7d" (default 24h)}              (projects.read)
// The seed lists the function without auth; Opzenix answers project data only
// to a token with projects.read. The facts are telemetry/metric_anomalies.h
// over the 1-minute rollups of the ingested ops metrics: the recent window is
// [now - window, now), the baseline the `baseline` before it. Answer:
//   200 {"project_id","window","baseline","metrics":[{"metric","recent_mean",
//        "baseline_mean","baseline_stddev","z_score","trend_per_hour","points",
//        "baseline_points","anomalous","status"}],"anomalies":[metric names],
//        "explanation": text | null, "model"? | "reason"?}
// With an AI endpoint configured (api/ai_chat.h) the facts go to it as
// context and its text is the explanation; a failing endpoint is 502
// {"error": {"code": "ai_endpoint_failed", ...}} with the facts still there.
// 404 unknown project; 422 naming "window" or "baseline".
#include "api/telemetry_analysis_api.h"

#include <chrono>

#include "api/ai_chat.h"
#include "api/endpoint.h"
#include "api/json_body.h"
#include "core/json_optional.h"
#include "core/time_format.h"
#include "store/ops_metrics_store.h"
#include "telemetry/metric_anomalies.h"

namespace opz::api {

namespace {

constexpr std::string_view kInstruction =
    "You are the operations assistant of Opzenix, a CI/CD server. The user message is a JSON "
    "analysis of a project's operational metrics: per metric the recent window's mean, the "
    "baseline's mean and standard deviation, the recent mean's z-score against the baseline, the "
    "trend (slope per hour) in the recent window and a status (anomalous when |z| >= 3, new when "
    "there is no baseline). Explain in a few short paragraphs which metrics are anomalous or "
    "trending, what that may mean for the service, and what to check next. Use only figures from "
    "the analysis.";

Result<std::chrono::hours> hours_of(
    std::string_view text, std::string_view field,
    std::initializer_list<std::pair<std::string_view, int>> allowed) {
  std::string names;
  for (const auto& [name, hours] : allowed) {
    if (text == name) return std::chrono::hours(hours);
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  return Error::validation(std::string(field) + " must be one of " + names, std::string(field));
}

Result<std::vector<telemetry::MetricPoint>> load_points(store::OpsMetricsStore& store,
                                                        const std::string& project_id,
                                                        TimePoint from, TimePoint to) {
  OPZ_TRY(auto rows, store.rollups_between(store::OpsMetricsStore::Resolution::kMinute, project_id,
                                           format_time(from), format_time(to)));
  std::vector<telemetry::MetricPoint> points;
  for (const store::OpsRollupRow& row : rows) {
    OPZ_TRY(TimePoint bucket, parse_time(row.bucket));
    points.push_back({row.metric, bucket, row.samples, row.sum});
  }
  return points;
}

Json analysis_json(const std::vector<telemetry::MetricAnalysis>& analyses) {
  Json metrics = Json::array();
  for (const telemetry::MetricAnalysis& a : analyses)
    metrics.push_back({{"metric", a.metric},
                       {"recent_mean", value_or_null(a.recent_mean)},
                       {"baseline_mean", value_or_null(a.baseline_mean)},
                       {"baseline_stddev", value_or_null(a.baseline_stddev)},
                       {"z_score", value_or_null(a.z_score)},
                       {"trend_per_hour", value_or_null(a.trend_per_hour)},
                       {"points", a.points},
                       {"baseline_points", a.baseline_points},
                       {"anomalous", a.anomalous()},
                       {"status", a.status}});
  return metrics;
}

Result<Reply> analyse(ApiContext& ctx, http::Request& req) {
  OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(f.reject_unknown({"project_id", "window", "baseline"}));
  OPZ_TRY(std::string project_id, f.required_string("project_id", 64));
  OPZ_TRY(auto window_text, f.optional_string("window", 16));
  OPZ_TRY(auto baseline_text, f.optional_string("baseline", 16));
  const std::string window_name = window_text.value_or("1h");
  const std::string baseline_name = baseline_text.value_or("24h");
  OPZ_TRY(auto window, hours_of(window_name, "window", {{"1h", 1}, {"6h", 6}, {"24h", 24}}));
  OPZ_TRY(auto baseline, hours_of(baseline_name, "baseline", {{"24h", 24}, {"7d", 24 * 7}}));
  OPZ_TRY_STATUS(check_id(project_id, "project"));
  OPZ_TRY_STATUS(ctx.projects.find_project(project_id));

  store::OpsMetricsStore store(ctx.db, ctx.clock);
  const TimePoint now = ctx.clock.now();
  OPZ_TRY(auto recent, load_points(store, project_id, now - window, now));
  OPZ_TRY(auto before, load_points(store, project_id, now - window - baseline, now - window));
  const auto analyses = telemetry::analyse_metrics(recent, before);
  Json anomalies = Json::array();
  for (const telemetry::MetricAnalysis& a : analyses)
    if (a.anomalous()) anomalies.push_back(a.metric);
  Json facts{{"project_id", project_id},
             {"window", window_name},
             {"baseline", baseline_name},
             {"metrics", analysis_json(analyses)},
             {"anomalies", std::move(anomalies)}};

  const AiSettings settings = ai_settings(ctx);
  if (!settings.configured()) {
    facts["explanation"] = nullptr;
    facts["reason"] = "no AI endpoint configured (config ai-endpoint)";
    return Reply{200, std::move(facts)};
  }
  auto answer = ask_ai(settings, ctx.outbound, kInstruction, facts);
  if (!answer) {
    facts["error"] = {{"code", "ai_endpoint_failed"}, {"message", answer.error().message}};
    return Reply{502, std::move(facts)};
  }
  facts["explanation"] = answer->text;
  facts["model"] = answer->model;
  return Reply{200, std::move(facts)};
}

}  // namespace

Status register_telemetry_analysis_routes(http::Router& r, ApiContext& ctx) {
  return add_endpoint(
      r, ctx, "POST", "/functions/v1/ai-telemetry-analysis", "projects.read",
      [&ctx](http::Request& req, const auth::Principal&) { return analyse(ctx, req); });
}

}  // namespace opz::api
