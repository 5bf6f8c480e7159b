// SecretStore: the encrypted secrets (secret_references, migration 016).
//
// A secret lives at an address: (project_id, environment, name), project_id
// empty for a global secret, environment empty for a project-wide one; one
// row per address. This store never sees a value: callers seal it
// (secrets::seal_secret) inside put()'s transaction through `seal`, which
// receives the row's id and environment id (the associated data), and open
// what for_injection() answers. environment_id in a record is the
// environment's stable row id (project_environments.id), for that purpose.
//
// Errors: an unknown project is kNotFound ("no project with id ..."); an
// environment the project does not have is kValidation naming "environment";
// removing a secret that does not exist is kNotFound. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct SecretCiphertext {
  std::string key_id;
  std::string nonce;
  std::string ciphertext;
};

struct SecretRecord {
  std::string id;
  std::string project_id;      // empty: global
  std::string environment;     // empty: the whole project (or global)
  std::string environment_id;  // project_environments.id; empty when environment is
  std::string name;
  std::string scope;    // global | project | environment
  std::string ref_key;  // the address as text (see 016_secrets.sql)
  SecretCiphertext sealed;
  std::string updated_by;
  std::string created_at;
  std::string updated_at;
};

struct SecretWrite {
  SecretRecord record;
  bool created = false;  // false: an existing secret's value was replaced
};

// Seals the value for `row` (its id, project, environment_id and name are set).
using SecretSealer = std::function<Result<SecretCiphertext>(const SecretRecord& row)>;
// Runs in the write's transaction after the change (audit rows).
using SecretAlso = std::function<Status(SqlSession& tx, const SecretRecord& row, bool created)>;

class SecretStore {
 public:
  SecretStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<SecretWrite> put(const std::string& project_id, const std::string& environment,
                          const std::string& name, const std::string& updated_by,
                          const SecretSealer& seal, const SecretAlso& also = {});
  // kNotFound when there is no such secret.
  Status remove(const std::string& project_id, const std::string& environment,
                const std::string& name, const SecretAlso& also = {});
  // The project's own secrets (project-wide and per environment; not the
  // global ones), by name then environment. kNotFound for an unknown project.
  Result<std::vector<SecretRecord>> list_project(const std::string& project_id);
  // The global secrets, by name.
  Result<std::vector<SecretRecord>> list_global();
  // What a node of `project_id` may receive: global, project-wide and, when
  // `environment` is not empty, that environment's secrets. Unordered.
  Result<std::vector<SecretRecord>> for_injection(const std::string& project_id,
                                                  const std::string& environment);

  // Key rotation: up to `limit` secrets whose key_id is not `key_id`.
  Result<std::vector<SecretRecord>> not_under_key(const std::string& key_id, int limit);
  // Replaces the ciphertext of row `id` only when it is still under
  // `expected_key_id` and unchanged since `expected_updated_at` (a value set
  // meanwhile is left alone). Answers whether the row was replaced.
  Result<bool> reseal(const std::string& id, const std::string& expected_key_id,
                      const std::string& expected_updated_at, const SecretCiphertext& sealed);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
