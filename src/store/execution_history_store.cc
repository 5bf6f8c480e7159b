#include "store/execution_history_store.h"

#include "core/json_optional.h"
#include "store/artifact_store.h"

#include <algorithm>

namespace opz::store {

namespace {

CheckpointRecord checkpoint_from_row(const Row& r) {
  return {r["id"].as_text(),
          r["execution_id"].as_text(),
          r["node_id"].as_text(),
          r["name"].as_text(),
          parse_json_or(r["state"].as_text(), Json::object()),
          r["created_at"].as_text(),
          {}};
}

constexpr std::string_view kCheckpointColumns =
    "id, execution_id, node_id, name, state, created_at";

// Rows written by one batch share created_at; recording order breaks the tie:
// SQLite's rowid, PostgreSQL's seq (an identity column of its schema; the
// UUID ids are ordered only to the millisecond).
std::string insertion_order(SqlSession& s) {
  return s.dialect() == "postgres" ? "created_at, seq" : "created_at, rowid";
}

// The query's scope (execution, node, attempt) as a WHERE clause over params.
std::string log_scope(const LogQuery& q, Params& params) {
  params.push_back(q.execution_id);
  std::string where = " WHERE execution_id = $" + std::to_string(params.size());
  if (!q.node_id.empty()) {
    params.push_back(q.node_id);
    where += " AND node_id = $" + std::to_string(params.size());
  }
  if (q.attempt > 0) {
    params.push_back(q.attempt);
    where += " AND attempt = $" + std::to_string(params.size());
  }
  return where;
}

Status check_log_query(const LogQuery& q) {
  if (q.limit < 1 || q.limit > 10000)
    return Error::validation("limit must be from 1 to 10000", "limit");
  if (q.after_seq < 0) return Error::validation("after must be >= 0", "after");
  if (q.tail < 0 || q.tail > 10000)
    return Error::validation("tail must be from 1 to 10000", "tail");
  if (q.tail > 0 && q.after_seq > 0)
    return Error::validation("tail takes the last lines; it cannot be combined with after", "tail");
  return {};
}

// Oldest first, also for a tail (read newest first through the index, then reversed).
Result<std::vector<LogLineRecord>> query_lines(SqlSession& s, const LogQuery& q) {
  Params params;
  std::string sql =
      "SELECT id, execution_id, COALESCE(node_id, '') AS node_id, attempt, stream, level, "
      "message, created_at FROM execution_logs" +
      log_scope(q, params);
  if (q.tail > 0) {
    params.push_back(q.tail);
    sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  } else {
    params.push_back(q.after_seq);
    sql += " AND id > $" + std::to_string(params.size());
    params.push_back(q.limit);
    sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  }
  OPZ_TRY(Rows rows, s.query(sql, params));
  std::vector<LogLineRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    out.push_back({r["id"].as_int(), r["execution_id"].as_text(), r["node_id"].as_text(),
                   static_cast<int>(r["attempt"].as_int()), r["stream"].as_text(),
                   r["level"].as_text(), r["message"].as_text(), r["created_at"].as_text()});
  }
  if (q.tail > 0) std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

Result<std::vector<LogLineRecord>> ExecutionHistoryStore::logs(const LogQuery& q) {
  OPZ_TRY_STATUS(check_log_query(q));
  return db_.read([&](SqlSession& s) { return query_lines(s, q); });
}

Result<LogPage> ExecutionHistoryStore::log_page(const LogQuery& q) {
  OPZ_TRY_STATUS(check_log_query(q));
  return db_.read([&](SqlSession& s) -> Result<LogPage> {
    LogPage page;
    OPZ_TRY(page.lines, query_lines(s, q));
    Params params;
    OPZ_TRY(Rows rows, s.query("SELECT COUNT(*) AS total, COALESCE(MIN(id), 0) AS first_seq "
                               "FROM execution_logs" +
                                   log_scope(q, params),
                               params));
    page.extent = {rows[0]["total"].as_int(), rows[0]["first_seq"].as_int()};
    return page;
  });
}

Result<std::vector<StateEventRecord>> ExecutionHistoryStore::state_events(
    const std::string& execution_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<StateEventRecord>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT id, execution_id, COALESCE(node_id, '') AS node_id, "
                    "COALESCE(old_state, '') AS old_state, new_state, "
                    "COALESCE(reason, '') AS reason, created_at FROM execution_state_events "
                    "WHERE execution_id = $1 ORDER BY " +
                        insertion_order(s),
                    {execution_id}));
    std::vector<StateEventRecord> out;
    out.reserve(rows.size());
    for (const Row& r : rows) {
      out.push_back({r["id"].as_text(), r["execution_id"].as_text(), r["node_id"].as_text(),
                     r["old_state"].as_text(), r["new_state"].as_text(), r["reason"].as_text(),
                     r["created_at"].as_text()});
    }
    return out;
  });
}

Result<std::vector<CheckpointRecord>> ExecutionHistoryStore::checkpoints(
    const std::string& execution_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<CheckpointRecord>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT " + std::string(kCheckpointColumns) +
                        " FROM checkpoints WHERE execution_id = $1 ORDER BY " + insertion_order(s),
                    {execution_id}));
    std::vector<CheckpointRecord> out;
    for (const Row& r : rows) out.push_back(checkpoint_from_row(r));
    return out;
  });
}

Result<CheckpointRecord> ExecutionHistoryStore::find_checkpoint(const std::string& id) {
  return db_.read([&](SqlSession& s) -> Result<CheckpointRecord> {
    OPZ_TRY(Rows rows,
            s.query("SELECT " + std::string(kCheckpointColumns) + " FROM checkpoints WHERE id = $1",
                    {id}));
    if (rows.empty()) return Error::not_found("no checkpoint with id " + id);
    return checkpoint_from_row(rows[0]);
  });
}

Result<std::vector<ArtifactRecord>> ExecutionHistoryStore::artifacts(
    const std::string& execution_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ArtifactRecord>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT id, name, COALESCE(execution_id, '') AS execution_id, "
                    "COALESCE(node_id, '') AS node_id, COALESCE(image_digest, '') AS "
                    "image_digest, COALESCE(image_tag, '') AS image_tag, "
                    "COALESCE(registry_url, '') AS registry_url, type, size_bytes, metadata, "
                    "created_at FROM artifacts WHERE execution_id = $1 ORDER BY " +
                        insertion_order(s),
                    {execution_id}));
    std::vector<ArtifactRecord> out;
    for (const Row& r : rows) {
      out.push_back(artifact_from_row(r));
    }
    return out;
  });
}

Result<std::vector<ApprovalRequestRecord>> ExecutionHistoryStore::approval_requests(
    const std::string& execution_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ApprovalRequestRecord>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT id, execution_id, COALESCE(node_id, '') AS node_id, "
                    "COALESCE(environment, '') AS environment, status, required_approvals, "
                    "COALESCE(requested_by, '') AS requested_by, COALESCE(title, '') AS title, "
                    "COALESCE(description, '') AS description, "
                    "wait_until, resolved_at, created_at, updated_at "
                    "FROM approval_requests WHERE execution_id = $1 ORDER BY " +
                        insertion_order(s),
                    {execution_id}));
    std::vector<ApprovalRequestRecord> out;
    for (const Row& r : rows) {
      ApprovalRequestRecord a;
      a.id = r["id"].as_text();
      a.execution_id = r["execution_id"].as_text();
      a.node_id = r["node_id"].as_text();
      a.environment = r["environment"].as_text();
      a.status = r["status"].as_text();
      a.required_approvals = static_cast<int>(r["required_approvals"].as_int());
      a.requested_by = r["requested_by"].as_text();
      a.title = r["title"].as_text();
      a.description = r["description"].as_text();
      a.wait_until = r["wait_until"].as_text();
      a.resolved_at = r["resolved_at"].as_text();
      a.created_at = r["created_at"].as_text();
      a.updated_at = r["updated_at"].as_text();
      out.push_back(std::move(a));
    }
    return out;
  });
}

}  // namespace opz::store
