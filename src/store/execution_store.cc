#include "store/execution_store.h"

#include <set>

#include "core/ids.h"
#include "core/json_optional.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

// Columns of a list row (no pipeline snapshot) and of a full row. Times and
// JSON columns are selected bare: a NULL reads as "" (SqlValue::as_text), and
// COALESCE(x, '') would not type on PostgreSQL (timestamptz, json).
constexpr std::string_view kExecutionListColumns =
    "id, name, COALESCE(project_id, '') AS project_id, "
    "COALESCE(flow_template_id, '') AS flow_template_id, status, "
    "COALESCE(environment, '') AS environment, COALESCE(branch, '') AS branch, "
    "COALESCE(commit_hash, '') AS commit_hash, progress, "
    "COALESCE(governance_status, '') AS governance_status, "
    "COALESCE(blocked_reason, '') AS blocked_reason, COALESCE(started_by, '') AS started_by, "
    "COALESCE(trigger_type, '') AS trigger_type, "
    "COALESCE(parent_execution_id, '') AS parent_execution_id, "
    "COALESCE(rerun_checkpoint_id, '') AS rerun_checkpoint_id, "
    "COALESCE(cancel_reason, '') AS cancel_reason, COALESCE(metadata, '{}') AS metadata, "
    "started_at, completed_at, "
    "created_at, updated_at";

constexpr std::string_view kNodeColumns =
    "id, execution_id, node_id, COALESCE(name, '') AS name, COALESCE(type, '') AS type, status, "
    "attempt, max_attempts, exit_code, signal, COALESCE(error, '') AS error, "
    "COALESCE(outputs, '{}') AS outputs, COALESCE(logs, '') AS logs, log_bytes, log_truncated, "
    "started_at, completed_at, "
    "duration_ms, next_attempt_at, position, created_at, "
    "updated_at";

// "metadata.ci_only is not set": absent, null or false (a CI-only run deploys
// nothing). SQLite's json_extract reads JSON true/false as 1/0; PostgreSQL's
// ->> answers the JSON text ('true' / 'false').
std::string not_ci_only(const SqlSession& s) {
  return s.dialect() == "postgres" ? "COALESCE(metadata ->> 'ci_only', 'false') IN ('false', '0')"
                                   : "COALESCE(json_extract(metadata, '$.ci_only'), 0) = 0";
}

ExecutionRecord execution_from_row(const Row& r, bool with_pipeline) {
  ExecutionRecord e;
  e.id = r["id"].as_text();
  e.name = r["name"].as_text();
  e.project_id = r["project_id"].as_text();
  e.flow_template_id = r["flow_template_id"].as_text();
  if (with_pipeline) e.pipeline = r["pipeline"].as_text();
  e.status = r["status"].as_text();
  e.environment = r["environment"].as_text();
  e.branch = r["branch"].as_text();
  e.commit_hash = r["commit_hash"].as_text();
  e.progress = static_cast<int>(r["progress"].as_int());
  e.governance_status = r["governance_status"].as_text();
  e.blocked_reason = r["blocked_reason"].as_text();
  e.started_by = r["started_by"].as_text();
  e.trigger_type = r["trigger_type"].as_text();
  e.parent_execution_id = r["parent_execution_id"].as_text();
  e.rerun_checkpoint_id = r["rerun_checkpoint_id"].as_text();
  e.cancel_reason = r["cancel_reason"].as_text();
  e.metadata = parse_json_or(r["metadata"].as_text(), Json::object());
  e.started_at = r["started_at"].as_text();
  e.completed_at = r["completed_at"].as_text();
  e.created_at = r["created_at"].as_text();
  e.updated_at = r["updated_at"].as_text();
  return e;
}

ExecutionNodeRecord node_from_row(const Row& r) {
  ExecutionNodeRecord n;
  n.id = r["id"].as_text();
  n.execution_id = r["execution_id"].as_text();
  n.node_id = r["node_id"].as_text();
  n.name = r["name"].as_text();
  n.type = r["type"].as_text();
  n.status = r["status"].as_text();
  n.attempt = static_cast<int>(r["attempt"].as_int());
  n.max_attempts = static_cast<int>(r["max_attempts"].as_int());
  n.exit_code = optional_int(r["exit_code"]);
  n.signal = optional_int(r["signal"]);
  n.error = r["error"].as_text();
  n.outputs = parse_json_or(r["outputs"].as_text(), Json::object());
  n.logs = r["logs"].as_text();
  n.log_bytes = r["log_bytes"].as_int();
  n.log_truncated = r["log_truncated"].as_bool();
  n.started_at = r["started_at"].as_text();
  n.completed_at = r["completed_at"].as_text();
  n.duration_ms = optional_int(r["duration_ms"]);
  n.next_attempt_at = r["next_attempt_at"].as_text();
  n.position = static_cast<int>(r["position"].as_int());
  n.created_at = r["created_at"].as_text();
  n.updated_at = r["updated_at"].as_text();
  return n;
}

Status insert_state_event(SqlSession& s, const std::string& execution_id,
                          const std::string& node_id, const std::string& old_state,
                          const std::string& new_state, const std::string& reason,
                          const std::string& at) {
  OPZ_TRY_STATUS(
      s.exec("INSERT INTO execution_state_events (id, execution_id, node_id, old_state, new_state, "
             "reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
             {new_uuid(), execution_id, text_or_null(node_id), text_or_null(old_state), new_state,
              text_or_null(reason), at}));
  return ok_status();
}

// A new node row's columns, in the order insert_node_into binds them.
constexpr std::string_view kNewNodeColumns =
    "id, execution_id, node_id, name, type, status, attempt, max_attempts, exit_code, signal, "
    "error, outputs, logs, log_bytes, log_truncated, started_at, completed_at, duration_ms, "
    "next_attempt_at, position, created_at, updated_at";

std::string insert_node_sql(std::string_view table) {
  return "INSERT INTO " + std::string(table) + " (" + std::string(kNewNodeColumns) +
         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
         "$18, $19, $20, $21, $21)";
}

Status insert_node_into(SqlSession& s, const std::string& sql, const ExecutionNodeRecord& n) {
  OPZ_TRY_STATUS(s.exec(sql, {n.id,
                              n.execution_id,
                              n.node_id,
                              n.name,
                              n.type,
                              n.status,
                              n.attempt,
                              n.max_attempts,
                              n.exit_code,
                              n.signal,
                              text_or_null(n.error),
                              dump_json(n.outputs),
                              text_or_null(n.logs),
                              n.log_bytes,
                              n.log_truncated,
                              text_or_null(n.started_at),
                              text_or_null(n.completed_at),
                              n.duration_ms,
                              text_or_null(n.next_attempt_at),
                              n.position,
                              n.created_at}));
  return ok_status();
}

// New node rows, in order (their events' ids follow it).
// SQLite stamps an event's `at` ('now', realtime_events.created_at) once per
// STATEMENT: rows inserted one statement each carry times spread over the
// transaction (25-35 ms for a 1,000-node submit on a busy server), and the
// batch frame that takes their events to the stream carries every one of
// them (27 of its ~86 bytes an event). So several rows are staged in a
// temporary table (this connection's own; no triggers, no indexes) and
// copied by ONE statement: every event of them has one `at`, taken close to
// the commit (PostgreSQL's now() is one time for the whole transaction too),
// which the batch frame writes once.
Status insert_nodes(SqlSession& s, const std::vector<ExecutionNodeRecord>& nodes) {
  static const std::string kInsert = insert_node_sql("execution_nodes");
  if (nodes.size() < 2 || s.dialect() != "sqlite") {
    for (const ExecutionNodeRecord& n : nodes) OPZ_TRY_STATUS(insert_node_into(s, kInsert, n));
    return ok_status();
  }
  static const std::string kCreate =
      "CREATE TEMP TABLE IF NOT EXISTS staged_execution_nodes AS SELECT " +
      std::string(kNewNodeColumns) + " FROM main.execution_nodes WHERE 0";
  static const std::string kStage = insert_node_sql("temp.staged_execution_nodes");
  static const std::string kCopy = "INSERT INTO main.execution_nodes (" +
                                   std::string(kNewNodeColumns) + ") SELECT " +
                                   std::string(kNewNodeColumns) +
                                   " FROM temp.staged_execution_nodes ORDER BY rowid";
  OPZ_TRY_STATUS(s.exec(kCreate));
  for (const ExecutionNodeRecord& n : nodes) OPZ_TRY_STATUS(insert_node_into(s, kStage, n));
  OPZ_TRY_STATUS(s.exec(kCopy));
  OPZ_TRY_STATUS(s.exec("DELETE FROM temp.staged_execution_nodes"));
  return ok_status();
}

Status update_node(SqlSession& s, const ExecutionNodeRecord& n, const std::string& at) {
  OPZ_TRY(int64_t changed,
          s.exec("UPDATE execution_nodes SET status = $2, attempt = $3, max_attempts = $4, "
                 "exit_code = $5, signal = $6, error = $7, outputs = $8, logs = $9, "
                 "log_bytes = $10, log_truncated = $11, started_at = $12, completed_at = $13, "
                 "duration_ms = $14, next_attempt_at = $15, updated_at = $16 WHERE id = $1",
                 {n.id, n.status, n.attempt, n.max_attempts, n.exit_code, n.signal,
                  text_or_null(n.error), dump_json(n.outputs), text_or_null(n.logs), n.log_bytes,
                  n.log_truncated, text_or_null(n.started_at), text_or_null(n.completed_at),
                  n.duration_ms, text_or_null(n.next_attempt_at), at}));
  if (changed != 1) return Error::not_found("no execution node row " + n.id);
  return ok_status();
}

Status update_execution(SqlSession& s, const ExecutionChange& c, const std::string& at) {
  const ExecutionRecord& e = c.row;
  Params params = {e.id,
                   e.status,
                   e.progress,
                   text_or_null(e.blocked_reason),
                   text_or_null(e.cancel_reason),
                   text_or_null(e.commit_hash),
                   text_or_null(e.started_at),
                   text_or_null(e.completed_at),
                   dump_json(e.metadata),
                   at,
                   c.previous_status};
  std::string sql =
      "UPDATE executions SET status = $2, progress = $3, blocked_reason = $4, "
      "cancel_reason = $5, commit_hash = $6, started_at = $7, completed_at = $8, metadata = $9, "
      "updated_at = $10";
  if (c.write_pipeline) {
    sql += ", pipeline = $12";
    params.push_back(e.pipeline);
  }
  sql += " WHERE id = $1 AND status = $11";
  OPZ_TRY(int64_t changed, s.exec(sql, params));
  if (changed == 1) return ok_status();
  OPZ_TRY(Rows rows, s.query("SELECT status FROM executions WHERE id = $1", {e.id}));
  if (rows.empty()) return Error::not_found("no execution with id " + e.id);
  return Error::conflict("execution " + e.id + " is " + rows[0]["status"].as_text() +
                         ", expected " + c.previous_status);
}

// One execution with its "created" state event and its node rows, inside the
// caller's transaction.
Status insert_execution(SqlSession& s, const ExecutionRecord& e,
                        const std::vector<ExecutionNodeRecord>& nodes) {
  OPZ_TRY_STATUS(
      s.exec("INSERT INTO executions (id, name, project_id, flow_template_id, pipeline, status, "
             "environment, branch, commit_hash, progress, governance_status, blocked_reason, "
             "started_by, trigger_type, parent_execution_id, rerun_checkpoint_id, cancel_reason, "
             "metadata, started_at, completed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, "
             "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)",
             {e.id,
              e.name,
              text_or_null(e.project_id),
              text_or_null(e.flow_template_id),
              text_or_null(e.pipeline),
              e.status,
              text_or_null(e.environment),
              text_or_null(e.branch),
              text_or_null(e.commit_hash),
              e.progress,
              text_or_null(e.governance_status),
              text_or_null(e.blocked_reason),
              text_or_null(e.started_by),
              text_or_null(e.trigger_type),
              text_or_null(e.parent_execution_id),
              text_or_null(e.rerun_checkpoint_id),
              text_or_null(e.cancel_reason),
              dump_json(e.metadata),
              text_or_null(e.started_at),
              text_or_null(e.completed_at),
              e.created_at}));
  OPZ_TRY_STATUS(insert_state_event(s, e.id, "", "", e.status, "created", e.created_at));
  return insert_nodes(s, nodes);
}

}  // namespace

Status ExecutionStore::create(const ExecutionRecord& e,
                              const std::vector<ExecutionNodeRecord>& nodes) {
  return db_.write([&](SqlSession& s) -> Status { return insert_execution(s, e, nodes); });
}

Status ExecutionStore::create_many(const std::vector<NewExecutionRows>& executions) {
  if (executions.empty()) return ok_status();
  return db_.write([&](SqlSession& s) -> Status {
    for (const NewExecutionRows& e : executions)
      OPZ_TRY_STATUS(insert_execution(s, e.execution, e.nodes));
    return ok_status();
  });
}

Result<BatchResult> ExecutionStore::apply(const ExecutionBatch& b) {
  return db_.write([&](SqlSession& s) -> Result<BatchResult> {
    // First, before any write: the fence (execution_owner_guard.h).
    OPZ_TRY(std::set<std::string> fenced, fenced_executions(s, b.owners));
    auto kept = [&](const std::string& execution_id) {
      return fenced.empty() || !fenced.contains(execution_id);
    };
    BatchResult out;
    out.fenced.assign(fenced.begin(), fenced.end());
    out.log_seqs.reserve(b.logs.size());
    for (const LogLineRecord& l : b.logs) {
      if (!kept(l.execution_id)) {
        out.log_seqs.push_back(0);
        continue;
      }
      OPZ_TRY(Rows rows,
              s.query("INSERT INTO execution_logs (execution_id, node_id, attempt, stream, level, "
                      "message, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                      {l.execution_id, text_or_null(l.node_id), l.attempt, l.stream, l.level,
                       l.message, l.created_at}));
      out.log_seqs.push_back(rows.empty() ? 0 : rows[0][0].as_int());
    }
    std::vector<ExecutionNodeRecord> new_nodes;
    for (const ExecutionNodeRecord& n : b.new_nodes)
      if (kept(n.execution_id)) new_nodes.push_back(n);
    OPZ_TRY_STATUS(insert_nodes(s, new_nodes));
    for (const RowChange& change : b.changes) {
      if (const NodeChange* c = std::get_if<NodeChange>(&change)) {
        if (!kept(c->row.execution_id)) continue;
        OPZ_TRY_STATUS(update_node(s, c->row, b.at));
        if (c->previous_status != c->row.status) {
          OPZ_TRY_STATUS(insert_state_event(s, c->row.execution_id, c->row.node_id,
                                            c->previous_status, c->row.status, c->reason, b.at));
        }
      } else {
        const ExecutionChange& e = std::get<ExecutionChange>(change);
        if (!kept(e.row.id)) continue;
        OPZ_TRY_STATUS(update_execution(s, e, b.at));
        if (e.previous_status != e.row.status) {
          OPZ_TRY_STATUS(
              insert_state_event(s, e.row.id, "", e.previous_status, e.row.status, e.reason, b.at));
        }
      }
    }
    for (const ArtifactRecord& a : b.artifacts) {
      if (!kept(a.execution_id)) continue;
      OPZ_TRY_STATUS(s.exec(
          "INSERT INTO artifacts (id, name, execution_id, node_id, image_digest, image_tag, "
          "registry_url, type, size_bytes, metadata, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
          "$7, $8, $9, $10, $11)",
          {a.id, a.name, a.execution_id, text_or_null(a.node_id), text_or_null(a.image_digest),
           text_or_null(a.image_tag), text_or_null(a.registry_url), text_or_null(a.type),
           a.size_bytes, dump_json(a.metadata), a.created_at}));
    }
    for (const CheckpointRecord& c : b.checkpoints) {
      if (!kept(c.execution_id)) continue;
      OPZ_TRY_STATUS(
          s.exec("INSERT INTO checkpoints (id, execution_id, node_id, name, state, created_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6)",
                 {c.id, c.execution_id, c.node_id, c.name,
                  c.state_text.empty() ? dump_json(c.state) : c.state_text, c.created_at}));
    }
    for (const ApprovalRequestRecord& a : b.approvals) {
      if (!kept(a.execution_id)) continue;
      OPZ_TRY_STATUS(
          s.exec("INSERT INTO approval_requests (id, execution_id, node_id, environment, status, "
                 "required_approvals, requested_by, title, description, wait_until, created_at, "
                 "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
                 {a.id, a.execution_id, a.node_id, text_or_null(a.environment), a.status,
                  a.required_approvals, text_or_null(a.requested_by), a.title,
                  text_or_null(a.description), text_or_null(a.wait_until), a.created_at}));
    }
    for (const ApprovalResolution& r : b.approval_resolutions) {
      if (!kept(r.execution_id)) continue;
      OPZ_TRY_STATUS(
          s.exec("UPDATE approval_requests SET status = $3, resolved_at = $4, updated_at = $4 "
                 "WHERE execution_id = $1 AND node_id = $2 AND status = 'pending'",
                 {r.execution_id, r.node_id, r.status, b.at}));
    }
    return out;
  });
}

Result<ExecutionRecord> ExecutionStore::find(const std::string& id, bool with_pipeline) {
  return db_.read([&](SqlSession& s) -> Result<ExecutionRecord> {
    std::string sql = "SELECT " + std::string(kExecutionListColumns);
    if (with_pipeline) sql += ", pipeline";
    OPZ_TRY(Rows rows, s.query(sql + " FROM executions WHERE id = $1", {id}));
    if (rows.empty()) return Error::not_found("no execution with id " + id);
    return execution_from_row(rows[0], with_pipeline);
  });
}

Result<ExecutionDetail> ExecutionStore::get(const std::string& id) {
  return db_.read([&](SqlSession& s) -> Result<ExecutionDetail> {
    OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kExecutionListColumns) +
                                   ", pipeline FROM executions "
                                   "WHERE id = $1",
                               {id}));
    if (rows.empty()) return Error::not_found("no execution with id " + id);
    ExecutionDetail d;
    d.execution = execution_from_row(rows[0], true);
    OPZ_TRY(Rows nodes, s.query("SELECT " + std::string(kNodeColumns) +
                                    " FROM execution_nodes WHERE execution_id = $1 "
                                    "ORDER BY position, id",
                                {id}));
    d.nodes.reserve(nodes.size());
    for (const Row& r : nodes) d.nodes.push_back(node_from_row(r));
    return d;
  });
}

Result<std::vector<ExecutionNodeRecord>> ExecutionStore::nodes(const std::string& execution_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ExecutionNodeRecord>> {
    OPZ_TRY(Rows nodes, s.query("SELECT " + std::string(kNodeColumns) +
                                    " FROM execution_nodes WHERE execution_id = $1 "
                                    "ORDER BY position, id",
                                {execution_id}));
    std::vector<ExecutionNodeRecord> out;
    out.reserve(nodes.size());
    for (const Row& r : nodes) out.push_back(node_from_row(r));
    return out;
  });
}

Result<Page<ExecutionRecord>> ExecutionStore::list(const ExecutionFilter& f,
                                                   const PageRequest& page) {
  if (!f.since.empty() && !parse_time(f.since))
    return Error::validation("since must be an ISO-8601 time", "since");
  return db_.read([&](SqlSession& s) -> Result<Page<ExecutionRecord>> {
    std::string sql =
        "SELECT " + std::string(kExecutionListColumns) + " FROM executions WHERE 1 = 1";
    Params params;
    auto add = [&](const std::string& clause, SqlValue v) {
      params.push_back(std::move(v));
      std::string n = "$" + std::to_string(params.size());
      std::string c = clause;
      c.replace(c.find('?'), 1, n);
      sql += " AND " + c;
    };
    if (!f.status.empty()) add("status = ?", f.status);
    if (!f.environment.empty()) add("environment = ?", f.environment);
    if (!f.branch.empty()) add("branch = ?", f.branch);
    if (!f.project_id.empty()) add("project_id = ?", f.project_id);
    if (!f.trigger_type.empty()) add("trigger_type = ?", f.trigger_type);
    if (!f.since.empty()) add("created_at >= ?", format_time(*parse_time(f.since)));
    OPZ_TRY_STATUS(append_page_clause(page, sql, params));
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<ExecutionRecord>(
        rows, page.limit, [](const Row& r) { return execution_from_row(r, false); });
  });
}

Result<std::vector<ExecutionRecord>> ExecutionStore::list_unfinished() {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ExecutionRecord>> {
    OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kExecutionListColumns) +
                               ", pipeline FROM executions WHERE "
                               "status IN ('idle', 'running', 'paused') ORDER BY created_at, id"));
    std::vector<ExecutionRecord> out;
    for (const Row& r : rows) out.push_back(execution_from_row(r, true));
    return out;
  });
}

Result<std::vector<ExecutionRecord>> ExecutionStore::list_held() {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ExecutionRecord>> {
    OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kExecutionListColumns) +
                               " FROM executions WHERE status = 'paused' AND governance_status IN "
                               "('waiting', 'pending_approval') ORDER BY created_at, id"));
    std::vector<ExecutionRecord> out;
    for (const Row& r : rows) out.push_back(execution_from_row(r, false));
    return out;
  });
}

Result<std::vector<ExecutionRecord>> ExecutionStore::list_deploying(
    const std::string& project_id, const std::string& environment) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ExecutionRecord>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT " + std::string(kExecutionListColumns) +
                        " FROM executions WHERE project_id = $1 AND environment = $2 AND status IN "
                        "('idle', 'running', 'paused') AND " +
                        not_ci_only(s) + " ORDER BY created_at, id",
                    {project_id, environment}));
    std::vector<ExecutionRecord> out;
    for (const Row& r : rows) out.push_back(execution_from_row(r, false));
    return out;
  });
}

Status ExecutionStore::set_governance(const std::string& id, const std::string& governance_status,
                                      const std::string& blocked_reason, const Json& explanation,
                                      const std::string& now) {
  // metadata.governance is set here, not in SQL (json_set has no portable
  // equivalent on PostgreSQL's json type): read, change, write back in one
  // transaction.
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(Rows rows, s.query("SELECT metadata FROM executions WHERE id = $1", {id}));
    if (rows.empty()) return Error::not_found("no execution with id " + id);
    Json metadata = parse_json_or(rows[0][0].as_text(), Json::object());
    if (!metadata.is_object()) metadata = Json::object();
    metadata["governance"] = explanation;
    OPZ_TRY_STATUS(
        s.exec("UPDATE executions SET governance_status = $2, blocked_reason = $3, "
               "metadata = $4, updated_at = $5 WHERE id = $1",
               {id, governance_status, text_or_null(blocked_reason), dump_json(metadata), now}));
    return ok_status();
  });
}

Result<std::vector<ExecutionRecord>> ExecutionStore::list_admitted_deployments() {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ExecutionRecord>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT " + std::string(kExecutionListColumns) +
                    " FROM executions WHERE status IN ('idle', 'running', 'paused') AND NOT "
                    "(status = 'paused' AND COALESCE(governance_status, '') IN "
                    "('waiting', 'pending_approval')) AND " +
                    not_ci_only(s) + " ORDER BY created_at, id"));
    std::vector<ExecutionRecord> out;
    for (const Row& r : rows) out.push_back(execution_from_row(r, false));
    return out;
  });
}

}  // namespace opz::store
