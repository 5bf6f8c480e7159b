#include "store/widget_metric_store.h"

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::store {

Result<WidgetMetricRecord> WidgetMetricStore::insert(const std::string& widget_type,
                                                     const std::string& metric_name, double value,
                                                     const Json& dimensions) {
  WidgetMetricRecord r{new_uuid(), widget_type, metric_name, value, dimensions,
                       format_time(clock_.now())};
  OPZ_TRY_STATUS(db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(s.exec("INSERT INTO widget_metrics (id, widget_type, metric_name, "
                          "metric_value, dimensions, recorded_at) "
                          "VALUES ($1, $2, $3, $4, $5, $6)",
                          {r.id, widget_type, metric_name, value, dimensions.dump(),
                           r.recorded_at}));
    return {};
  }));
  return r;
}

Result<std::vector<WidgetMetricRecord>> WidgetMetricStore::list(const WidgetMetricFilter& f) {
  // Only the filters given become conditions: an empty "since" compared with
  // recorded_at would not be a time on PostgreSQL.
  std::string sql =
      "SELECT id, widget_type, metric_name, metric_value, dimensions, recorded_at "
      "FROM widget_metrics WHERE TRUE";
  Params params;
  auto filter = [&](const char* condition, const std::string& value) {
    if (value.empty()) return;
    params.push_back(value);
    sql += std::string(" AND ") + condition + " $" + std::to_string(params.size());
  };
  filter("widget_type =", f.widget_type);
  filter("metric_name =", f.metric_name);
  filter("recorded_at >=", f.since);
  params.push_back(static_cast<int64_t>(f.limit));
  sql += " ORDER BY recorded_at DESC, id DESC LIMIT $" + std::to_string(params.size());
  return db_.read([&](SqlSession& s) -> Result<std::vector<WidgetMetricRecord>> {
    OPZ_TRY(Rows rows, s.query(sql, params));
    std::vector<WidgetMetricRecord> out;
    for (const Row& r : rows)
      out.push_back({r["id"].as_text(), r["widget_type"].as_text(), r["metric_name"].as_text(),
                     r["metric_value"].as_real(),
                     Json::parse(r["dimensions"].as_text(), nullptr, false),
                     r["recorded_at"].as_text()});
    return out;
  });
}

}  // namespace opz::store
