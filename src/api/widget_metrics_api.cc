// Dashboard widget metrics (issue 13; seed 004 widget_metrics):
//   GET  /api/v1/widget-metrics?widget_type=&metric_name=&since=&limit=
//        (widget_metrics.read: signed-in) -> {"items":[...]} newest first,
//        limit 1..1000 (default 100), since an ISO 8601 time (inclusive)
//   POST /api/v1/widget-metrics (widget_metrics.write: operator, admin)
//        {"widget_type","metric_name","metric_value","dimensions"?} -> 201
// Names: 1-64 (widget_type) / 1-128 (metric_name) printable characters;
// metric_value a finite number; dimensions a JSON object (at most 64 KiB).
#include <cmath>

#include "api/dashboard_routes.h"
#include "api/endpoint.h"
#include "api/json_body.h"
#include "core/time_format.h"
#include "store/widget_metric_store.h"

namespace opz::api {

namespace {

Json metric_json(const store::WidgetMetricRecord& m) {
  return Json{{"id", m.id},
              {"widget_type", m.widget_type},
              {"metric_name", m.metric_name},
              {"metric_value", m.metric_value},
              {"dimensions", m.dimensions},
              {"recorded_at", m.recorded_at}};
}

Result<store::WidgetMetricFilter> read_filter(const http::Request& req) {
  store::WidgetMetricFilter f;
  f.widget_type = req.query_or("widget_type");
  f.metric_name = req.query_or("metric_name");
  const std::string since = req.query_or("since");
  if (!since.empty()) {
    auto t = parse_time(since);
    if (!t) return Error::validation("since must be an ISO 8601 time, got '" + since + "'", "since");
    f.since = format_time(*t);
  }
  const std::string limit = req.query_or("limit");
  if (!limit.empty()) {
    size_t used = 0;
    int n = 0;
    try {
      n = std::stoi(limit, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != limit.size() || n < 1 || n > 1000)
      return Error::validation("limit must be a number from 1 to 1000", "limit");
    f.limit = n;
  }
  return f;
}

struct NewWidgetMetric {
  std::string widget_type;
  std::string metric_name;
  double value = 0;
  Json dimensions = Json::object();
};

Result<NewWidgetMetric> read_metric(const Json& body) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(f.reject_unknown({"widget_type", "metric_name", "metric_value", "dimensions"}));
  NewWidgetMetric m;
  OPZ_TRY(m.widget_type, f.required_string("widget_type", 64));
  OPZ_TRY_STATUS(check_printable(m.widget_type, "widget_type"));
  OPZ_TRY(m.metric_name, f.required_string("metric_name", 128));
  OPZ_TRY_STATUS(check_printable(m.metric_name, "metric_name"));
  const Json* value = f.get("metric_value");
  if (!value || !value->is_number() || !std::isfinite(value->get<double>()))
    return Error::validation("'metric_value' must be a finite number", "metric_value");
  m.value = value->get<double>();
  if (const Json* dims = f.get("dimensions")) {
    OPZ_TRY_STATUS(check_dashboard_object(*dims, "dimensions"));
    m.dimensions = *dims;
  }
  return m;
}

}  // namespace

Status register_widget_metric_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/widget-metrics", "widget_metrics.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY(store::WidgetMetricFilter filter, read_filter(req));
        OPZ_TRY(auto found, store::WidgetMetricStore(ctx.db, ctx.clock).list(filter));
        Json items = Json::array();
        for (const auto& m : found) items.push_back(metric_json(m));
        return Reply{200, Json{{"items", std::move(items)}}};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/widget-metrics", "widget_metrics.write",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(NewWidgetMetric m, read_metric(body));
        OPZ_TRY(auto stored, store::WidgetMetricStore(ctx.db, ctx.clock)
                                 .insert(m.widget_type, m.metric_name, m.value, m.dimensions));
        return Reply{201, metric_json(stored)};
      }));
  return {};
}

}  // namespace opz::api
