// FreezeWindow: a period in which deployments wait (deny wins over allow),
// for one environment, all environments of a project, or everything. Three
// kinds, all in a named IANA time zone:
//   absolute  [start, end) as local wall-clock times in the zone;
//   weekly    on each listed weekday from start_time to end_time (local);
//             an end_time <= start_time ends on the next day ("FRI
//             18:00-08:00" freezes Friday 18:00 to Saturday 08:00). The end
//             is a wall-clock time, so a DST jump inside the window makes it
//             an hour shorter or longer;
//   cron      each match of a CronExpression, for `duration` of elapsed time.
// Local times that a DST jump skips or repeats follow TimeZone::to_utc's rule
// (a skipped start shifts forward by the gap; a repeated one means its first
// occurrence).
//
// ZonedFreezeWindow::compile validates a window (each error kValidation
// naming the field) and keeps its zone and parsed cron; active_at and
// active_freeze are pure functions of the compiled windows and a time.
// Everything here is immutable after compile and safe to share.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "governance/cron_expression.h"
#include "governance/time_zone.h"

namespace opz::governance {

enum class FreezeScope { kEnvironment, kProject, kGlobal };
enum class FreezeKind { kAbsolute, kWeekly, kCron };

inline constexpr std::chrono::minutes kMaxCronFreezeDuration{30 * 24 * 60};

struct FreezeWindow {
  std::string id;
  FreezeScope scope = FreezeScope::kEnvironment;
  std::string project_id;   // empty for kGlobal
  std::string environment;  // kEnvironment only
  FreezeKind kind = FreezeKind::kAbsolute;
  LocalSeconds start{};                        // kAbsolute
  LocalSeconds end{};                          // kAbsolute
  std::vector<std::chrono::weekday> weekdays;  // kWeekly: the days a window starts
  std::chrono::minutes start_time{0};          // kWeekly: minutes after local midnight
  std::chrono::minutes end_time{0};            // kWeekly: <= start_time ends the next day
  std::string cron;                            // kCron
  std::chrono::minutes duration{0};            // kCron: 1 minute .. 30 days
  std::string timezone = "UTC";
  std::string reason;
  std::string created_by;
};

// One occurrence (or chain of overlapping occurrences) in force.
struct ActiveFreeze {
  std::string window_id;
  std::string reason;
  TimePoint started_at{};
  TimePoint ends_at{};  // deployments may start at this instant
};

class ZonedFreezeWindow {
 public:
  // Validates: scope fields ("project_id", "environment"), "timezone",
  // "reason" (1..500 chars), and by kind "end" (after start, at most 366
  // days later), "weekdays" (non-empty), "start_time"/"end_time" (within a
  // day, not equal), "cron.*" and "duration".
  static Result<ZonedFreezeWindow> compile(FreezeWindow window);

  const FreezeWindow& window() const { return window_; }
  const TimeZone& zone() const { return zone_; }
  bool applies_to(std::string_view project_id, std::string_view environment) const;

 private:
  friend std::optional<ActiveFreeze> active_at(const ZonedFreezeWindow&, TimePoint);
  friend std::optional<ActiveFreeze> current_or_next(const ZonedFreezeWindow&, TimePoint);
  ZonedFreezeWindow(FreezeWindow w, TimeZone z) : window_(std::move(w)), zone_(std::move(z)) {}
  // The occurrence of a recurring window that starts at `local_start`.
  ActiveFreeze occurrence(LocalMinutes local_start) const;

  FreezeWindow window_;
  TimeZone zone_;
  std::optional<CronExpression> schedule_;  // kWeekly (generated) and kCron
  std::chrono::minutes weekly_span_{0};     // kWeekly
};

// The occurrence of `window` in force at `now` (start <= now < end), if any;
// of several overlapping occurrences of one window, the one ending last.
std::optional<ActiveFreeze> active_at(const ZonedFreezeWindow& window, TimePoint now);

// The occurrence of `window` in force at `now` (as active_at), else the
// first one that starts after `now`: an absolute window's own span while its
// start is ahead, a recurring window's next start (computed on the zone's
// wall clock, so a weekly 09:00 stays 09:00 local across a DST change) and
// its end. nullopt for an absolute window that has ended.
std::optional<ActiveFreeze> current_or_next(const ZonedFreezeWindow& window, TimePoint now);

// Whether the windows that apply to (project, environment) freeze it at
// `now`. Deny wins: any active window freezes. ends_at is the end of the
// chain of overlapping or touching active windows (and occurrences) that
// starts at `now`; window_id and reason are those of the window active at
// `now` that ends last. Chains longer than 1000 links report the end of the
// 1000th: a re-check time, not a resume time.
std::optional<ActiveFreeze> active_freeze(const std::vector<ZonedFreezeWindow>& windows,
                                          std::string_view project_id, std::string_view environment,
                                          TimePoint now);

std::string_view to_string(FreezeScope scope);  // "environment", "project", "global"
Result<FreezeScope> parse_freeze_scope(std::string_view text);
std::string_view to_string(FreezeKind kind);  // "absolute", "weekly", "cron"
Result<FreezeKind> parse_freeze_kind(std::string_view text);

}  // namespace opz::governance
