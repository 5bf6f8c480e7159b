// AdvisoryStore: what the advisory scan reads and writes (ops_advisories,
// migration 017; advisory_rule_settings, migration 021). The rules themselves
// are pure (telemetry/advisory_rules.h); this store loads a project's facts
// and the rules' setting overrides, and records the rules' answer.
//
// Contract: record_scan_in() runs in the caller's transaction (so the
// notifications about it commit with it): a finding whose rule has no open
// advisory opens one; one whose rule has an open advisory updates it
// (severity, title, observed, message, updated_at); an open advisory of an
// evaluated rule that was not found is resolved (status 'resolved',
// resolved_at). It answers what it opened and resolved. At most one advisory
// per (project, rule) is open (unique partial index). Setting overrides: one
// row per (rule, scope), a NULL column inherits. Thread-safe.
#pragma once

#include <optional>
#include <set>
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

// What one record_scan_in() changed (rows as stored after the change).
struct AdvisoryScanChanges {
  std::vector<AdvisoryRecord> opened;
  std::vector<AdvisoryRecord> resolved;
};

// One scope's override of a rule; an unset field inherits.
struct AdvisoryRuleSettingRow {
  std::string rule;
  std::string project_id;  // "" = global
  std::optional<double> threshold;
  std::optional<int64_t> window_seconds;
  std::optional<std::string> severity;
  std::optional<bool> enabled;
  std::string updated_by;
  std::string updated_at;
};

// A change to one scope's override: per field, nullopt leaves it as it is,
// an engaged empty optional clears it (inherit again), a value sets it.
struct AdvisoryRuleSettingChange {
  std::string rule;
  std::string project_id;  // "" = global
  std::optional<std::optional<double>> threshold;
  std::optional<std::optional<int64_t>> window_seconds;
  std::optional<std::optional<std::string>> severity;
  std::optional<std::optional<bool>> enabled;
  std::string updated_by;
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
  // Projects with at least one open advisory (a scan that finds nothing in
  // any other project has nothing to write there).
  Result<std::set<std::string>> projects_with_open_advisories();
  Result<AdvisoryScanChanges> record_scan_in(SqlSession& tx, const std::string& project_id,
                                             const std::vector<std::string>& evaluated_rules,
                                             const std::vector<AdvisoryFindingRow>& findings);
  // record_scan_in() in its own transaction; the number of advisories opened.
  Result<int64_t> record_scan(const std::string& project_id,
                              const std::vector<std::string>& evaluated_rules,
                              const std::vector<AdvisoryFindingRow>& findings);

  // Every override row (the scan's input), global rows first.
  Result<std::vector<AdvisoryRuleSettingRow>> rule_settings();
  // The global rows and `project_id`'s.
  Result<std::vector<AdvisoryRuleSettingRow>> rule_settings_for(const std::string& project_id);
  // Applies `change` to its scope's row (created when missing); answers the row.
  Result<AdvisoryRuleSettingRow> change_rule_setting_in(SqlSession& tx,
                                                        const AdvisoryRuleSettingChange& change);
  // A project's advisories, newest first; `status` "" = all.
  Result<std::vector<AdvisoryRecord>> list(const std::string& project_id,
                                           const std::string& status = "");

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
