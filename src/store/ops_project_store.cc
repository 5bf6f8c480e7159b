#include "store/ops_project_store.h"

namespace opz::store {

namespace {

// The newest ops_builds row matching `where` (correlated on the outer row).
std::string last_build(std::string_view column, std::string_view where) {
  return "(SELECT b." + std::string(column) + " FROM ops_builds b WHERE " + std::string(where) +
         " ORDER BY b.created_at DESC, b.id DESC LIMIT 1)";
}

}  // namespace

Result<std::vector<OpsProjectRow>> OpsProjectStore::list_projects() {
  const std::string sql =
      "SELECT p.id, COALESCE(p.org_id, '') AS org_id, p.name, p.slug, "
      "COALESCE(p.repo_url, '') AS repo_url, COALESCE(p.runtime_version, '') AS runtime_version, "
      "p.created_at, "
      "(SELECT COUNT(*) FROM ops_branches br WHERE br.project_id = p.id) AS branch_count, "
      "COALESCE(" +
      last_build("status", "b.project_id = p.id") +
      ", '') AS last_build_status, " +
      last_build("created_at", "b.project_id = p.id") +
      " AS last_build_at "
      "FROM ops_projects p ORDER BY p.name COLLATE NOCASE, p.id";
  return db_.read([&](SqlSession& s) -> Result<std::vector<OpsProjectRow>> {
    OPZ_TRY(Rows rows, s.query(sql));
    std::vector<OpsProjectRow> out;
    for (const Row& r : rows.rows)
      out.push_back({r["id"].as_text(), r["org_id"].as_text(), r["name"].as_text(),
                     r["slug"].as_text(), r["repo_url"].as_text(), r["runtime_version"].as_text(),
                     r["created_at"].as_text(), r["branch_count"].as_int(),
                     r["last_build_status"].as_text(), r["last_build_at"].as_text()});
    return out;
  });
}

Result<std::vector<OpsBranchRow>> OpsProjectStore::project_branches(const std::string& project_id) {
  // A build's branch_id is the branch named like its queued branch: matching
  // the queue's branch text directly lets the project index do the work
  // instead of resolving branch_id for every build of the project.
  const std::string match =
      "b.project_id = br.project_id AND b.id IN (SELECT q.id FROM ops_run_queue q "
      "WHERE q.project_id = br.project_id AND q.branch = br.name)";
  const std::string sql =
      "SELECT br.id, br.project_id, br.name, br.stage, br.is_production, br.created_at, "
      "COALESCE(" +
      last_build("status", match) +
      ", '') AS last_build_status, " +
      last_build("created_at", match) +
      " AS last_build_at "
      "FROM ops_branches br WHERE br.project_id = $1 ORDER BY br.name, br.id";
  return db_.read([&](SqlSession& s) -> Result<std::vector<OpsBranchRow>> {
    OPZ_TRY(Rows p, s.query("SELECT id FROM projects WHERE id = $1", {project_id}));
    if (p.empty()) {
      Error e = Error::not_found("no project with id " + project_id);
      e.field = "project_id";
      return e;
    }
    OPZ_TRY(Rows rows, s.query(sql, {project_id}));
    std::vector<OpsBranchRow> out;
    for (const Row& r : rows.rows)
      out.push_back({r["id"].as_text(), r["project_id"].as_text(), r["name"].as_text(),
                     r["stage"].as_text(), r["is_production"].as_bool(), r["created_at"].as_text(),
                     r["last_build_status"].as_text(), r["last_build_at"].as_text()});
    return out;
  });
}

}  // namespace opz::store
