#include "store/freeze_window_store.h"

#include "core/ids.h"
#include "core/json.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kFreezeWindowSelect =
    "SELECT id, project_id, environment, kind, start_local, end_local, weekdays, start_time, "
    "end_time, cron, duration_seconds, timezone, reason, created_by, created_at "
    "FROM freeze_windows ";

FreezeWindowRecord freeze_window_from_row(const Row& r) {
  FreezeWindowRecord w;
  w.id = r["id"].as_text();
  w.project_id = r["project_id"].as_text();
  w.environment = r["environment"].as_text();
  w.kind = r["kind"].as_text();
  w.start_local = r["start_local"].as_text();
  w.end_local = r["end_local"].as_text();
  if (auto days = parse_json(r["weekdays"].as_text()); days && days->is_array())
    for (const Json& d : *days)
      if (d.is_string()) w.weekdays.push_back(d.get<std::string>());
  w.start_time = r["start_time"].as_text();
  w.end_time = r["end_time"].as_text();
  w.cron = r["cron"].as_text();
  w.duration_seconds = r["duration_seconds"].as_int();
  w.timezone = r["timezone"].as_text();
  w.reason = r["reason"].as_text();
  w.created_by = r["created_by"].as_text();
  w.created_at = r["created_at"].as_text();
  return w;
}

Result<std::vector<FreezeWindowRecord>> query(SqlSession& s, const std::string& where,
                                              const Params& params) {
  OPZ_TRY(Rows rows, s.query(kFreezeWindowSelect + where + " ORDER BY created_at, id", params));
  std::vector<FreezeWindowRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(freeze_window_from_row(r));
  return out;
}

// The WHERE clause of exactly one scope, appending its parameters to `params`
// (every parameter given must be used).
std::string scope_where(const std::string& project_id, const std::string& environment,
                        Params& params) {
  auto bind = [&](const std::string& v) {
    params.push_back(v);
    return "$" + std::to_string(params.size());
  };
  std::string sql = "WHERE ";
  sql += project_id.empty() ? "project_id IS NULL" : "project_id = " + bind(project_id);
  sql +=
      environment.empty() ? " AND environment IS NULL" : " AND environment = " + bind(environment);
  return sql;
}

}  // namespace

Result<std::vector<FreezeWindowRecord>> load_freeze_windows(SqlSession& s,
                                                            const std::string& project_id) {
  if (project_id.empty()) return query(s, "WHERE project_id IS NULL", {});
  return query(s, "WHERE project_id IS NULL OR project_id = $1", {project_id});
}

Result<std::vector<FreezeWindowRecord>> FreezeWindowStore::list_all() {
  return db_.read([&](SqlSession& s) { return query(s, "", {}); });
}

Result<std::vector<FreezeWindowRecord>> FreezeWindowStore::list_scope(
    const std::string& project_id, const std::string& environment) {
  return db_.read([&](SqlSession& s) {
    Params params;
    const std::string where = scope_where(project_id, environment, params);
    return query(s, where, params);
  });
}

Result<std::vector<FreezeWindowRecord>> FreezeWindowStore::for_project(
    const std::string& project_id) {
  return db_.read([&](SqlSession& s) { return load_freeze_windows(s, project_id); });
}

Result<std::vector<FreezeWindowRecord>> FreezeWindowStore::applying_to(
    const std::string& project_id, const std::string& environment) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<FreezeWindowRecord>> {
    if (project_id.empty()) return query(s, "WHERE project_id IS NULL", {});
    return query(s,
                 "WHERE project_id IS NULL OR (project_id = $1 AND (environment IS NULL OR "
                 "environment = $2))",
                 {project_id, environment});
  });
}

Result<FreezeWindowRecord> FreezeWindowStore::find(const std::string& id) {
  return db_.read([&](SqlSession& s) -> Result<FreezeWindowRecord> {
    OPZ_TRY(auto rows, query(s, "WHERE id = $1", {id}));
    if (rows.empty()) return Error::not_found("no freeze window with id " + id);
    return rows[0];
  });
}

Result<FreezeWindowRecord> FreezeWindowStore::create(FreezeWindowRecord w,
                                                     const FreezeWindowCheck& check,
                                                     const FreezeWindowAlso& also) {
  if (w.project_id.empty() && !w.environment.empty())
    return Error::validation("an environment's window needs its project", "project_id");
  w.id = new_uuid();
  w.created_at = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<FreezeWindowRecord> {
    if (!w.project_id.empty()) {
      OPZ_TRY(Rows p, s.query("SELECT id FROM projects WHERE id = $1", {w.project_id}));
      if (p.empty()) return Error::not_found("no project with id " + w.project_id);
    }
    if (check) {
      Params params;
      const std::string where = scope_where(w.project_id, w.environment, params);
      OPZ_TRY(auto same_scope, query(s, where, params));
      OPZ_TRY_STATUS(check(same_scope));
    }
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO freeze_windows (id, project_id, environment, kind, start_local, end_local, "
        "weekdays, start_time, end_time, cron, duration_seconds, timezone, reason, created_by, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        {w.id, text_or_null(w.project_id), text_or_null(w.environment), w.kind,
         text_or_null(w.start_local), text_or_null(w.end_local), dump_json(Json(w.weekdays)),
         text_or_null(w.start_time), text_or_null(w.end_time), text_or_null(w.cron),
         w.duration_seconds > 0 ? SqlValue(w.duration_seconds) : SqlValue(), w.timezone, w.reason,
         text_or_null(w.created_by), w.created_at}));
    if (also) OPZ_TRY_STATUS(also(s, w));
    return w;
  });
}

Status FreezeWindowStore::remove(const std::string& id, const std::string& project_id,
                                 const std::string& environment, const FreezeWindowAlso& also) {
  return db_.write([&](SqlSession& s) -> Status {
    Params params = {id};
    const std::string where = scope_where(project_id, environment, params) + " AND id = $1";
    OPZ_TRY(auto rows, query(s, where, params));
    if (rows.empty()) return Error::not_found("no freeze window with id " + id + " here");
    OPZ_TRY_STATUS(s.exec("DELETE FROM freeze_windows WHERE id = $1", {id}));
    if (also) OPZ_TRY_STATUS(also(s, rows[0]));
    return {};
  });
}

}  // namespace opz::store
