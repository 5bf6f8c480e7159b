#include "trigger/governance_records.h"

#include <array>

#include "core/ascii.h"
#include "core/time_format.h"

namespace opz::trigger {

namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};
constexpr std::array<std::string_view, 7> kFullDayNames = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

governance::FreezeScope scope_of(const store::FreezeWindowRecord& r) {
  if (r.project_id.empty()) return governance::FreezeScope::kGlobal;
  if (r.environment.empty()) return governance::FreezeScope::kProject;
  return governance::FreezeScope::kEnvironment;
}

}  // namespace

governance::EnvironmentProtection to_protection(const store::EnvironmentRecord& env,
                                                const store::EnvironmentLockRecord& lock) {
  governance::EnvironmentProtection p;
  p.name = env.name;
  p.position = env.position;
  p.is_locked = lock.is_locked;
  p.lock_reason = lock.lock_reason;
  p.locked_by = lock.locked_by;
  p.required_role = auth::parse_role(env.required_role).value_or(auth::Role::kOperator);
  p.requires_approval = env.requires_approval;
  p.required_approvals = env.required_approvals;
  for (const auto& r : env.reviewers) {
    auto kind = governance::parse_reviewer_kind(r.kind);
    p.reviewers.push_back({kind ? *kind : governance::ReviewerKind::kUser, r.id});
  }
  p.prevent_self_approval = env.prevent_self_approval;
  p.wait_timer_seconds = env.wait_timer_seconds;
  p.restrict_refs = env.restrict_refs;
  p.allowed_branches = env.allowed_branches;
  p.allowed_tags = env.allowed_tags;
  p.auto_deploy = env.auto_deploy;
  p.approval_expiry = seconds(env.approval_expiry_seconds);
  auto mode = governance::parse_queue_mode(env.queue_mode);
  p.queue_mode = mode ? *mode : governance::QueueMode::kOldestFirst;
  return p;
}

std::vector<governance::EnvironmentProtection> to_protections(
    const std::vector<store::EnvironmentState>& states) {
  std::vector<governance::EnvironmentProtection> out;
  out.reserve(states.size());
  for (const auto& s : states) out.push_back(to_protection(s.environment, s.lock));
  return out;
}

store::EnvironmentRecord to_record(const governance::EnvironmentProtection& p,
                                   store::EnvironmentRecord base) {
  base.name = p.name;
  base.position = p.position;
  base.requires_approval = p.requires_approval;
  base.required_approvals = p.required_approvals;
  base.required_role = std::string(auth::to_string(p.required_role));
  base.reviewers.clear();
  for (const auto& r : p.reviewers)
    base.reviewers.push_back({std::string(governance::to_string(r.kind)), r.id});
  base.prevent_self_approval = p.prevent_self_approval;
  base.wait_timer_seconds = p.wait_timer_seconds;
  base.restrict_refs = p.restrict_refs;
  base.allowed_branches = p.allowed_branches;
  base.allowed_tags = p.allowed_tags;
  base.auto_deploy = p.auto_deploy;
  base.approval_expiry_seconds = p.approval_expiry.count();
  base.queue_mode = std::string(governance::to_string(p.queue_mode));
  return base;
}

Result<minutes> parse_time_of_day(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return Error::validation(std::string(field) + " must be HH:MM (00:00..23:59), got '" +
                                 std::string(text.substr(0, 32)) + "'",
                             std::string(field));
  };
  if (text.size() != 5 || text[2] != ':') return bad();
  for (size_t i : {0, 1, 3, 4})
    if (text[i] < '0' || text[i] > '9') return bad();
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return bad();
  return minutes(h * 60 + m);
}

std::string format_time_of_day(minutes m) {
  const auto total = ((m.count() % 1440) + 1440) % 1440;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(total / 60),
                static_cast<int>(total % 60));
  return buf;
}

Result<std::chrono::weekday> parse_weekday(std::string_view text, std::string_view field) {
  const std::string name = ascii_lower(text);
  for (unsigned i = 0; i < 7; ++i)
    if (name == kDayNames[i] || name == kFullDayNames[i]) return std::chrono::weekday(i);
  return Error::validation(std::string(field) + " must be a weekday (mon..sun), got '" +
                               std::string(text.substr(0, 32)) + "'",
                           std::string(field));
}

std::string_view weekday_name(std::chrono::weekday day) { return kDayNames[day.c_encoding() % 7]; }

Result<governance::FreezeWindow> to_freeze_window(const store::FreezeWindowRecord& r) {
  governance::FreezeWindow w;
  w.id = r.id;
  w.scope = scope_of(r);
  w.project_id = r.project_id;
  w.environment = r.environment;
  OPZ_TRY(w.kind, governance::parse_freeze_kind(r.kind));
  w.timezone = r.timezone;
  w.reason = r.reason;
  w.created_by = r.created_by;
  switch (w.kind) {
    case governance::FreezeKind::kAbsolute: {
      OPZ_TRY(w.start, governance::parse_local_datetime(r.start_local, "start"));
      OPZ_TRY(w.end, governance::parse_local_datetime(r.end_local, "end"));
      break;
    }
    case governance::FreezeKind::kWeekly: {
      for (size_t i = 0; i < r.weekdays.size(); ++i) {
        OPZ_TRY(auto day, parse_weekday(r.weekdays[i], "weekdays[" + std::to_string(i) + "]"));
        w.weekdays.push_back(day);
      }
      OPZ_TRY(w.start_time, parse_time_of_day(r.start_time, "start_time"));
      OPZ_TRY(w.end_time, parse_time_of_day(r.end_time, "end_time"));
      break;
    }
    case governance::FreezeKind::kCron: {
      w.cron = r.cron;
      if (r.duration_seconds % 60 != 0)
        return Error::validation("duration must be whole minutes", "duration");
      w.duration = std::chrono::duration_cast<minutes>(seconds(r.duration_seconds));
      break;
    }
  }
  return w;
}

Result<governance::ZonedFreezeWindow> compile_freeze_window(const store::FreezeWindowRecord& r) {
  OPZ_TRY(governance::FreezeWindow w, to_freeze_window(r));
  return governance::ZonedFreezeWindow::compile(std::move(w));
}

store::FreezeWindowRecord to_record(const governance::FreezeWindow& w) {
  store::FreezeWindowRecord r;
  r.id = w.id;
  if (w.scope != governance::FreezeScope::kGlobal) r.project_id = w.project_id;
  if (w.scope == governance::FreezeScope::kEnvironment) r.environment = w.environment;
  r.kind = std::string(governance::to_string(w.kind));
  switch (w.kind) {
    case governance::FreezeKind::kAbsolute:
      r.start_local = governance::format_local_datetime(w.start);
      r.end_local = governance::format_local_datetime(w.end);
      break;
    case governance::FreezeKind::kWeekly:
      for (auto d : w.weekdays) r.weekdays.emplace_back(weekday_name(d));
      r.start_time = format_time_of_day(w.start_time);
      r.end_time = format_time_of_day(w.end_time);
      break;
    case governance::FreezeKind::kCron:
      r.cron = w.cron;
      r.duration_seconds = std::chrono::duration_cast<seconds>(w.duration).count();
      break;
  }
  r.timezone = w.timezone;
  r.reason = w.reason;
  r.created_by = w.created_by;
  return r;
}

CompiledFreezeWindows compile_freeze_windows(
    const std::vector<store::FreezeWindowRecord>& records) {
  CompiledFreezeWindows out;
  for (const auto& r : records) {
    auto compiled = compile_freeze_window(r);
    if (compiled)
      out.windows.push_back(std::move(compiled).value());
    else
      out.skipped.push_back(r.id);
  }
  return out;
}

governance::EmergencyStop to_emergency_stop(const std::optional<store::EmergencyStopRecord>& stop) {
  governance::EmergencyStop out;
  if (!stop || !stop->lifted_at.empty()) return out;
  out.active = true;
  out.reason = stop->reason;
  out.by = stop->activated_by;
  if (auto since = parse_time(stop->activated_at)) out.since = *since;
  return out;
}

}  // namespace opz::trigger
