#include "store/ops_metrics_store.h"

#include "core/time_format.h"
#include "store/sql_dialect.h"

namespace opz::store {

namespace {

// Upsert of one rollup table from the samples with id in ($1, $2]. `bucket`
// is SQL text deriving the bucket start from ts (stored format, always UTC).
std::string fold_sql(const std::string& table, const std::string& bucket) {
  return "INSERT INTO " + table +
         " (project_id, metric, bucket, samples, sum, min, max) "
         "SELECT project_id, metric, " + bucket +
         ", count(*), sum(value), min(value), max(value) FROM ops_metrics "
         "WHERE id > $1 AND id <= $2 GROUP BY project_id, metric, " + bucket +
         " ON CONFLICT (project_id, metric, bucket) DO UPDATE SET "
         "samples = " + table + ".samples + excluded.samples, "
         "sum = " + table + ".sum + excluded.sum, "
         "min = CASE WHEN excluded.min < " + table + ".min THEN excluded.min ELSE " + table +
         ".min END, "
         "max = CASE WHEN excluded.max > " + table + ".max THEN excluded.max ELSE " + table +
         ".max END";
}

// The SQL aggregate of an OpsAggregate (a fixed list: never caller text).
const char* aggregate_sql(OpsAggregate a) {
  switch (a) {
    case OpsAggregate::kAvg:
      return "avg(value)";
    case OpsAggregate::kMax:
      return "max(value)";
    case OpsAggregate::kMin:
      return "min(value)";
    case OpsAggregate::kSum:
      return "sum(value)";
    case OpsAggregate::kCount:
      return "count(*)";
  }
  return "avg(value)";
}

// The start of ts's minute / hour: SQLite cuts the stored ISO text, PostgreSQL
// truncates the timestamptz (the session runs in UTC).
std::string minute_bucket(const SqlSession& s) {
  return is_postgres(s) ? "date_trunc('minute', ts)" : "substr(ts, 1, 16) || ':00.000Z'";
}
std::string hour_bucket(const SqlSession& s) {
  return is_postgres(s) ? "date_trunc('hour', ts)" : "substr(ts, 1, 13) || ':00:00.000Z'";
}

}  // namespace

Result<int64_t> OpsMetricsStore::insert(const std::string& project_id, const std::string& ts,
                                        const std::vector<OpsSample>& samples) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows found, s.query("SELECT 1 FROM projects WHERE id = $1", {project_id}));
    if (found.empty()) return Error::validation("no project with id " + project_id, "project_id");
    for (const OpsSample& sample : samples)
      OPZ_TRY_STATUS(s.exec("INSERT INTO ops_metrics (project_id, metric, value, ts, created_at) "
                            "VALUES ($1, $2, $3, $4, $5)",
                            {project_id, sample.metric, sample.value, ts, now}));
    return static_cast<int64_t>(samples.size());
  });
}

Result<int64_t> OpsMetricsStore::refresh_rollups(TimePoint now) {
  return db_.write([&](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows state, s.query("SELECT last_metric_id FROM ops_rollup_state "
                                "WHERE name = 'ops_metrics'"));
    const int64_t from = state.empty() ? 0 : state[0]["last_metric_id"].as_int();
    OPZ_TRY(Rows top, s.query("SELECT coalesce(max(id), 0) AS id, count(*) AS n FROM ops_metrics "
                              "WHERE id > $1",
                              {from}));
    const int64_t to = top[0]["id"].as_int();
    const int64_t added = top[0]["n"].as_int();
    if (added == 0) return int64_t{0};
    OPZ_TRY_STATUS(s.exec(fold_sql("ops_metric_rollups_1m", minute_bucket(s)), {from, to}));
    OPZ_TRY_STATUS(s.exec(fold_sql("ops_metric_rollups_1h", hour_bucket(s)), {from, to}));
    OPZ_TRY_STATUS(s.exec("INSERT INTO ops_rollup_state (name, last_metric_id, refreshed_at) "
                          "VALUES ('ops_metrics', $1, $2) ON CONFLICT (name) DO UPDATE SET "
                          "last_metric_id = excluded.last_metric_id, "
                          "refreshed_at = excluded.refreshed_at",
                          {to, format_time(now)}));
    return added;
  });
}

static std::string rollup_table(OpsMetricsStore::Resolution r) {
  return r == OpsMetricsStore::Resolution::kMinute ? "ops_metric_rollups_1m"
                                                   : "ops_metric_rollups_1h";
}

static std::vector<OpsRollupRow> rollup_rows(const Rows& rows) {
  std::vector<OpsRollupRow> out;
  for (const Row& row : rows)
    out.push_back({row["project_id"].as_text(), row["metric"].as_text(), row["bucket"].as_text(),
                   row["samples"].as_int(), row["sum"].as_real(), row["min"].as_real(),
                   row["max"].as_real()});
  return out;
}

Result<std::vector<OpsRollupRow>> OpsMetricsStore::rollups(Resolution r,
                                                           const std::string& project_id,
                                                           const std::string& metric) {
  const std::string table = rollup_table(r);
  return db_.read([&](SqlSession& s) -> Result<std::vector<OpsRollupRow>> {
    OPZ_TRY(Rows rows, s.query("SELECT project_id, metric, bucket, samples, sum, min, max FROM " +
                                   table + " WHERE project_id = $1 AND metric = $2 ORDER BY bucket",
                               {project_id, metric}));
    return rollup_rows(rows);
  });
}

Result<std::vector<OpsRollupRow>> OpsMetricsStore::rollups_between(Resolution r,
                                                                   const std::string& project_id,
                                                                   const std::string& from,
                                                                   const std::string& to) {
  const std::string table = rollup_table(r);
  return db_.read([&](SqlSession& s) -> Result<std::vector<OpsRollupRow>> {
    OPZ_TRY(Rows rows, s.query("SELECT project_id, metric, bucket, samples, sum, min, max FROM " +
                                   table +
                                   " WHERE project_id = $1 AND bucket >= $2 AND bucket < $3 "
                                   "ORDER BY metric, bucket",
                               {project_id, from, to}));
    return rollup_rows(rows);
  });
}

Result<std::vector<OpsMetricWindowRow>> OpsMetricsStore::window(const std::string& project_id,
                                                                const std::string& from,
                                                                const std::string& to) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<OpsMetricWindowRow>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT metric, count(*) AS n, sum(value) AS total, max(value) AS top "
                    "FROM ops_metrics WHERE project_id = $1 AND ts >= $2 AND ts < $3 "
                    "GROUP BY metric ORDER BY metric",
                    {project_id, from, to}));
    std::vector<OpsMetricWindowRow> out;
    for (const Row& row : rows)
      out.push_back({row["metric"].as_text(), row["n"].as_int(), row["total"].as_real(),
                     row["top"].as_real()});
    return out;
  });
}

Result<std::optional<double>> OpsMetricsStore::aggregate(const std::string& project_id,
                                                        const std::string& metric,
                                                        OpsAggregate aggregate,
                                                        const std::string& from) {
  return db_.read([&](SqlSession& s) -> Result<std::optional<double>> {
    OPZ_TRY(Rows rows, s.query(std::string("SELECT count(*) AS n, ") + aggregate_sql(aggregate) +
                                   " AS v FROM ops_metrics "
                                   "WHERE project_id = $1 AND metric = $2 AND ts >= $3",
                               {project_id, metric, from}));
    if (rows.empty() || rows[0]["n"].as_int() == 0) return std::optional<double>{};
    return std::optional<double>(rows[0]["v"].as_real());
  });
}

}  // namespace opz::store
