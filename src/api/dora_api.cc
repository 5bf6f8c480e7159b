// GET /api/v1/projects/{id}/dora?window=7d|30d|90d&environment=Production
// (projects.read; issue 13): the four DORA metrics of a project, optionally
// of one environment, over the window ending now, and a daily series.
// The records come from store::DoraStore, the computation from the pure
// telemetry::compute_dora (definitions in telemetry/dora.h). Metrics with
// nothing to measure are null. lead_time_basis says where lead time starts:
// "commit_time" (the trigger's head_commit.timestamp), "execution_created"
// (no commit time recorded), "mixed", or null (no successful deployment).
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/report_window.h"
#include "api/routes.h"
#include "core/json_optional.h"
#include "core/time_format.h"
#include "store/dora_store.h"
#include "telemetry/dora.h"

namespace opz::api {

namespace {

std::vector<telemetry::DoraDeployment> to_records(
    const std::vector<store::DoraDeploymentRow>& rows) {
  std::vector<telemetry::DoraDeployment> out;
  for (const auto& r : rows) {
    auto finished = parse_time(r.finished_at);
    auto created = parse_time(r.execution_created_at);
    if (!finished || !created) continue;  // rows are written by us; never expected
    telemetry::DoraDeployment d{r.environment, r.status, *finished, std::nullopt, *created};
    if (auto commit = parse_time(r.commit_timestamp); !r.commit_timestamp.empty() && commit)
      d.commit_time = *commit;
    out.push_back(std::move(d));
  }
  return out;
}

Json dora_json(const telemetry::DoraMetrics& m, const std::string& window,
               const std::string& environment) {
  Json series = Json::array();
  for (const auto& day : m.series)
    series.push_back(
        {{"date", day.date}, {"deployments", day.deployments}, {"failures", day.failures}});
  Json weekly = Json::array();
  for (const auto& week : m.weekly_series)
    weekly.push_back({{"week", week.week},
                      {"start_date", week.start_date},
                      {"deployments", week.deployments},
                      {"failures", week.failures}});
  return Json{
      {"deployment_frequency", m.deployment_frequency},
      {"lead_time_seconds", value_or_null(m.lead_time_seconds)},
      {"lead_time_basis", string_or_null(m.lead_time_basis)},
      {"change_failure_rate", value_or_null(m.change_failure_rate)},
      {"time_to_restore_seconds", value_or_null(m.time_to_restore_seconds)},
      {"window", window},
      {"environment", string_or_null(environment)},
      {"series", std::move(series)},
      {"weekly_series", std::move(weekly)}};
}

}  // namespace

Status register_dora_routes(http::Router& r, ApiContext& ctx) {
  return add_endpoint(
      r, ctx, "GET", "/api/v1/projects/{id}/dora", "projects.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        const std::string project_id = req.param("id");
        OPZ_TRY_STATUS(check_id(project_id, "project"));
        OPZ_TRY_STATUS(ctx.projects.find_project(project_id));
        const std::string window = req.query_or("window", "7d");
        OPZ_TRY(int days, report_window_days(window));
        const std::string environment = req.query_or("environment");
        if (environment.size() > 200)
          return Error::validation("environment is at most 200 characters", "environment");
        const TimePoint now = ctx.clock.now();
        const TimePoint start = now - std::chrono::hours(24 * days);
        store::DoraStore store(ctx.db);
        OPZ_TRY(auto rows, store.finished_deployments(project_id, environment, format_time(start)));
        return Reply{200, dora_json(telemetry::compute_dora(to_records(rows), start, now), window,
                                    environment)};
      });
}

}  // namespace opz::api
