// OpsProjectStore: the reads behind seed 003's RPCs ops.list_projects() and
// ops.project_branches(id), over the ops_* views of migration 018 (which read
// Opzenix's own projects, branch mappings, run queue and executions: one
// source of truth). Read-only. Thread-safe.
//
// The last build of a project (or branch) is its newest ops_builds row by
// created_at (then id): last_build_status is that row's status (queued |
// running | success | failed | cancelled), last_build_at its created_at (when
// it was requested); both empty when there is no build.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct OpsProjectRow {
  std::string id;
  std::string org_id;
  std::string name;
  std::string slug;
  std::string repo_url;         // empty: none
  std::string runtime_version;  // empty: none
  std::string created_at;
  int64_t branch_count = 0;  // rows of ops_branches
  std::string last_build_status;
  std::string last_build_at;
};

struct OpsBranchRow {
  std::string id;
  std::string project_id;
  std::string name;
  std::string stage;
  bool is_production = false;
  std::string created_at;
  std::string last_build_status;
  std::string last_build_at;
};

class OpsProjectStore {
 public:
  explicit OpsProjectStore(Database& db) : db_(db) {}

  // Every project, by name (case-insensitive), then id.
  Result<std::vector<OpsProjectRow>> list_projects();
  // One project's branches by name; kNotFound (field "project_id") when the
  // project does not exist (an existing project without branches: empty).
  Result<std::vector<OpsBranchRow>> project_branches(const std::string& project_id);

 private:
  Database& db_;
};

}  // namespace opz::store
