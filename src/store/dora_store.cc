#include "store/dora_store.h"

#include "core/json.h"

namespace opz::store {

namespace {

std::string commit_timestamp_of(const SqlValue& metadata) {
  if (metadata.is_null()) return {};
  Json m = Json::parse(metadata.as_text(), nullptr, false);
  if (!m.is_object()) return {};
  auto it = m.find("commit_timestamp");
  return it != m.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<std::vector<DoraDeploymentRow>> DoraStore::finished_deployments(
    const std::string& project_id, const std::string& environment, const std::string& since) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<DoraDeploymentRow>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT d.environment, d.status, "
                    "coalesce(d.completed_at, d.created_at) AS finished_at, "
                    "coalesce(e.created_at, d.created_at) AS execution_created_at, "
                    "e.metadata FROM deployments d "
                    "LEFT JOIN executions e ON e.id = d.execution_id "
                    "WHERE d.project_id = $1 AND ($2 = '' OR d.environment = $2) "
                    "AND d.status IN ('success', 'failed', 'rolled_back') "
                    "AND coalesce(d.completed_at, d.created_at) >= $3 "
                    "ORDER BY finished_at, d.id",
                    {project_id, environment, since}));
    std::vector<DoraDeploymentRow> out;
    for (const Row& r : rows)
      out.push_back({r["environment"].as_text(), r["status"].as_text(),
                     r["finished_at"].as_text(), commit_timestamp_of(r["metadata"]),
                     r["execution_created_at"].as_text()});
    return out;
  });
}

}  // namespace opz::store
