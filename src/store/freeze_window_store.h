// FreezeWindowStore: freeze windows (freeze_windows, migration 006) of one
// environment, all environments of a project, or everything.
//
// Contract: rows come back in (created_at, id) order. The store keeps the
// window's fields as text (local times, "HH:MM", weekday names, the cron
// expression) and validates none of them: governance::ZonedFreezeWindow does
// (the API compiles a window before create(), through
// trigger/governance_records.h). create() and remove() are one transaction
// each; `check` sees the windows of the same scope inside it (an overlap
// check cannot race another create), `also` runs after the change (the audit
// row). Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct FreezeWindowRecord {
  std::string id;
  std::string project_id;   // empty: global
  std::string environment;  // empty: every environment of the project (or global)
  std::string kind = "absolute";  // absolute | weekly | cron
  std::string start_local;        // absolute: "YYYY-MM-DDTHH:MM:SS" in `timezone`
  std::string end_local;
  std::vector<std::string> weekdays;  // weekly: "mon" .. "sun"
  std::string start_time;             // weekly: "HH:MM"
  std::string end_time;
  std::string cron;              // cron
  int64_t duration_seconds = 0;  // cron
  std::string timezone = "UTC";
  std::string reason;
  std::string created_by;
  std::string created_at;
};

using FreezeWindowCheck = std::function<Status(const std::vector<FreezeWindowRecord>& same_scope)>;
using FreezeWindowAlso = std::function<Status(SqlSession& tx, const FreezeWindowRecord& window)>;

// Every window that may apply to some environment of `project_id`: the
// global ones and all of the project's (any environment). For callers inside
// a transaction (the admission path; governance::active_freeze filters by
// environment).
Result<std::vector<FreezeWindowRecord>> load_freeze_windows(SqlSession& s,
                                                            const std::string& project_id);

class FreezeWindowStore {
 public:
  FreezeWindowStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Every window of every scope.
  Result<std::vector<FreezeWindowRecord>> list_all();
  // The windows of exactly this scope (project_id empty: the global ones;
  // environment empty: the project-wide ones).
  Result<std::vector<FreezeWindowRecord>> list_scope(const std::string& project_id,
                                                     const std::string& environment);
  // See load_freeze_windows.
  Result<std::vector<FreezeWindowRecord>> for_project(const std::string& project_id);
  // The windows that apply to one environment: global, the project's
  // project-wide ones and the environment's own.
  Result<std::vector<FreezeWindowRecord>> applying_to(const std::string& project_id,
                                                      const std::string& environment);
  Result<FreezeWindowRecord> find(const std::string& id);

  // Stores `window` (new id and created_at). kNotFound for an unknown project.
  Result<FreezeWindowRecord> create(FreezeWindowRecord window, const FreezeWindowCheck& check = {},
                                    const FreezeWindowAlso& also = {});
  // Removes the window `id` of exactly this scope; kNotFound otherwise.
  Status remove(const std::string& id, const std::string& project_id,
                const std::string& environment, const FreezeWindowAlso& also = {});

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
