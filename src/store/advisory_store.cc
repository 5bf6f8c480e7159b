#include "store/advisory_store.h"

#include <algorithm>

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::store {

Result<std::vector<std::string>> AdvisoryStore::project_ids() {
  return db_.read([](SqlSession& s) -> Result<std::vector<std::string>> {
    OPZ_TRY(Rows rows, s.query("SELECT id FROM projects ORDER BY id"));
    std::vector<std::string> out;
    for (const Row& r : rows) out.push_back(r["id"].as_text());
    return out;
  });
}

Result<ProjectRunFacts> AdvisoryStore::run_facts(const std::string& project_id,
                                                 const std::string& deployments_since,
                                                 const std::string& running_before) {
  return db_.read([&](SqlSession& s) -> Result<ProjectRunFacts> {
    OPZ_TRY(Rows d, s.query("SELECT count(*) AS finished, "
                            "coalesce(sum(CASE WHEN status = 'success' THEN 1 ELSE 0 END), 0) "
                            "AS succeeded FROM deployments WHERE project_id = $1 "
                            "AND status IN ('success', 'failed', 'rolled_back') "
                            "AND coalesce(completed_at, created_at) >= $2",
                            {project_id, deployments_since}));
    OPZ_TRY(Rows e, s.query("SELECT count(*) AS n FROM executions WHERE project_id = $1 "
                            "AND status = 'running' AND started_at < $2",
                            {project_id, running_before}));
    return ProjectRunFacts{d[0]["finished"].as_int(), d[0]["succeeded"].as_int(),
                           e[0]["n"].as_int()};
  });
}

namespace {

constexpr const char* kAdvisoryColumns =
    "id, project_id, rule, severity, title, message, observed, threshold, status, created_at, "
    "updated_at, resolved_at";

AdvisoryRecord advisory_of(const Row& r) {
  AdvisoryRecord a{r["id"].as_text(),         r["project_id"].as_text(),
                   r["rule"].as_text(),       r["severity"].as_text(),
                   r["title"].as_text(),      r["message"].as_text(),
                   std::nullopt,              std::nullopt,
                   r["status"].as_text(),     r["created_at"].as_text(),
                   r["updated_at"].as_text(), r["resolved_at"].as_text()};
  if (!r["observed"].is_null()) a.observed = r["observed"].as_real();
  if (!r["threshold"].is_null()) a.threshold = r["threshold"].as_real();
  return a;
}

constexpr const char* kSettingColumns =
    "rule, coalesce(project_id, '') AS project_id, threshold, window_seconds, severity, enabled, "
    "updated_by, updated_at";

AdvisoryRuleSettingRow setting_of(const Row& r) {
  AdvisoryRuleSettingRow s;
  s.rule = r["rule"].as_text();
  s.project_id = r["project_id"].as_text();
  if (!r["threshold"].is_null()) s.threshold = r["threshold"].as_real();
  if (!r["window_seconds"].is_null()) s.window_seconds = r["window_seconds"].as_int();
  s.severity = r["severity"].as_optional_text();
  if (!r["enabled"].is_null()) s.enabled = r["enabled"].as_bool();
  s.updated_by = r["updated_by"].as_text();
  s.updated_at = r["updated_at"].as_text();
  return s;
}

Result<std::vector<AdvisoryRuleSettingRow>> settings_where(Database& db, const std::string& where,
                                                           const Params& params) {
  return db.read([&](SqlSession& s) -> Result<std::vector<AdvisoryRuleSettingRow>> {
    OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kSettingColumns +
                                   " FROM advisory_rule_settings " + where +
                                   " ORDER BY 2, rule",
                               params));
    std::vector<AdvisoryRuleSettingRow> out;
    for (const Row& r : rows) out.push_back(setting_of(r));
    return out;
  });
}

}  // namespace

Result<std::set<std::string>> AdvisoryStore::projects_with_open_advisories() {
  return db_.read([](SqlSession& s) -> Result<std::set<std::string>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT DISTINCT project_id FROM ops_advisories WHERE status = 'open'"));
    std::set<std::string> out;
    for (const Row& r : rows) out.insert(r["project_id"].as_text());
    return out;
  });
}

Result<AdvisoryScanChanges> AdvisoryStore::record_scan_in(
    SqlSession& s, const std::string& project_id, const std::vector<std::string>& evaluated_rules,
    const std::vector<AdvisoryFindingRow>& findings) {
  const std::string now = format_time(clock_.now());
  OPZ_TRY(Rows open_rows, s.query(std::string("SELECT ") + kAdvisoryColumns +
                                      " FROM ops_advisories WHERE project_id = $1 "
                                      "AND status = 'open'",
                                  {project_id}));
  std::vector<AdvisoryRecord> open;
  for (const Row& r : open_rows) open.push_back(advisory_of(r));
  auto open_for = [&](const std::string& rule) {
    return std::find_if(open.begin(), open.end(),
                        [&](const AdvisoryRecord& a) { return a.rule == rule; });
  };
  AdvisoryScanChanges changes;
  for (const AdvisoryFindingRow& f : findings) {
    if (auto it = open_for(f.rule); it != open.end()) {
      OPZ_TRY_STATUS(s.exec("UPDATE ops_advisories SET severity = $2, title = $3, message = $4, "
                            "observed = $5, threshold = $6, updated_at = $7 WHERE id = $1",
                            {it->id, f.severity, f.title, f.message, f.observed, f.threshold,
                             now}));
      continue;
    }
    AdvisoryRecord a{new_uuid(), project_id, f.rule, f.severity, f.title, f.message,
                     f.observed, f.threshold, "open", now, now, ""};
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO ops_advisories (id, project_id, rule, severity, title, message, observed, "
        "threshold, status, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $9)",
        {a.id, project_id, f.rule, f.severity, f.title, f.message, f.observed, f.threshold,
         now}));
    open.push_back(a);
    changes.opened.push_back(std::move(a));
  }
  for (const AdvisoryRecord& a : open) {
    const bool evaluated =
        std::find(evaluated_rules.begin(), evaluated_rules.end(), a.rule) != evaluated_rules.end();
    const bool found = std::any_of(findings.begin(), findings.end(),
                                   [&](const AdvisoryFindingRow& f) { return f.rule == a.rule; });
    if (!evaluated || found) continue;
    OPZ_TRY_STATUS(s.exec("UPDATE ops_advisories SET status = 'resolved', resolved_at = $2, "
                          "updated_at = $2 WHERE id = $1",
                          {a.id, now}));
    AdvisoryRecord resolved = a;
    resolved.status = "resolved";
    resolved.resolved_at = now;
    resolved.updated_at = now;
    changes.resolved.push_back(std::move(resolved));
  }
  return changes;
}

Result<int64_t> AdvisoryStore::record_scan(const std::string& project_id,
                                           const std::vector<std::string>& evaluated_rules,
                                           const std::vector<AdvisoryFindingRow>& findings) {
  return db_.write([&](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(AdvisoryScanChanges changes, record_scan_in(s, project_id, evaluated_rules, findings));
    return static_cast<int64_t>(changes.opened.size());
  });
}

Result<std::vector<AdvisoryRuleSettingRow>> AdvisoryStore::rule_settings() {
  return settings_where(db_, "", {});
}

Result<std::vector<AdvisoryRuleSettingRow>> AdvisoryStore::rule_settings_for(
    const std::string& project_id) {
  return settings_where(db_, "WHERE advisory_rule_settings.project_id IS NULL "
                        "OR advisory_rule_settings.project_id = $1", {project_id});
}

Result<AdvisoryRuleSettingRow> AdvisoryStore::change_rule_setting_in(
    SqlSession& s, const AdvisoryRuleSettingChange& c) {
  const std::string now = format_time(clock_.now());
  const SqlValue project = c.project_id.empty() ? SqlValue(nullptr) : SqlValue(c.project_id);
  const char* scope = "rule = $1 AND coalesce(project_id, '') = $2";
  OPZ_TRY(Rows found, s.query(std::string("SELECT id FROM advisory_rule_settings WHERE ") + scope,
                              {c.rule, c.project_id}));
  if (found.empty())
    OPZ_TRY_STATUS(s.exec("INSERT INTO advisory_rule_settings (id, rule, project_id, updated_by, "
                          "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
                          {new_uuid(), c.rule, project, c.updated_by, now}));
  // Each present field is written (NULL clears it); absent fields keep theirs.
  std::string sql = "UPDATE advisory_rule_settings SET updated_by = $3, updated_at = $4";
  Params params{c.rule, c.project_id, c.updated_by, now};
  auto set = [&](const char* column, SqlValue value) {
    params.push_back(std::move(value));
    sql += std::string(", ") + column + " = $" + std::to_string(params.size());
  };
  if (c.threshold) set("threshold", SqlValue(*c.threshold));
  if (c.window_seconds) set("window_seconds", SqlValue(*c.window_seconds));
  if (c.severity) set("severity", SqlValue(*c.severity));
  if (c.enabled) set("enabled", SqlValue(*c.enabled));
  OPZ_TRY_STATUS(s.exec(sql + " WHERE " + scope, params));
  OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kSettingColumns +
                                 " FROM advisory_rule_settings WHERE " + scope,
                             {c.rule, c.project_id}));
  if (rows.empty()) return Error::internal("advisory rule setting vanished");
  return setting_of(rows[0]);
}

Result<std::vector<AdvisoryRecord>> AdvisoryStore::list(const std::string& project_id,
                                                        const std::string& status) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<AdvisoryRecord>> {
    OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kAdvisoryColumns +
                                   " FROM ops_advisories WHERE project_id = $1 "
                                   "AND ($2 = '' OR status = $2) "
                                   "ORDER BY created_at DESC, id DESC",
                               {project_id, status}));
    std::vector<AdvisoryRecord> out;
    for (const Row& r : rows) out.push_back(advisory_of(r));
    return out;
  });
}

}  // namespace opz::store
