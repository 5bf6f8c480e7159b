#include "store/environment_config_store.h"

#include "core/ids.h"
#include "core/json.h"
#include "core/time_format.h"

namespace opz::store {

namespace {

Status check_environment(SqlSession& s, const std::string& project_id,
                         const std::string& environment) {
  OPZ_TRY(Rows project, s.query("SELECT id FROM projects WHERE id = $1", {project_id}));
  if (project.empty()) return Error::not_found("no project with id " + project_id);
  OPZ_TRY(Rows env,
          s.query("SELECT id FROM project_environments WHERE project_id = $1 AND name = $2",
                  {project_id, environment}));
  if (env.empty())
    return Error::not_found("project " + project_id + " has no environment '" + environment + "'");
  return {};
}

Result<EnvironmentConfigRecord> load_environment_config(SqlSession& s,
                                                        const std::string& project_id,
                                                        const std::string& environment) {
  OPZ_TRY_STATUS(check_environment(s, project_id, environment));
  OPZ_TRY(Rows rows, s.query("SELECT id, variables, updated_by, created_at, updated_at FROM "
                             "environment_configs WHERE project_id = $1 AND environment = $2",
                             {project_id, environment}));
  EnvironmentConfigRecord c;
  c.project_id = project_id;
  c.environment = environment;
  if (rows.empty()) return c;
  const Row& r = rows[0];
  c.id = r["id"].as_text();
  c.updated_by = r["updated_by"].as_text();
  c.created_at = r["created_at"].as_text();
  c.updated_at = r["updated_at"].as_text();
  Json vars = Json::parse(r["variables"].as_text(), nullptr, false);
  if (vars.is_object()) {
    for (auto it = vars.begin(); it != vars.end(); ++it)
      if (it->is_string()) c.variables[it.key()] = it->get<std::string>();
  }
  return c;
}

}  // namespace

Result<EnvironmentConfigRecord> EnvironmentConfigStore::get(const std::string& project_id,
                                                            const std::string& environment) {
  return db_.read(
      [&](SqlSession& s) { return load_environment_config(s, project_id, environment); });
}

Result<EnvironmentConfigRecord> EnvironmentConfigStore::put(
    const std::string& project_id, const std::string& environment,
    const std::map<std::string, std::string>& variables, const std::string& updated_by,
    const EnvironmentConfigAlso& also) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<EnvironmentConfigRecord> {
    OPZ_TRY(EnvironmentConfigRecord before, load_environment_config(s, project_id, environment));
    EnvironmentConfigRecord after = before;
    after.variables = variables;
    after.updated_by = updated_by;
    after.updated_at = now;
    Json vars = Json::object();
    for (const auto& [k, v] : variables) vars[k] = v;
    const SqlValue by = updated_by.empty() ? SqlValue(nullptr) : SqlValue(updated_by);
    if (before.id.empty()) {
      after.id = new_uuid();
      after.created_at = now;
      OPZ_TRY_STATUS(s.exec(
          "INSERT INTO environment_configs (id, project_id, environment, variables, updated_by, "
          "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
          {after.id, project_id, environment, vars.dump(), by, now}));
    } else {
      OPZ_TRY_STATUS(
          s.exec("UPDATE environment_configs SET variables = $2, updated_by = $3, updated_at = $4 "
                 "WHERE id = $1",
                 {after.id, vars.dump(), by, now}));
    }
    if (also) OPZ_TRY_STATUS(also(s, before, after));
    return after;
  });
}

}  // namespace opz::store
