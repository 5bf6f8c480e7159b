// DoraStore: the deployment records DORA metrics are computed from
// (telemetry/dora.h): a project's finished deployments in a window, with
// their execution's creation time and the commit time the trigger recorded
// (executions.metadata.commit_timestamp, GitHub's head_commit.timestamp;
// empty when the trigger did not record one). Read-only; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct DoraDeploymentRow {
  std::string environment;
  std::string status;
  std::string finished_at;           // completed_at, else created_at
  std::string commit_timestamp;      // as the trigger recorded it; may be empty
  std::string execution_created_at;  // the deployment's created_at when it has no execution
};

class DoraStore {
 public:
  explicit DoraStore(Database& db) : db_(db) {}

  // Finished deployments (success, failed, rolled_back) of the project ending
  // at or after `since`; `environment` "" = every environment.
  Result<std::vector<DoraDeploymentRow>> finished_deployments(const std::string& project_id,
                                                              const std::string& environment,
                                                              const std::string& since);

 private:
  Database& db_;
};

}  // namespace opz::store
