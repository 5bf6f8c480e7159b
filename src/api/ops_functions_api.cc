// The seeds' ops functions (issue 13; seed 003 "Test Edge Functions"):
//   POST /functions/v1/ops-metrics-ingest   header x-ops-ingest-token,
//        {"project_id","ts","samples":[{"metric","value"}]} -> {"inserted": N}
//   POST /functions/v1/ops-advisory-scan    header x-ops-advisory-token
//        -> {"advisories_created": N}
// Both are called by machines with a shared token (config ops-ingest-token /
// OPS_INGEST_TOKEN, ops-advisory-scan-token / OPS_ADVISORY_SCAN_TOKEN), not by
// users: they are public routes that check the token themselves, compared in
// constant time (both sides hashed first, so even the length does not leak).
// No token configured: 503 saying how to set one. A rejected ingest stores
// nothing (one transaction); the rollups are refreshed after every ingest and
// before every scan (incremental: the cost is what was added).
// What the scan found is read by users through
//   GET /api/v1/projects/{id}/advisories?status=open|resolved (projects.read).
// The scan itself is advisory_scan.cc; its rules' settings are
// GET/PUT /api/v1/advisory-rules (advisory_rules_api.cc).
#include <cmath>

#include "api/advisory_settings.h"
#include "api/endpoint.h"
#include "api/function_token.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/scheduled_checks.h"
#include "core/time_format.h"
#include "store/advisory_store.h"
#include "store/ops_metrics_store.h"
#include "telemetry/metric_name.h"

namespace opz::api {

namespace {

constexpr size_t kMaxSamples = 10000;

struct IngestRequest {
  std::string project_id;
  std::string ts;
  std::vector<store::OpsSample> samples;
};

Result<IngestRequest> read_ingest(const Json& body, TimePoint now, std::chrono::seconds max_future,
                                  std::chrono::seconds max_past) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.reject_unknown({"project_id", "ts", "samples"}));
  IngestRequest in;
  OPZ_TRY(in.project_id, f.required_string("project_id", 64));
  OPZ_TRY(std::string ts_text, f.required_string("ts", 64));
  auto ts = parse_time(ts_text);
  if (!ts) return Error::validation("ts must be an ISO 8601 time, got '" + ts_text + "'", "ts");
  if (*ts > now + max_future)
    return Error::validation("ts " + ts_text + " is more than " +
                                 std::to_string(max_future.count()) +
                                 " s ahead of the server's clock",
                             "ts");
  if (*ts < now - max_past)
    return Error::validation("ts " + ts_text + " is more than " + std::to_string(max_past.count()) +
                                 " s behind the server's clock",
                             "ts");
  in.ts = format_time(*ts);
  auto samples = body.find("samples");
  if (samples == body.end() || !samples->is_array() || samples->empty())
    return Error::validation("'samples' must be a non-empty array", "samples");
  if (samples->size() > kMaxSamples)
    return Error::validation("at most " + std::to_string(kMaxSamples) + " samples per request",
                             "samples");
  for (size_t i = 0; i < samples->size(); ++i) {
    const Json& s = (*samples)[i];
    const std::string at = "samples[" + std::to_string(i) + "]";
    if (!s.is_object()) return Error::validation(at + " must be an object", at);
    for (const auto& [key, value] : s.items())
      if (key != "metric" && key != "value")
        return Error::validation(at + ": unknown field '" + key + "'", at + "." + key);
    auto metric = s.find("metric");
    if (metric == s.end() || !metric->is_string() ||
        !telemetry::valid_metric_name(metric->get_ref<const std::string&>()))
      return Error::validation(at + ".metric must be a name of letters, digits, '_', '.' or ':' "
                                    "starting with a letter or '_' (at most 128)",
                               at + ".metric");
    auto value = s.find("value");
    if (value == s.end() || !value->is_number() || !std::isfinite(value->get<double>()))
      return Error::validation(at + ".value must be a finite number", at + ".value");
    in.samples.push_back({metric->get<std::string>(), value->get<double>()});
  }
  return in;
}

Json advisory_json(const store::AdvisoryRecord& a) {
  auto number = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
  return Json{{"id", a.id},
              {"project_id", a.project_id},
              {"rule", a.rule},
              {"severity", a.severity},
              {"title", a.title},
              {"message", a.message},
              {"observed", number(a.observed)},
              {"threshold", number(a.threshold)},
              {"status", a.status},
              {"created_at", a.created_at},
              {"updated_at", a.updated_at},
              {"resolved_at", a.resolved_at.empty() ? Json(nullptr) : Json(a.resolved_at)}};
}

}  // namespace

Status register_ops_function_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_public(
      r, "POST", "/functions/v1/ops-metrics-ingest", [&ctx](http::Request& req) -> Result<Reply> {
        OPZ_TRY_STATUS(check_function_token(req, ctx.ops_ingest_token, "x-ops-ingest-token",
                                            "ops-ingest-token", "OPS_INGEST_TOKEN"));
        OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
        OPZ_TRY(IngestRequest in, read_ingest(body, ctx.clock.now(), ctx.ops_ingest_max_future,
                                              ctx.ops_ingest_max_past));
        store::OpsMetricsStore store(ctx.db, ctx.clock);
        OPZ_TRY(int64_t inserted, store.insert(in.project_id, in.ts, in.samples));
        OPZ_TRY_STATUS(store.refresh_rollups(ctx.clock.now()));
        return Reply{200, Json{{"inserted", inserted}}};
      }));
  OPZ_TRY_STATUS(add_public(
      r, "POST", "/functions/v1/ops-advisory-scan", [&ctx](http::Request& req) -> Result<Reply> {
        OPZ_TRY_STATUS(check_function_token(req, ctx.ops_advisory_scan_token,
                                            "x-ops-advisory-token", "ops-advisory-scan-token",
                                            "OPS_ADVISORY_SCAN_TOKEN"));
        OPZ_TRY(int64_t created, run_advisory_scan(ctx));
        return Reply{200, Json{{"advisories_created", created}}};
      }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/projects/{id}/advisories", "projects.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                const std::string project_id = req.param("id");
                                OPZ_TRY_STATUS(check_id(project_id, "project"));
                                OPZ_TRY_STATUS(ctx.projects.find_project(project_id));
                                const std::string status = req.query_or("status");
                                if (!status.empty() && status != "open" && status != "resolved")
                                  return Error::validation("status must be open or resolved",
                                                           "status");
                                store::AdvisoryStore advisories(ctx.db, ctx.clock);
                                OPZ_TRY(auto found, advisories.list(project_id, status));
                                Json items = Json::array();
                                for (const auto& a : found) items.push_back(advisory_json(a));
                                return Reply{200, list_body(std::move(items), std::nullopt)};
                              }));
  return register_advisory_rule_routes(r, ctx);
}

}  // namespace opz::api
