#include "store/branch_mapping_store.h"

#include <set>

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::store {

namespace {

constexpr const char* kBranchMappingColumns =
    "id, project_id, position, branch_pattern, ref_type, environment, is_deployable, "
    "image_tag_template, replicas, created_at, updated_at";

BranchMappingRecord branch_mapping_from_row(const Row& r) {
  BranchMappingRecord m;
  m.id = r["id"].as_text();
  m.project_id = r["project_id"].as_text();
  m.position = static_cast<int>(r["position"].as_int());
  m.branch_pattern = r["branch_pattern"].as_text();
  m.ref_type = r["ref_type"].as_text();
  m.environment = r["environment"].as_text();
  m.is_deployable = r["is_deployable"].as_bool();
  m.image_tag_template = r["image_tag_template"].as_text();
  m.replicas = static_cast<int>(r["replicas"].as_int());
  m.created_at = r["created_at"].as_text();
  m.updated_at = r["updated_at"].as_text();
  return m;
}

Result<std::vector<BranchMappingRecord>> query_rules(SqlSession& s, const std::string& project_id) {
  const std::string where = project_id.empty() ? "project_id IS NULL" : "project_id = $1";
  Params params;
  if (!project_id.empty()) params.push_back(project_id);
  OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kBranchMappingColumns +
                                 " FROM branch_mappings WHERE " + where + " ORDER BY position, id",
                             params));
  std::vector<BranchMappingRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(branch_mapping_from_row(r));
  return out;
}

}  // namespace

Result<ProjectMappings> BranchMappingStore::rules_for(const std::string& project_id) {
  return db_.read([&](SqlSession& s) -> Result<ProjectMappings> {
    ProjectMappings out;
    if (!project_id.empty()) {
      OPZ_TRY(out.rules, query_rules(s, project_id));
      if (!out.rules.empty()) {
        out.source = "project";
        return out;
      }
    }
    OPZ_TRY(out.rules, query_rules(s, ""));
    out.source = "global";
    return out;
  });
}

Result<std::vector<BranchMappingRecord>> BranchMappingStore::global_rules() {
  return db_.read([&](SqlSession& s) { return query_rules(s, ""); });
}

Result<ReplacedMappings> BranchMappingStore::replace(const std::string& project_id,
                                                     const std::vector<BranchMappingRecord>& rules,
                                                     bool create_missing_environments) {
  if (project_id.empty()) return Error::validation("a project id is required", "project_id");
  const std::string now = format_time(clock_.now());
  auto replaced = db_.write([&](SqlSession& s) -> Result<ReplacedMappings> {
    OPZ_TRY(Rows project, s.query("SELECT id FROM projects WHERE id = $1", {project_id}));
    if (project.empty()) return Error::not_found("no project with id " + project_id);
    OPZ_TRY(Rows envs, s.query("SELECT name, position FROM environments ORDER BY position"));
    std::set<std::string> known;
    int64_t last_position = 0;
    for (const Row& r : envs) {
      known.insert(r["name"].as_text());
      last_position = std::max(last_position, r["position"].as_int());
    }
    ReplacedMappings out;
    for (size_t i = 0; i < rules.size(); ++i) {
      const std::string& env = rules[i].environment;
      if (known.count(env)) continue;
      if (!create_missing_environments) {
        std::string names;
        for (const auto& n : known) names += (names.empty() ? "" : ", ") + n;
        return Error::validation("unknown environment '" + env + "' (known: " + names + ")",
                                 "rules[" + std::to_string(i) + "].environment");
      }
      OPZ_TRY_STATUS(
          s.exec("INSERT INTO environments (id, name, position, created_at, "
                 "updated_at) VALUES ($1, $2, $3, $4, $4)",
                 {new_uuid(), env, ++last_position, now}));
      known.insert(env);
      out.created_environments.push_back(env);
    }
    OPZ_TRY_STATUS(s.exec("DELETE FROM branch_mappings WHERE project_id = $1", {project_id}));
    for (size_t i = 0; i < rules.size(); ++i) {
      const BranchMappingRecord& r = rules[i];
      OPZ_TRY_STATUS(s.exec(
          "INSERT INTO branch_mappings (id, project_id, position, branch_pattern, ref_type, "
          "environment, is_deployable, image_tag_template, replicas, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
          {new_uuid(), project_id, static_cast<int64_t>(i + 1), r.branch_pattern, r.ref_type,
           r.environment, r.is_deployable, r.image_tag_template, r.replicas, now}));
    }
    OPZ_TRY(out.rules, query_rules(s, project_id));
    return out;
  });
  if (replaced) ++generation_;
  return replaced;
}

Result<int64_t> BranchMappingStore::clear(const std::string& project_id) {
  auto cleared = db_.write([&](SqlSession& s) -> Result<int64_t> {
    return s.exec("DELETE FROM branch_mappings WHERE project_id = $1", {project_id});
  });
  if (cleared) ++generation_;
  return cleared;
}

}  // namespace opz::store
