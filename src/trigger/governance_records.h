// Mapping between the store's governance rows (store::EnvironmentRecord and
// its lock row, store::FreezeWindowRecord, store::EmergencyStopRecord) and
// the pure governance types the rules work on. The store never includes
// governance headers; the API and the admission path map here.
//
// Freeze-window text fields (local date-times, "HH:MM", weekday names) are
// parsed here with errors naming the API's field ("start", "end",
// "start_time", "end_time", "weekdays[i]", "duration"), and
// compile_freeze_window() adds governance's own validation ("timezone",
// "cron.*", ...). Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "governance/admission.h"
#include "governance/environment_protection.h"
#include "governance/freeze_window.h"
#include "store/emergency_stop_store.h"
#include "store/environment_store.h"
#include "store/freeze_window_store.h"

namespace opz::trigger {

// The rules come from the environment row, the lock (is_locked, lock_reason,
// locked_by) from its lock row. Values the schema admits but governance does
// not know (never written by Opzenix) fall back to governance's defaults.
governance::EnvironmentProtection to_protection(const store::EnvironmentRecord& env,
                                                const store::EnvironmentLockRecord& lock);
std::vector<governance::EnvironmentProtection> to_protections(
    const std::vector<store::EnvironmentState>& states);
// The rules of `protection` written onto `base` (its id, project_id and
// timestamps kept); the lock fields are the lock row's business.
store::EnvironmentRecord to_record(const governance::EnvironmentProtection& protection,
                                   store::EnvironmentRecord base = {});

// "HH:MM" (00:00..23:59) as minutes after midnight; kValidation naming `field`.
Result<std::chrono::minutes> parse_time_of_day(std::string_view text, std::string_view field);
std::string format_time_of_day(std::chrono::minutes minutes);
// "mon".."sun" or the full English name, any case; kValidation naming `field`.
Result<std::chrono::weekday> parse_weekday(std::string_view text, std::string_view field);
std::string_view weekday_name(std::chrono::weekday day);  // "mon"

Result<governance::FreezeWindow> to_freeze_window(const store::FreezeWindowRecord& record);
// to_freeze_window() then governance::ZonedFreezeWindow::compile().
Result<governance::ZonedFreezeWindow> compile_freeze_window(const store::FreezeWindowRecord& record);
// Normalised text (local times "YYYY-MM-DDTHH:MM:SS", weekdays "mon", times "HH:MM").
store::FreezeWindowRecord to_record(const governance::FreezeWindow& window);

struct CompiledFreezeWindows {
  std::vector<governance::ZonedFreezeWindow> windows;
  // Ids of stored windows that no longer compile (e.g. a zone the system's
  // tz database dropped): left out, and the caller should log them.
  std::vector<std::string> skipped;
};
CompiledFreezeWindows compile_freeze_windows(const std::vector<store::FreezeWindowRecord>& records);

// The active stop, or an inactive EmergencyStop.
governance::EmergencyStop to_emergency_stop(const std::optional<store::EmergencyStopRecord>& stop);

}  // namespace opz::trigger
