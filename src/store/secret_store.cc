#include "store/secret_store.h"

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::store {

namespace {

constexpr const char* kSecretSelect =
    "SELECT s.id, s.project_id, s.environment, pe.id AS environment_id, s.name, s.scope, "
    "s.ref_key, s.key_id, s.nonce, s.ciphertext, s.updated_by, s.created_at, s.updated_at "
    "FROM secret_references s LEFT JOIN project_environments pe "
    "ON pe.project_id = s.project_id AND pe.name = s.environment ";

SecretRecord secret_from_row(const Row& r) {
  SecretRecord s;
  s.id = r["id"].as_text();
  s.project_id = r["project_id"].as_text();
  s.environment = r["environment"].as_text();
  s.environment_id = r["environment_id"].as_text();
  s.name = r["name"].as_text();
  s.scope = r["scope"].as_text();
  s.ref_key = r["ref_key"].as_text();
  s.sealed.key_id = r["key_id"].as_text();
  s.sealed.nonce = r["nonce"].as_text();
  s.sealed.ciphertext = r["ciphertext"].as_text();
  s.updated_by = r["updated_by"].as_text();
  s.created_at = r["created_at"].as_text();
  s.updated_at = r["updated_at"].as_text();
  return s;
}

Result<std::vector<SecretRecord>> query_secrets(SqlSession& s, const std::string& where,
                                                const Params& params) {
  OPZ_TRY(Rows rows, s.query(std::string(kSecretSelect) + where, params));
  std::vector<SecretRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(secret_from_row(r));
  return out;
}

std::string ref_key_of(const SecretRecord& r) {
  if (r.project_id.empty()) return "global/" + r.name;
  if (r.environment.empty()) return "project/" + r.project_id + "/" + r.name;
  return "environment/" + r.project_id + "/" + r.environment + "/" + r.name;
}

// Fills project_id/environment/environment_id/scope of `row` after checking
// that the project and its environment exist.
Status resolve_address(SqlSession& s, SecretRecord& row) {
  if (row.project_id.empty()) {
    if (!row.environment.empty())
      return Error::validation("a global secret has no environment", "environment");
    row.scope = "global";
    return {};
  }
  OPZ_TRY(Rows project, s.query("SELECT id FROM projects WHERE id = $1", {row.project_id}));
  if (project.empty()) return Error::not_found("no project with id " + row.project_id);
  if (row.environment.empty()) {
    row.scope = "project";
    return {};
  }
  OPZ_TRY(Rows env,
          s.query("SELECT id FROM project_environments WHERE project_id = $1 AND name = $2",
                  {row.project_id, row.environment}));
  if (env.empty())
    return Error::validation(
        "project " + row.project_id + " has no environment '" + row.environment + "'",
        "environment");
  row.environment_id = env[0]["id"].as_text();
  row.scope = "environment";
  return {};
}

Params address_params(const SecretRecord& r) {
  return {r.project_id.empty() ? SqlValue(nullptr) : SqlValue(r.project_id),
          r.environment.empty() ? SqlValue(nullptr) : SqlValue(r.environment), r.name};
}

constexpr const char* kAddressWhere =
    "WHERE s.project_id IS NOT DISTINCT FROM $1 AND s.environment IS NOT DISTINCT FROM $2 "
    "AND s.name = $3";

}  // namespace

Result<SecretWrite> SecretStore::put(const std::string& project_id, const std::string& environment,
                                     const std::string& name, const std::string& updated_by,
                                     const SecretSealer& seal, const SecretAlso& also) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<SecretWrite> {
    SecretWrite out;
    SecretRecord& row = out.record;
    row.project_id = project_id;
    row.environment = environment;
    row.name = name;
    OPZ_TRY_STATUS(resolve_address(s, row));
    row.ref_key = ref_key_of(row);
    OPZ_TRY(auto existing, query_secrets(s, kAddressWhere, address_params(row)));
    out.created = existing.empty();
    row.id = out.created ? new_uuid() : existing[0].id;
    row.created_at = out.created ? now : existing[0].created_at;
    row.updated_at = now;
    row.updated_by = updated_by;
    OPZ_TRY(row.sealed, seal(row));
    const SqlValue by = updated_by.empty() ? SqlValue(nullptr) : SqlValue(updated_by);
    if (out.created) {
      OPZ_TRY_STATUS(s.exec(
          "INSERT INTO secret_references (id, ref_key, provider, scope, description, project_id, "
          "environment, name, ciphertext, nonce, key_id, updated_by, created_at, updated_at) "
          "VALUES ($1, $2, 'local', $3, NULL, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
          {row.id, row.ref_key, row.scope, address_params(row)[0], address_params(row)[1], row.name,
           row.sealed.ciphertext, row.sealed.nonce, row.sealed.key_id, by, now}));
    } else {
      OPZ_TRY_STATUS(
          s.exec("UPDATE secret_references SET ciphertext = $2, nonce = $3, key_id = $4, "
                 "updated_by = $5, updated_at = $6 WHERE id = $1",
                 {row.id, row.sealed.ciphertext, row.sealed.nonce, row.sealed.key_id, by, now}));
    }
    if (also) OPZ_TRY_STATUS(also(s, row, out.created));
    return out;
  });
}

Status SecretStore::remove(const std::string& project_id, const std::string& environment,
                           const std::string& name, const SecretAlso& also) {
  return db_.write([&](SqlSession& s) -> Status {
    SecretRecord row;
    row.project_id = project_id;
    row.environment = environment;
    row.name = name;
    OPZ_TRY_STATUS(resolve_address(s, row));
    OPZ_TRY(auto existing, query_secrets(s, kAddressWhere, address_params(row)));
    if (existing.empty()) {
      return Error::not_found("no secret " + name +
                              (environment.empty() ? std::string(" in this project")
                                                   : " for environment '" + environment + "'"));
    }
    OPZ_TRY_STATUS(s.exec("DELETE FROM secret_references WHERE id = $1", {existing[0].id}));
    if (also) OPZ_TRY_STATUS(also(s, existing[0], false));
    return {};
  });
}

Result<std::vector<SecretRecord>> SecretStore::list_project(const std::string& project_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<SecretRecord>> {
    OPZ_TRY(Rows project, s.query("SELECT id FROM projects WHERE id = $1", {project_id}));
    if (project.empty()) return Error::not_found("no project with id " + project_id);
    return query_secrets(s, "WHERE s.project_id = $1 ORDER BY s.name, COALESCE(s.environment, '')",
                         {project_id});
  });
}

Result<std::vector<SecretRecord>> SecretStore::list_global() {
  return db_.read([&](SqlSession& s) {
    return query_secrets(s, "WHERE s.project_id IS NULL ORDER BY s.name", {});
  });
}

Result<std::vector<SecretRecord>> SecretStore::for_injection(const std::string& project_id,
                                                             const std::string& environment) {
  return db_.read([&](SqlSession& s) {
    return query_secrets(
        s,
        "WHERE s.project_id IS NULL OR (s.project_id = $1 AND (s.environment IS "
        "NULL OR s.environment = $2))",
        {project_id, environment.empty() ? SqlValue(nullptr) : SqlValue(environment)});
  });
}

Result<std::vector<SecretRecord>> SecretStore::not_under_key(const std::string& key_id, int limit) {
  return db_.read([&](SqlSession& s) {
    return query_secrets(s, "WHERE s.key_id IS DISTINCT FROM $1 ORDER BY s.id LIMIT $2",
                         {key_id, static_cast<int64_t>(limit)});
  });
}

Result<bool> SecretStore::reseal(const std::string& id, const std::string& expected_key_id,
                                 const std::string& expected_updated_at,
                                 const SecretCiphertext& sealed) {
  return db_.write([&](SqlSession& s) -> Result<bool> {
    OPZ_TRY(int64_t changed,
            s.exec("UPDATE secret_references SET ciphertext = $4, nonce = $5, key_id = $6 "
                   "WHERE id = $1 AND key_id IS NOT DISTINCT FROM $2 AND updated_at = $3",
                   {id, expected_key_id, expected_updated_at, sealed.ciphertext, sealed.nonce,
                    sealed.key_id}));
    return changed == 1;
  });
}

}  // namespace opz::store
