#include "store/deployment_store.h"

#include <algorithm>
#include <set>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kDeploymentColumns =
    "d.id, d.execution_id, d.node_id, d.project_id, d.environment, d.version, d.commit_sha, "
    "d.image_tag, d.artifact_id, d.status, d.strategy, d.phase, d.slot, d.canary_weight, "
    "d.deployed_by, d.started_at, d.completed_at, d.rollback_of, d.reason, d.created_at, "
    "d.updated_at";

constexpr const char* kVersionSelect =
    "SELECT id, project_id, deployment_id, environment, version_tag, commit_sha, image_tag, "
    "artifact_id, is_current, marked_bad, marked_bad_reason, created_at "
    "FROM deployment_versions ";

constexpr const char* kHoldSelect =
    "SELECT id, project_id, environment, deployment_id, version_tag, reason, created_by, "
    "created_at, released_by, released_at FROM deployment_holds ";

// Ends a deployment with one of these; 'success' goes through succeed().
const std::set<std::string>& final_statuses() {
  static const std::set<std::string> kFinal = {"failed", "rolled_back", "cancelled", "blocked"};
  return kFinal;
}

bool is_open(const std::string& status) { return status == "pending" || status == "running"; }

std::string select_deployments_sql() {
  return std::string("SELECT ") + kDeploymentColumns + " FROM deployments d ";
}

DeploymentRecord deployment_from_row(const Row& r) {
  DeploymentRecord d;
  d.id = r["id"].as_text();
  d.execution_id = r["execution_id"].as_text();
  d.node_id = r["node_id"].as_text();
  d.project_id = r["project_id"].as_text();
  d.environment = r["environment"].as_text();
  d.version = r["version"].as_text();
  d.commit_sha = r["commit_sha"].as_text();
  d.image_tag = r["image_tag"].as_text();
  d.artifact_id = r["artifact_id"].as_text();
  d.status = r["status"].as_text();
  d.strategy = r["strategy"].as_text();
  d.phase = r["phase"].as_text();
  d.slot = r["slot"].as_text();
  d.canary_weight = static_cast<int>(r["canary_weight"].as_int());
  d.deployed_by = r["deployed_by"].as_text();
  d.started_at = r["started_at"].as_text();
  d.completed_at = r["completed_at"].as_text();
  d.rollback_of = r["rollback_of"].as_text();
  d.reason = r["reason"].as_text();
  d.created_at = r["created_at"].as_text();
  d.updated_at = r["updated_at"].as_text();
  return d;
}

DeploymentVersionRecord version_from_row(const Row& r) {
  DeploymentVersionRecord v;
  v.id = r["id"].as_text();
  v.project_id = r["project_id"].as_text();
  v.deployment_id = r["deployment_id"].as_text();
  v.environment = r["environment"].as_text();
  v.version_tag = r["version_tag"].as_text();
  v.commit_sha = r["commit_sha"].as_text();
  v.image_tag = r["image_tag"].as_text();
  v.artifact_id = r["artifact_id"].as_text();
  v.is_current = r["is_current"].as_bool();
  v.marked_bad = r["marked_bad"].as_bool();
  v.marked_bad_reason = r["marked_bad_reason"].as_text();
  v.created_at = r["created_at"].as_text();
  return v;
}

DeploymentProbeRecord probe_from_row(const Row& r) {
  DeploymentProbeRecord p;
  p.id = r["id"].as_text();
  p.deployment_id = r["deployment_id"].as_text();
  p.kind = r["kind"].as_text();
  p.target = r["target"].as_text();
  p.ok = r["ok"].as_bool();
  p.latency_ms = r["latency_ms"].as_int();
  if (!r["status_code"].is_null()) p.status_code = static_cast<int>(r["status_code"].as_int());
  if (!r["value"].is_null()) p.value = r["value"].as_real();
  p.error = r["error"].as_text();
  p.created_at = r["created_at"].as_text();
  return p;
}

DeploymentHoldRecord hold_from_row(const Row& r) {
  DeploymentHoldRecord h;
  h.id = r["id"].as_text();
  h.project_id = r["project_id"].as_text();
  h.environment = r["environment"].as_text();
  h.deployment_id = r["deployment_id"].as_text();
  h.version_tag = r["version_tag"].as_text();
  h.reason = r["reason"].as_text();
  h.created_by = r["created_by"].as_text();
  h.created_at = r["created_at"].as_text();
  h.released_by = r["released_by"].as_text();
  h.released_at = r["released_at"].as_text();
  return h;
}

template <typename T, typename FromRow>
Result<std::vector<T>> select_all(SqlSession& s, const std::string& sql, const Params& params,
                                  FromRow from_row) {
  OPZ_TRY(Rows rows, s.query(sql, params));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(from_row(r));
  return out;
}

template <typename T, typename FromRow>
Result<std::optional<T>> select_first(SqlSession& s, const std::string& sql, const Params& params,
                                      FromRow from_row) {
  OPZ_TRY(Rows rows, s.query(sql, params));
  if (rows.empty()) return std::optional<T>();
  return std::optional<T>(from_row(rows[0]));
}

Result<DeploymentRecord> find_in(SqlSession& s, const std::string& id) {
  OPZ_TRY(auto found,
          select_first<DeploymentRecord>(s, select_deployments_sql() + "WHERE d.id = $1", {id},
                                         deployment_from_row));
  if (!found) return Error::not_found("no deployment with id " + id);
  return std::move(*found);
}

Status project_exists(SqlSession& s, const std::string& project_id) {
  OPZ_TRY(Rows rows, s.query("SELECT 1 FROM projects WHERE id = $1", {project_id}));
  if (rows.empty()) return Error::not_found("no project with id " + project_id);
  return {};
}

// The progress fields the database also checks, answered with their field.
Status validate_progress(const std::string& slot, int canary_weight) {
  if (!slot.empty() && slot != "blue" && slot != "green")
    return Error::validation("slot must be blue or green", "slot");
  if (canary_weight < 0 || canary_weight > 100)
    return Error::validation("canary_weight must be from 0 to 100", "canary_weight");
  return {};
}

Status validate_new(const DeploymentRecord& d) {
  static const std::set<std::string> kStatuses = {"pending",     "running",   "success", "failed",
                                                  "rolled_back", "cancelled", "blocked"};
  static const std::set<std::string> kStrategies = {"rolling", "recreate", "blue_green", "canary"};
  if (d.project_id.empty())
    return Error::validation("a deployment needs its project", "project_id");
  if (d.environment.empty())
    return Error::validation("a deployment needs its environment", "environment");
  if (!kStatuses.count(d.status)) return Error::validation("unknown status " + d.status, "status");
  if (!kStrategies.count(d.strategy))
    return Error::validation("unknown strategy " + d.strategy, "strategy");
  return validate_progress(d.slot, d.canary_weight);
}

// The version row a deployment wrote (at most one; the newest if a database
// from before 010 holds several).
Result<std::optional<DeploymentVersionRecord>> version_of(SqlSession& s,
                                                          const std::string& deployment_id) {
  return select_first<DeploymentVersionRecord>(
      s,
      std::string(kVersionSelect) +
          "WHERE deployment_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
      {deployment_id}, version_from_row);
}

Status insert_version(SqlSession& tx, const DeploymentVersionRecord& v) {
  OPZ_TRY_STATUS(
      tx.exec("INSERT INTO deployment_versions (id, project_id, deployment_id, environment, "
              "version_tag, commit_sha, image_tag, artifact_id, is_current, marked_bad, "
              "marked_bad_reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
              "$11, $12)",
              {v.id, v.project_id, v.deployment_id, v.environment, v.version_tag,
               text_or_null(v.commit_sha), text_or_null(v.image_tag), text_or_null(v.artifact_id),
               v.is_current, v.marked_bad, text_or_null(v.marked_bad_reason), v.created_at}));
  return {};
}

// The version row `d` writes (not yet current, not bad).
DeploymentVersionRecord version_row_for(const DeploymentRecord& d, const std::string& now) {
  DeploymentVersionRecord v;
  v.id = new_uuid();
  v.project_id = d.project_id;
  v.deployment_id = d.id;
  v.environment = d.environment;
  v.version_tag = d.version;
  v.commit_sha = d.commit_sha;
  v.image_tag = d.image_tag;
  v.artifact_id = d.artifact_id;
  v.created_at = now;
  return v;
}

// Records `d`'s version as bad: its existing row, or a new (not current) one.
Status mark_version_bad(SqlSession& tx, const DeploymentRecord& d, const std::string& reason,
                        const std::string& now) {
  OPZ_TRY(auto existing, version_of(tx, d.id));
  if (existing) {
    OPZ_TRY_STATUS(tx.exec(
        "UPDATE deployment_versions SET marked_bad = TRUE, marked_bad_reason = $2 WHERE id = $1",
        {existing->id, text_or_null(reason)}));
    return {};
  }
  DeploymentVersionRecord v = version_row_for(d, now);
  v.marked_bad = true;
  v.marked_bad_reason = reason;
  return insert_version(tx, v);
}

}  // namespace

// ---- free functions for callers inside a transaction -------------------------

Result<std::optional<DeploymentHoldRecord>> load_active_hold(SqlSession& s,
                                                             const std::string& project_id,
                                                             const std::string& environment) {
  return select_first<DeploymentHoldRecord>(
      s,
      std::string(kHoldSelect) +
          "WHERE project_id = $1 AND environment = $2 AND released_at IS NULL",
      {project_id, environment}, hold_from_row);
}

Result<std::vector<LifecyclePhaseRecord>> load_lifecycle(SqlSession& s,
                                                         const std::string& project_id) {
  return select_all<LifecyclePhaseRecord>(
      s,
      "SELECT position, environment, soak_seconds FROM lifecycle_phases WHERE project_id = $1 "
      "ORDER BY position",
      {project_id}, [](const Row& r) {
        return LifecyclePhaseRecord{static_cast<int>(r["position"].as_int()),
                                    r["environment"].as_text(), r["soak_seconds"].as_int()};
      });
}

Result<std::optional<DeploymentRecord>> load_latest_success(SqlSession& s,
                                                            const std::string& project_id,
                                                            const std::string& environment,
                                                            const std::string& commit_sha,
                                                            const std::string& version_tag) {
  if (commit_sha.empty() && version_tag.empty()) return std::optional<DeploymentRecord>();
  const std::string match = commit_sha.empty() ? "d.version = $3" : "d.commit_sha = $3";
  return select_first<DeploymentRecord>(
      s,
      select_deployments_sql() + "WHERE d.project_id = $1 AND d.environment = $2 AND " + match +
          " AND d.status = 'success' ORDER BY d.completed_at DESC, d.id DESC LIMIT 1",
      {project_id, environment, commit_sha.empty() ? version_tag : commit_sha},
      deployment_from_row);
}

// ---- deployments ---------------------------------------------------------------

Result<DeploymentRecord> DeploymentStore::create(DeploymentRecord d, const DeploymentAlso& also) {
  OPZ_TRY_STATUS(validate_new(d));
  if (d.id.empty()) d.id = new_uuid();
  d.created_at = d.updated_at = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Result<DeploymentRecord> {
    OPZ_TRY_STATUS(project_exists(tx, d.project_id));
    OPZ_TRY_STATUS(tx.exec(
        "INSERT INTO deployments (id, execution_id, node_id, project_id, environment, version, "
        "commit_sha, image_tag, artifact_id, status, strategy, phase, slot, canary_weight, "
        "deployed_by, started_at, completed_at, rollback_of, reason, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
        "$19, $20, $20)",
        {d.id,
         text_or_null(d.execution_id),
         text_or_null(d.node_id),
         d.project_id,
         d.environment,
         d.version,
         text_or_null(d.commit_sha),
         text_or_null(d.image_tag),
         text_or_null(d.artifact_id),
         d.status,
         d.strategy,
         text_or_null(d.phase),
         text_or_null(d.slot),
         d.canary_weight,
         text_or_null(d.deployed_by),
         text_or_null(d.started_at),
         text_or_null(d.completed_at),
         text_or_null(d.rollback_of),
         text_or_null(d.reason),
         d.created_at}));
    if (also) OPZ_TRY_STATUS(also(tx));
    return find_in(tx, d.id);
  });
}

Result<DeploymentRecord> DeploymentStore::find(const std::string& id) {
  return db_.read([&](SqlSession& s) { return find_in(s, id); });
}

Result<DeploymentRecord> DeploymentStore::find_for_node(const std::string& execution_id,
                                                        const std::string& node_id) {
  return db_.read([&](SqlSession& s) -> Result<DeploymentRecord> {
    OPZ_TRY(auto found,
            select_first<DeploymentRecord>(s,
                                           select_deployments_sql() +
                                               "WHERE d.execution_id = $1 AND d.node_id = $2 "
                                               "ORDER BY d.created_at DESC, d.id DESC LIMIT 1",
                                           {execution_id, node_id}, deployment_from_row));
    if (!found)
      return Error::not_found("node " + node_id + " of execution " + execution_id +
                              " has no deployment");
    return std::move(*found);
  });
}

Result<Page<DeploymentRecord>> DeploymentStore::list(const DeploymentFilter& filter,
                                                     const PageRequest& page) {
  std::string sql = select_deployments_sql() + "WHERE 1 = 1";
  Params params;
  auto add = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    params.emplace_back(value);
    sql += std::string(" AND ") + column + " = $" + std::to_string(params.size());
  };
  add("d.project_id", filter.project_id);
  add("d.environment", filter.environment);
  add("d.status", filter.status);
  add("d.execution_id", filter.execution_id);
  OPZ_TRY_STATUS(append_page_clause(page, sql, params, {"d.created_at", "d.id"}));
  return db_.read([&](SqlSession& s) -> Result<Page<DeploymentRecord>> {
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<DeploymentRecord>(rows, page.limit, deployment_from_row);
  });
}

Status DeploymentStore::start(const DeploymentRecord& d) {
  OPZ_TRY_STATUS(validate_progress(d.slot, 0));
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Status {
    OPZ_TRY(DeploymentRecord current, find_in(tx, d.id));
    if (!is_open(current.status))
      return Error::conflict("deployment " + d.id + " already ended (" + current.status + ")",
                             "status");
    // Empty fields of `d` keep what the row holds; strategy always applies.
    OPZ_TRY_STATUS(
        tx.exec("UPDATE deployments SET status = 'running', started_at = COALESCE(started_at, $2), "
                "version = COALESCE($3, version), commit_sha = COALESCE($4, commit_sha), "
                "image_tag = COALESCE($5, image_tag), artifact_id = COALESCE($6, artifact_id), "
                "strategy = $7, slot = COALESCE($8, slot), phase = COALESCE($9, phase), "
                "deployed_by = COALESCE($10, deployed_by), updated_at = $2 WHERE id = $1",
                {d.id, now, text_or_null(d.version), text_or_null(d.commit_sha),
                 text_or_null(d.image_tag), text_or_null(d.artifact_id), d.strategy,
                 text_or_null(d.slot), text_or_null(d.phase), text_or_null(d.deployed_by)}));
    return {};
  });
}

Status DeploymentStore::progress(const std::string& id, const std::string& phase,
                                 const std::string& slot, int canary_weight) {
  OPZ_TRY_STATUS(validate_progress(slot, canary_weight));
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Status {
    OPZ_TRY(int64_t changed,
            tx.exec("UPDATE deployments SET phase = $2, slot = COALESCE($3, slot), "
                    "canary_weight = $4, updated_at = $5 WHERE id = $1",
                    {id, text_or_null(phase), text_or_null(slot), canary_weight, now}));
    if (changed == 0) return Error::not_found("no deployment with id " + id);
    return {};
  });
}

Result<DeploymentVersionRecord> DeploymentStore::succeed(const std::string& id,
                                                         const DeploymentAlso& also) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Result<DeploymentVersionRecord> {
    OPZ_TRY(DeploymentRecord d, find_in(tx, id));
    if (d.status == "success") {  // a repeated call: what the first one recorded
      OPZ_TRY(auto recorded, version_of(tx, id));
      if (recorded) return std::move(*recorded);
    }
    if (!is_open(d.status))
      return Error::conflict("deployment " + id + " already ended (" + d.status + ")", "status");
    if (d.version.empty())
      return Error::validation("deployment " + id + " has no version to make current", "version");
    OPZ_TRY_STATUS(
        tx.exec("UPDATE deployments SET status = 'success', completed_at = $2, deployed_at = $2, "
                "updated_at = $2 WHERE id = $1",
                {id, now}));
    OPZ_TRY_STATUS(
        tx.exec("UPDATE deployment_versions SET is_current = FALSE "
                "WHERE project_id = $1 AND environment = $2 AND is_current = TRUE",
                {d.project_id, d.environment}));
    DeploymentVersionRecord v = version_row_for(d, now);
    v.is_current = true;
    OPZ_TRY_STATUS(insert_version(tx, v));
    if (also) OPZ_TRY_STATUS(also(tx));
    return v;
  });
}

Status DeploymentStore::finish(const std::string& id, const std::string& status,
                               const std::string& reason, bool mark_bad,
                               const DeploymentAlso& also) {
  if (!final_statuses().count(status))
    return Error::validation("a deployment ends failed, rolled_back, cancelled or blocked",
                             "status");
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Status {
    OPZ_TRY(DeploymentRecord d, find_in(tx, id));
    if (!is_open(d.status))
      return Error::conflict("deployment " + id + " already ended (" + d.status + ")", "status");
    OPZ_TRY_STATUS(tx.exec(
        "UPDATE deployments SET status = $2, reason = $3, completed_at = $4, updated_at = $4 "
        "WHERE id = $1",
        {id, status, text_or_null(reason), now}));
    if (mark_bad) OPZ_TRY_STATUS(mark_version_bad(tx, d, reason, now));
    if (also) OPZ_TRY_STATUS(also(tx));
    return {};
  });
}

Status DeploymentStore::mark_bad(const std::string& project_id, const std::string& environment,
                                 const std::string& version_tag, const std::string& reason) {
  return db_.write([&](SqlSession& tx) -> Status {
    OPZ_TRY(int64_t changed,
            tx.exec("UPDATE deployment_versions SET marked_bad = TRUE, marked_bad_reason = $4 "
                    "WHERE project_id = $1 AND environment = $2 AND version_tag = $3",
                    {project_id, environment, version_tag, text_or_null(reason)}));
    if (changed == 0)
      return Error::not_found("version " + version_tag + " was never deployed to " + environment);
    return {};
  });
}

// ---- versions and history -----------------------------------------------------

Result<std::optional<DeploymentVersionRecord>> DeploymentStore::current(
    const std::string& project_id, const std::string& environment) {
  return db_.read([&](SqlSession& s) {
    return select_first<DeploymentVersionRecord>(
        s,
        std::string(kVersionSelect) +
            "WHERE project_id = $1 AND environment = $2 AND is_current = TRUE",
        {project_id, environment}, version_from_row);
  });
}

Result<std::optional<DeploymentRecord>> DeploymentStore::current_deployment(
    const std::string& project_id, const std::string& environment) {
  return db_.read([&](SqlSession& s) {
    return select_first<DeploymentRecord>(
        s,
        select_deployments_sql() +
            "JOIN deployment_versions v ON v.deployment_id = d.id "
            "WHERE v.project_id = $1 AND v.environment = $2 AND v.is_current = TRUE",
        {project_id, environment}, deployment_from_row);
  });
}

Result<Page<DeploymentHistoryItem>> DeploymentStore::history(const std::string& project_id,
                                                             const std::string& environment,
                                                             const PageRequest& page) {
  // The version row of each deployment: its own (the newest, should a
  // database from before 010 hold several).
  std::string sql = std::string("SELECT ") + kDeploymentColumns +
                    ", COALESCE(v.is_current, FALSE) AS is_current, "
                    "COALESCE(v.marked_bad, FALSE) AS marked_bad FROM deployments d "
                    "LEFT JOIN deployment_versions v ON v.id = (SELECT x.id FROM "
                    "deployment_versions x WHERE x.deployment_id = d.id "
                    "ORDER BY x.created_at DESC, x.id DESC LIMIT 1) "
                    "WHERE d.project_id = $1 AND d.environment = $2";
  Params params = {project_id, environment};
  OPZ_TRY_STATUS(append_page_clause(page, sql, params, {"d.created_at", "d.id"}));
  return db_.read([&](SqlSession& s) -> Result<Page<DeploymentHistoryItem>> {
    OPZ_TRY(Rows rows, s.query(sql, params));
    Page<DeploymentHistoryItem> out;
    for (const Row& r : rows) {
      if (static_cast<int>(out.items.size()) == page.limit) {
        const DeploymentRecord& last = out.items.back().deployment;
        out.next_cursor = encode_cursor(last.created_at, last.id);
        break;
      }
      out.items.push_back(DeploymentHistoryItem{deployment_from_row(r), r["is_current"].as_bool(),
                                                r["marked_bad"].as_bool()});
    }
    return out;
  });
}

Result<std::optional<DeploymentRecord>> DeploymentStore::latest_success(
    const std::string& project_id, const std::string& environment, const std::string& commit_sha,
    const std::string& version_tag) {
  return db_.read([&](SqlSession& s) {
    return load_latest_success(s, project_id, environment, commit_sha, version_tag);
  });
}

// ---- probes ---------------------------------------------------------------------

Status DeploymentStore::record_probe(DeploymentProbeRecord probe) {
  if (probe.kind != "health" && probe.kind != "analysis")
    return Error::validation("a probe is health or analysis", "kind");
  if (probe.latency_ms < 0) return Error::validation("latency_ms must be >= 0", "latency_ms");
  if (probe.id.empty()) probe.id = new_uuid();
  if (probe.created_at.empty()) probe.created_at = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Status {
    OPZ_TRY(Rows d, tx.query("SELECT 1 FROM deployments WHERE id = $1", {probe.deployment_id}));
    if (d.empty()) return Error::not_found("no deployment with id " + probe.deployment_id);
    OPZ_TRY_STATUS(
        tx.exec("INSERT INTO deployment_probes (id, deployment_id, kind, target, ok, latency_ms, "
                "status_code, value, error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                "$9, $10)",
                {probe.id, probe.deployment_id, probe.kind, text_or_null(probe.target), probe.ok,
                 probe.latency_ms, SqlValue(probe.status_code), SqlValue(probe.value),
                 text_or_null(probe.error), probe.created_at}));
    return {};
  });
}

Result<std::vector<DeploymentProbeRecord>> DeploymentStore::probes(const std::string& deployment_id,
                                                                   int limit) {
  return db_.read([&](SqlSession& s) {
    // Recording order breaks ties of equal times: SQLite's rowid, PostgreSQL's
    // seq (an identity column of its schema).
    const std::string recorded = s.dialect() == "postgres" ? "seq" : "rowid";
    return select_all<DeploymentProbeRecord>(
        s,
        "SELECT id, deployment_id, kind, target, ok, latency_ms, status_code, value, error, "
        "created_at FROM deployment_probes WHERE deployment_id = $1 "
        "ORDER BY created_at DESC, " +
            recorded + " DESC LIMIT $2",
        {deployment_id, std::max(limit, 0)}, probe_from_row);
  });
}

// ---- holds ------------------------------------------------------------------------

Result<DeploymentHoldRecord> DeploymentStore::hold(DeploymentHoldRecord h,
                                                   const DeploymentAlso& also) {
  if (h.project_id.empty()) return Error::validation("a hold needs its project", "project_id");
  if (h.environment.empty())
    return Error::validation("a hold needs its environment", "environment");
  h.id = new_uuid();
  h.created_at = format_time(clock_.now());
  h.released_by.clear();
  h.released_at.clear();
  return db_.write([&](SqlSession& tx) -> Result<DeploymentHoldRecord> {
    OPZ_TRY_STATUS(project_exists(tx, h.project_id));
    OPZ_TRY(auto active, load_active_hold(tx, h.project_id, h.environment));
    if (active) return std::move(*active);
    OPZ_TRY_STATUS(tx.exec(
        "INSERT INTO deployment_holds (id, project_id, environment, deployment_id, version_tag, "
        "reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {h.id, h.project_id, h.environment, text_or_null(h.deployment_id),
         text_or_null(h.version_tag), text_or_null(h.reason), text_or_null(h.created_by),
         h.created_at}));
    if (also) OPZ_TRY_STATUS(also(tx));
    return h;
  });
}

Result<std::optional<DeploymentHoldRecord>> DeploymentStore::active_hold(
    const std::string& project_id, const std::string& environment) {
  return db_.read([&](SqlSession& s) { return load_active_hold(s, project_id, environment); });
}

Result<DeploymentHoldRecord> DeploymentStore::release_hold(const std::string& project_id,
                                                           const std::string& environment,
                                                           const std::string& released_by,
                                                           const DeploymentAlso& also) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Result<DeploymentHoldRecord> {
    OPZ_TRY(auto active, load_active_hold(tx, project_id, environment));
    if (!active) return Error::not_found(environment + " has no active hold");
    OPZ_TRY_STATUS(
        tx.exec("UPDATE deployment_holds SET released_by = $2, released_at = $3 WHERE id = $1",
                {active->id, text_or_null(released_by), now}));
    active->released_by = released_by;
    active->released_at = now;
    if (also) OPZ_TRY_STATUS(also(tx));
    return std::move(*active);
  });
}

Result<std::vector<DeploymentHoldRecord>> DeploymentStore::holds(const std::string& project_id,
                                                                 bool active_only) {
  return db_.read([&](SqlSession& s) {
    return select_all<DeploymentHoldRecord>(s,
                                            std::string(kHoldSelect) + "WHERE project_id = $1" +
                                                (active_only ? " AND released_at IS NULL" : "") +
                                                " ORDER BY created_at DESC, id DESC",
                                            {project_id}, hold_from_row);
  });
}

// ---- lifecycle ---------------------------------------------------------------------

Result<std::vector<LifecyclePhaseRecord>> DeploymentStore::lifecycle(
    const std::string& project_id) {
  return db_.read([&](SqlSession& s) { return load_lifecycle(s, project_id); });
}

Status DeploymentStore::set_lifecycle(const std::string& project_id,
                                      std::vector<LifecyclePhaseRecord> phases,
                                      const DeploymentAlso& also) {
  std::set<std::string> seen;
  for (size_t i = 0; i < phases.size(); ++i) {
    LifecyclePhaseRecord& p = phases[i];
    if (p.environment.empty())
      return Error::validation("a lifecycle phase names its environment", "environment");
    if (!seen.insert(p.environment).second)
      return Error::validation(p.environment + " appears twice in the lifecycle", "environment");
    if (p.soak_seconds < 0) return Error::validation("soak_seconds must be >= 0", "soak_seconds");
    p.position = static_cast<int>(i);
  }
  return db_.write([&](SqlSession& tx) -> Status {
    OPZ_TRY_STATUS(project_exists(tx, project_id));
    OPZ_TRY_STATUS(tx.exec("DELETE FROM lifecycle_phases WHERE project_id = $1", {project_id}));
    for (const LifecyclePhaseRecord& p : phases) {
      OPZ_TRY_STATUS(
          tx.exec("INSERT INTO lifecycle_phases (project_id, position, environment, soak_seconds) "
                  "VALUES ($1, $2, $3, $4)",
                  {project_id, p.position, p.environment, p.soak_seconds}));
    }
    if (also) OPZ_TRY_STATUS(also(tx));
    return {};
  });
}

}  // namespace opz::store
