#include "store/run_queue_store.h"

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"
#include "store/sql_dialect.h"

namespace opz::store {

namespace {

constexpr std::string_view kRunQueueColumns =
    "id, project_id, branch, COALESCE(commit_sha, '') AS commit_sha, trigger, status, "
    "COALESCE(execution_id, '') AS execution_id, COALESCE(error, '') AS error, "
    "COALESCE(requested_by, '') AS requested_by, created_at, dispatched_at";

RunQueueRecord run_queue_from_row(const Row& r) {
  RunQueueRecord q;
  q.id = r["id"].as_text();
  q.project_id = r["project_id"].as_text();
  q.branch = r["branch"].as_text();
  q.commit_sha = r["commit_sha"].as_text();
  q.trigger = r["trigger"].as_text();
  q.status = r["status"].as_text();
  q.execution_id = r["execution_id"].as_text();
  q.error = r["error"].as_text();
  q.requested_by = r["requested_by"].as_text();
  q.created_at = r["created_at"].as_text();
  q.dispatched_at = r["dispatched_at"].as_text();  // NULL reads as ""
  return q;
}

Result<RunQueueRecord> load_run_queue(SqlSession& s, const std::string& id) {
  OPZ_TRY(Rows rows,
          s.query("SELECT " + std::string(kRunQueueColumns) + " FROM ops_run_queue WHERE id = $1",
                  {id}));
  if (rows.empty()) return Error::not_found("no build with id " + id);
  return run_queue_from_row(rows[0]);
}

}  // namespace

Result<RunQueueRecord> RunQueueStore::enqueue(const NewQueuedBuild& b) {
  const std::string id = new_uuid();
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<RunQueueRecord> {
    OPZ_TRY(Rows p, s.query("SELECT id FROM projects WHERE id = $1", {b.project_id}));
    if (p.empty()) {
      Error e = Error::not_found("no project with id " + b.project_id);
      e.field = "project_id";
      return e;
    }
    OPZ_TRY_STATUS(
        s.exec("INSERT INTO ops_run_queue (id, project_id, branch, commit_sha, trigger, status, "
               "requested_by, created_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7)",
               {id, b.project_id, b.branch, text_or_null(b.commit_sha), b.trigger,
                text_or_null(b.requested_by), now}));
    return load_run_queue(s, id);
  });
}

Result<RunQueueRecord> RunQueueStore::find(const std::string& id) {
  return db_.read([&](SqlSession& s) { return load_run_queue(s, id); });
}

Result<std::vector<RunQueueRecord>> RunQueueStore::queued(int limit) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<RunQueueRecord>> {
    // SQLite's rowid: insertion order among rows of the same millisecond;
    // PostgreSQL has none, there the id breaks such ties.
    const char* order = is_postgres(s) ? "created_at, id" : "created_at, rowid";
    OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kRunQueueColumns) +
                                   " FROM ops_run_queue WHERE status = 'queued' "
                                   "ORDER BY " +
                                   order + " LIMIT $1",
                               {static_cast<int64_t>(limit)}));
    std::vector<RunQueueRecord> out;
    for (const Row& r : rows.rows) out.push_back(run_queue_from_row(r));
    return out;
  });
}

Result<std::optional<std::string>> RunQueueStore::execution_for(const RunQueueRecord& row) {
  return db_.read([&](SqlSession& s) -> Result<std::optional<std::string>> {
    // Only executions created since the row (executions_created_idx), so the
    // JSON test runs on a handful of rows, not the whole history.
    OPZ_TRY(Rows rows, s.query("SELECT id FROM executions WHERE created_at >= $2 AND " +
                                   json_text(s, "metadata", "ops_build_id") +
                                   " = $1 ORDER BY created_at, id LIMIT 1",
                               {row.id, row.created_at}));
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows[0]["id"].as_text());
  });
}

Status RunQueueStore::mark_dispatched(const std::string& id, const std::string& execution_id,
                                      const Also& also) {
  return mark(id, "dispatched", execution_id, "", also);
}

Status RunQueueStore::mark_failed(const std::string& id, const std::string& error,
                                  const Also& also) {
  return mark(id, "failed", "", error, also);
}

Status RunQueueStore::mark(const std::string& id, const std::string& status,
                           const std::string& execution_id, const std::string& error,
                           const Also& also) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(int64_t n, s.exec("UPDATE ops_run_queue SET status = $2, execution_id = $3, "
                              "error = $4, dispatched_at = $5 WHERE id = $1 AND status = 'queued'",
                              {id, status, text_or_null(execution_id), text_or_null(error), now}));
    if (n == 1) return also ? also(s) : Status{};
    OPZ_TRY(RunQueueRecord row, load_run_queue(s, id));
    return Error::conflict("build " + id + " is already " + row.status);
  });
}

}  // namespace opz::store
