#include "store/insights_store.h"

#include "store/optional_values.h"
#include "store/sql_dialect.h"

namespace opz::store {

namespace {}  // namespace

Result<std::vector<InsightNodeRunRow>> InsightsStore::node_runs(const std::string& project_id,
                                                                const std::string& since) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<InsightNodeRunRow>> {
    // The last $3 characters of a failed node's log (SQLite has no right()).
    const char* tail =
        is_postgres(s) ? "right(coalesce(n.logs, ''), $3)" : "substr(coalesce(n.logs, ''), -$3)";
    // The first queued / running times are NULL when never reached (read as "").
    OPZ_TRY(Rows rows,
            s.query(std::string("SELECT n.execution_id, n.node_id, n.status, n.attempt, "
                                "n.exit_code, n.duration_ms, "
                                "coalesce(n.completed_at, n.updated_at) AS finished_at, "
                                "coalesce(e.commit_hash, '') AS commit_hash, "
                                "coalesce(e.branch, '') AS branch, "
                                "CASE WHEN n.status = 'failed' THEN ") +
                        tail +
                        " ELSE '' END AS log_tail, coalesce(n.error, '') AS error, "
                        "(SELECT min(q.created_at) FROM execution_state_events q "
                        "  WHERE q.execution_id = n.execution_id AND q.node_id = n.node_id "
                        "  AND q.new_state = 'queued') AS queued_at, "
                        "(SELECT min(r.created_at) FROM execution_state_events r "
                        "  WHERE r.execution_id = n.execution_id AND r.node_id = n.node_id "
                        "  AND r.new_state = 'running') AS first_started_at "
                        "FROM executions e JOIN execution_nodes n ON n.execution_id = e.id "
                        "WHERE e.project_id = $1 AND e.created_at >= $2 "
                        "AND n.status IN ('success', 'failed') "
                        "ORDER BY e.created_at DESC, e.id DESC, n.position LIMIT $4",
                    {project_id, since, kLogTailBytes, kMaxNodeRuns}));
    std::vector<InsightNodeRunRow> out;
    out.reserve(rows.size());
    for (const Row& r : rows) {
      InsightNodeRunRow row;
      row.execution_id = r["execution_id"].as_text();
      row.node_id = r["node_id"].as_text();
      row.status = r["status"].as_text();
      row.attempt = r["attempt"].as_int();
      row.exit_code = optional_int(r["exit_code"]);
      row.duration_ms = optional_int(r["duration_ms"]);
      row.finished_at = r["finished_at"].as_text();
      row.commit_hash = r["commit_hash"].as_text();
      row.branch = r["branch"].as_text();
      row.log_tail = r["log_tail"].as_text();
      row.error = r["error"].as_text();
      row.queued_at = r["queued_at"].as_text();
      row.first_started_at = r["first_started_at"].as_text();
      out.push_back(std::move(row));
    }
    return out;
  });
}

Result<std::vector<InsightExecutionRow>> InsightsStore::executions(const std::string& project_id,
                                                                   const std::string& since) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<InsightExecutionRow>> {
    OPZ_TRY(Rows rows, s.query("SELECT id, created_at, started_at "
                               "FROM executions WHERE project_id = $1 AND created_at >= $2 "
                               "ORDER BY created_at DESC, id DESC LIMIT $3",
                               {project_id, since, kMaxExecutions}));
    std::vector<InsightExecutionRow> out;
    out.reserve(rows.size());
    for (const Row& r : rows)
      out.push_back({r["id"].as_text(), r["created_at"].as_text(), r["started_at"].as_text()});
    return out;
  });
}

}  // namespace opz::store
