// EnvironmentConfigStore: the non-secret variables of one project's
// environment (environment_configs, rebuilt by migration 016): {"KEY":
// "value"}, shown in full, injected into that environment's steps and
// recorded in checkpoints.
//
// get() answers an empty configuration (id empty) for an environment that
// has none yet. Errors: an unknown project is kNotFound; an environment the
// project does not have is kNotFound naming it (it is part of the route).
// The variables' names and values are the caller's to validate. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct EnvironmentConfigRecord {
  std::string id;  // empty: never set
  std::string project_id;
  std::string environment;
  std::map<std::string, std::string> variables;
  std::string updated_by;
  std::string created_at;
  std::string updated_at;
};

using EnvironmentConfigAlso =
    std::function<Status(SqlSession& tx, const EnvironmentConfigRecord& before,
                         const EnvironmentConfigRecord& after)>;

class EnvironmentConfigStore {
 public:
  EnvironmentConfigStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<EnvironmentConfigRecord> get(const std::string& project_id,
                                      const std::string& environment);
  // Replaces the variables (all of them) in one transaction.
  Result<EnvironmentConfigRecord> put(const std::string& project_id,
                                      const std::string& environment,
                                      const std::map<std::string, std::string>& variables,
                                      const std::string& updated_by,
                                      const EnvironmentConfigAlso& also = {});

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
