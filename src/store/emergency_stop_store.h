// EmergencyStopStore: the emergency stop (emergency_stops, migration 006),
// one row per activation; the active one has no lifted_at, and at most one is
// active (a unique partial index).
//
// Contract: activate() answers kConflict while a stop is active; lift()
// answers kConflict when none is. Each is one transaction whose `also` hook
// runs inside it after the change (the audit row). Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct EmergencyStopRecord {
  std::string id;
  std::string reason;
  std::string mode = "let_finish";  // let_finish | cancel
  std::string activated_by;
  std::string activated_at;
  std::string lifted_by;  // empty while active
  std::string lifted_at;
};

using EmergencyStopAlso = std::function<Status(SqlSession& tx, const EmergencyStopRecord& stop)>;

// The active stop, if any, for callers inside a transaction.
Result<std::optional<EmergencyStopRecord>> load_active_emergency_stop(SqlSession& s);

class EmergencyStopStore {
 public:
  EmergencyStopStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<std::optional<EmergencyStopRecord>> active();
  Result<EmergencyStopRecord> activate(const std::string& reason, const std::string& mode,
                                       const std::string& user_id,
                                       const EmergencyStopAlso& also = {});
  // The lifted stop.
  Result<EmergencyStopRecord> lift(const std::string& user_id,
                                   const EmergencyStopAlso& also = {});
  // The most recent activations first, at most `limit`.
  Result<std::vector<EmergencyStopRecord>> history(int limit = 50);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
