#include "store/emergency_stop_store.h"

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kEmergencyStopSelect =
    "SELECT id, reason, mode, activated_by, activated_at, lifted_by, lifted_at "
    "FROM emergency_stops ";

EmergencyStopRecord emergency_stop_from_row(const Row& r) {
  return EmergencyStopRecord{r["id"].as_text(),           r["reason"].as_text(),
                             r["mode"].as_text(),         r["activated_by"].as_text(),
                             r["activated_at"].as_text(), r["lifted_by"].as_text(),
                             r["lifted_at"].as_text()};
}

}  // namespace

Result<std::optional<EmergencyStopRecord>> load_active_emergency_stop(SqlSession& s) {
  OPZ_TRY(Rows rows, s.query(std::string(kEmergencyStopSelect) + "WHERE lifted_at IS NULL"));
  if (rows.empty()) return std::optional<EmergencyStopRecord>();
  return std::optional<EmergencyStopRecord>(emergency_stop_from_row(rows[0]));
}

Result<std::optional<EmergencyStopRecord>> EmergencyStopStore::active() {
  return db_.read([](SqlSession& s) { return load_active_emergency_stop(s); });
}

Result<EmergencyStopRecord> EmergencyStopStore::activate(const std::string& reason,
                                                         const std::string& mode,
                                                         const std::string& user_id,
                                                         const EmergencyStopAlso& also) {
  if (reason.empty()) return Error::validation("an emergency stop needs a reason", "reason");
  if (mode != "let_finish" && mode != "cancel")
    return Error::validation("mode must be let_finish or cancel", "mode");
  EmergencyStopRecord stop{new_uuid(), reason, mode, user_id, format_time(clock_.now()), "", ""};
  return db_.write([&](SqlSession& s) -> Result<EmergencyStopRecord> {
    OPZ_TRY(auto current, load_active_emergency_stop(s));
    if (current)
      return Error::conflict("an emergency stop is already active since " + current->activated_at +
                             ": " + current->reason);
    OPZ_TRY_STATUS(
        s.exec("INSERT INTO emergency_stops (id, reason, mode, activated_by, "
               "activated_at) VALUES ($1, $2, $3, $4, $5)",
               {stop.id, stop.reason, stop.mode, text_or_null(user_id), stop.activated_at}));
    if (also) OPZ_TRY_STATUS(also(s, stop));
    return stop;
  });
}

Result<EmergencyStopRecord> EmergencyStopStore::lift(const std::string& user_id,
                                                     const EmergencyStopAlso& also) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<EmergencyStopRecord> {
    OPZ_TRY(auto current, load_active_emergency_stop(s));
    if (!current) return Error::conflict("no emergency stop is active");
    OPZ_TRY_STATUS(s.exec("UPDATE emergency_stops SET lifted_by = $2, lifted_at = $3 WHERE id = $1",
                          {current->id, text_or_null(user_id), now}));
    current->lifted_by = user_id;
    current->lifted_at = now;
    if (also) OPZ_TRY_STATUS(also(s, *current));
    return *current;
  });
}

Result<std::vector<EmergencyStopRecord>> EmergencyStopStore::history(int limit) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<EmergencyStopRecord>> {
    OPZ_TRY(Rows rows,
            s.query(std::string(kEmergencyStopSelect) + "ORDER BY activated_at DESC, id LIMIT $1",
                    {limit}));
    std::vector<EmergencyStopRecord> out;
    for (const Row& r : rows) out.push_back(emergency_stop_from_row(r));
    return out;
  });
}

}  // namespace opz::store
