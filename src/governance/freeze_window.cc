#include "governance/freeze_window.h"

#include "governance/enum_names.h"
#include "governance/environment_protection.h"
#include "governance/reason_length.h"

namespace opz::governance {

namespace {

using namespace std::chrono;

constexpr int kMaxChainLinks = 1000;
constexpr minutes kDay{24 * 60};

constexpr detail::NameTable<FreezeScope, 3> kScopes{{
    {FreezeScope::kEnvironment, "environment"},
    {FreezeScope::kProject, "project"},
    {FreezeScope::kGlobal, "global"},
}};

constexpr detail::NameTable<FreezeKind, 3> kKinds{{
    {FreezeKind::kAbsolute, "absolute"},
    {FreezeKind::kWeekly, "weekly"},
    {FreezeKind::kCron, "cron"},
}};

Status validate_scope(const FreezeWindow& w) {
  if (w.scope != FreezeScope::kGlobal && w.project_id.empty())
    return Error::validation("a project or environment freeze needs project_id", "project_id");
  if (w.scope == FreezeScope::kEnvironment) {
    auto name = validate_environment_name(w.environment);
    if (!name) return Error::validation(name.error().message, "environment");
    if (*name != w.environment)
      return Error::validation("environment name has surrounding whitespace", "environment");
  }
  if (w.reason.empty()) return Error::validation("a freeze window needs a reason", "reason");
  if (w.reason.size() > kMaxGovernanceReasonLength)
    return Error::validation(
        "reason is longer than " + std::to_string(kMaxGovernanceReasonLength) + " characters",
        "reason");
  return ok_status();
}

// "M H * * d1,d2": the weekly window's starts as a cron schedule.
Result<CronExpression> weekly_schedule(const FreezeWindow& w) {
  if (w.weekdays.empty()) return Error::validation("weekdays is empty", "weekdays");
  for (const auto& d : w.weekdays)
    if (!d.ok()) return Error::validation("weekdays has an invalid day", "weekdays");
  if (w.start_time < minutes{0} || w.start_time >= kDay)
    return Error::validation("start_time must be within 00:00..23:59", "start_time");
  if (w.end_time < minutes{0} || w.end_time >= kDay)
    return Error::validation("end_time must be within 00:00..23:59", "end_time");
  if (w.end_time == w.start_time)
    return Error::validation("end_time equals start_time: the window would be empty", "end_time");
  std::string days;
  for (const auto& d : w.weekdays)
    days += (days.empty() ? "" : ",") + std::to_string(d.c_encoding());
  return CronExpression::parse(std::to_string(w.start_time.count() % 60) + " " +
                               std::to_string(w.start_time.count() / 60) + " * * " + days);
}

}  // namespace

Result<ZonedFreezeWindow> ZonedFreezeWindow::compile(FreezeWindow w) {
  OPZ_TRY_STATUS(validate_scope(w));
  OPZ_TRY(TimeZone zone, TimeZone::named(w.timezone));
  ZonedFreezeWindow out(std::move(w), std::move(zone));
  const FreezeWindow& win = out.window_;
  switch (win.kind) {
    case FreezeKind::kAbsolute: {
      TimePoint start = out.zone_.to_utc(win.start);
      TimePoint end = out.zone_.to_utc(win.end);
      if (end <= start) return Error::validation("end must be after start", "end");
      if (end - start > hours{24 * 366})
        return Error::validation("an absolute freeze may last at most 366 days", "end");
      break;
    }
    case FreezeKind::kWeekly: {
      OPZ_TRY(out.schedule_, weekly_schedule(win));
      out.weekly_span_ = (win.end_time - win.start_time + kDay) % kDay;
      break;
    }
    case FreezeKind::kCron: {
      OPZ_TRY(out.schedule_, CronExpression::parse(win.cron));
      if (win.duration < minutes{1} || win.duration > kMaxCronFreezeDuration)
        return Error::validation("duration must be 1 minute..30 days", "duration");
      break;
    }
  }
  return out;
}

bool ZonedFreezeWindow::applies_to(std::string_view project_id,
                                   std::string_view environment) const {
  switch (window_.scope) {
    case FreezeScope::kGlobal:
      return true;
    case FreezeScope::kProject:
      return window_.project_id == project_id;
    case FreezeScope::kEnvironment:
      return window_.project_id == project_id &&
             same_environment_name(window_.environment, environment);
  }
  return false;
}

ActiveFreeze ZonedFreezeWindow::occurrence(LocalMinutes local_start) const {
  LocalSeconds start{local_start.time_since_epoch()};
  ActiveFreeze a{window_.id, window_.reason, zone_.to_utc(start), {}};
  a.ends_at = window_.kind == FreezeKind::kWeekly ? zone_.to_utc(start + weekly_span_)
                                                  : a.started_at + window_.duration;
  return a;
}

std::optional<ActiveFreeze> active_at(const ZonedFreezeWindow& zw, TimePoint now) {
  const FreezeWindow& w = zw.window_;
  if (w.kind == FreezeKind::kAbsolute) {
    ActiveFreeze a{w.id, w.reason, zw.zone_.to_utc(w.start), zw.zone_.to_utc(w.end)};
    if (a.started_at <= now && now < a.ends_at) return a;
    return std::nullopt;
  }
  // The latest start at or before `now` ends last. A local start just after
  // `now` on the wall clock can map before it (a start inside a DST gap reads
  // with the earlier offset) and one just before can map after it, so step
  // back over starts that lie in the future.
  LocalMinutes probe = floor<minutes>(zw.zone_.to_local(now));
  for (int i = 0; i < 4; ++i) {
    auto start = zw.schedule_->last_match(probe);
    if (!start) return std::nullopt;
    ActiveFreeze a = zw.occurrence(*start);
    if (a.started_at <= now) {
      if (now < a.ends_at) return a;
      return std::nullopt;
    }
    probe = *start - minutes{1};
  }
  return std::nullopt;
}

std::optional<ActiveFreeze> current_or_next(const ZonedFreezeWindow& zw, TimePoint now) {
  if (auto active = active_at(zw, now)) return active;
  const FreezeWindow& w = zw.window_;
  if (w.kind == FreezeKind::kAbsolute) {
    ActiveFreeze a{w.id, w.reason, zw.zone_.to_utc(w.start), zw.zone_.to_utc(w.end)};
    if (a.started_at > now) return a;
    return std::nullopt;
  }
  // The first local start after `now`'s wall-clock minute; as in active_at,
  // a start near a DST jump can map to the other side of `now`, so step on
  // over starts that are not in the future.
  LocalMinutes probe = floor<minutes>(zw.zone_.to_local(now)) + minutes{1};
  for (int i = 0; i < 4; ++i) {
    auto start = zw.schedule_->next_match(probe);
    if (!start) return std::nullopt;
    ActiveFreeze a = zw.occurrence(*start);
    if (a.started_at > now) return a;
    probe = *start + minutes{1};
  }
  return std::nullopt;
}

std::optional<ActiveFreeze> active_freeze(const std::vector<ZonedFreezeWindow>& windows,
                                          std::string_view project_id, std::string_view environment,
                                          TimePoint now) {
  std::optional<ActiveFreeze> best;
  for (const auto& w : windows) {
    if (!w.applies_to(project_id, environment)) continue;
    auto a = active_at(w, now);
    if (a && (!best || a->ends_at > best->ends_at)) best = std::move(a);
  }
  if (!best) return std::nullopt;
  // Follow the chain: whatever is in force at the current end extends it.
  for (int link = 0; link < kMaxChainLinks; ++link) {
    bool extended = false;
    for (const auto& w : windows) {
      if (!w.applies_to(project_id, environment)) continue;
      auto a = active_at(w, best->ends_at);
      if (a && a->ends_at > best->ends_at) {
        best->ends_at = a->ends_at;
        extended = true;
      }
    }
    if (!extended) break;
  }
  return best;
}

std::string_view to_string(FreezeScope scope) { return detail::name_of(kScopes, scope); }
Result<FreezeScope> parse_freeze_scope(std::string_view text) {
  return detail::parse_named(kScopes, text, "scope");
}
std::string_view to_string(FreezeKind kind) { return detail::name_of(kKinds, kind); }
Result<FreezeKind> parse_freeze_kind(std::string_view text) {
  return detail::parse_named(kKinds, text, "kind");
}

}  // namespace opz::governance
