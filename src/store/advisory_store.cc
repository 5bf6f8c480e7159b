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

Result<int64_t> AdvisoryStore::record_scan(const std::string& project_id,
                                           const std::vector<std::string>& evaluated_rules,
                                           const std::vector<AdvisoryFindingRow>& findings) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<int64_t> {
    int64_t created = 0;
    for (const AdvisoryFindingRow& f : findings) {
      OPZ_TRY(Rows open, s.query("SELECT id FROM ops_advisories WHERE project_id = $1 "
                                 "AND rule = $2 AND status = 'open'",
                                 {project_id, f.rule}));
      if (!open.empty()) {
        OPZ_TRY_STATUS(s.exec("UPDATE ops_advisories SET severity = $2, title = $3, message = $4, "
                              "observed = $5, threshold = $6, updated_at = $7 WHERE id = $1",
                              {open[0]["id"].as_text(), f.severity, f.title, f.message,
                               f.observed, f.threshold, now}));
        continue;
      }
      OPZ_TRY_STATUS(s.exec(
          "INSERT INTO ops_advisories (id, project_id, rule, severity, title, message, observed, "
          "threshold, status, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $9)",
          {new_uuid(), project_id, f.rule, f.severity, f.title, f.message, f.observed,
           f.threshold, now}));
      ++created;
    }
    for (const std::string& rule : evaluated_rules) {
      const bool found = std::any_of(findings.begin(), findings.end(),
                                     [&](const AdvisoryFindingRow& f) { return f.rule == rule; });
      if (found) continue;
      OPZ_TRY_STATUS(s.exec("UPDATE ops_advisories SET status = 'resolved', resolved_at = $3, "
                            "updated_at = $3 WHERE project_id = $1 AND rule = $2 "
                            "AND status = 'open'",
                            {project_id, rule, now}));
    }
    return created;
  });
}

Result<std::vector<AdvisoryRecord>> AdvisoryStore::list(const std::string& project_id,
                                                        const std::string& status) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<AdvisoryRecord>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT id, project_id, rule, severity, title, message, observed, threshold, "
                    "status, created_at, updated_at, resolved_at FROM ops_advisories "
                    "WHERE project_id = $1 AND ($2 = '' OR status = $2) "
                    "ORDER BY created_at DESC, id DESC",
                    {project_id, status}));
    std::vector<AdvisoryRecord> out;
    for (const Row& r : rows) {
      AdvisoryRecord a{r["id"].as_text(),         r["project_id"].as_text(),
                       r["rule"].as_text(),       r["severity"].as_text(),
                       r["title"].as_text(),      r["message"].as_text(),
                       std::nullopt,              std::nullopt,
                       r["status"].as_text(),     r["created_at"].as_text(),
                       r["updated_at"].as_text(), r["resolved_at"].as_text()};
      if (!r["observed"].is_null()) a.observed = r["observed"].as_real();
      if (!r["threshold"].is_null()) a.threshold = r["threshold"].as_real();
      out.push_back(std::move(a));
    }
    return out;
  });
}

}  // namespace opz::store
