// AdvisoryStore: what the advisory scan reads and writes (ops_advisories,
// migration 017). The rules themselves are pure (telemetry/advisory_rules.h);
// this store loads a project's facts and records the rules' answer.
//
// Contract: record_scan() is one transaction per project: a finding whose
// rule has no open advisory opens one (counted as created); one whose rule
// has an open advisory updates it (observed, message, updated_at); an open
// advisory of an evaluated rule that was not found is resolved. At most one
// advisory per (project, rule) is open (unique partial index). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct AdvisoryFindingRow {
  std::string rule;
  std::string severity;
  std::string title;
  std::string message;
  double observed = 0;
  double threshold = 0;
};

struct AdvisoryRecord {
  std::string id;
  std::string project_id;
  std::string rule;
  std::string severity;
  std::string title;
  std::string message;
  std::optional<double> observed;
  std::optional<double> threshold;
  std::string status;  // open | resolved
  std::string created_at;
  std::string updated_at;
  std::string resolved_at;  // empty while open
};

// Deployment and execution facts of one project (times in the stored format).
struct ProjectRunFacts {
  int64_t deployments_finished = 0;
  int64_t deployments_succeeded = 0;
  int64_t executions_running_too_long = 0;
};

class AdvisoryStore {
 public:
  AdvisoryStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<std::vector<std::string>> project_ids();
  // Deployments finished since `deployments_since`; executions running that
  // started before `running_before`.
  Result<ProjectRunFacts> run_facts(const std::string& project_id,
                                    const std::string& deployments_since,
                                    const std::string& running_before);
  // The number of advisories opened.
  Result<int64_t> record_scan(const std::string& project_id,
                              const std::vector<std::string>& evaluated_rules,
                              const std::vector<AdvisoryFindingRow>& findings);
  // A project's advisories, newest first; `status` "" = all.
  Result<std::vector<AdvisoryRecord>> list(const std::string& project_id,
                                           const std::string& status = "");

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
