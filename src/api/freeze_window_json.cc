#include "api/freeze_window_json.h"

#include "core/json_optional.h"
#include "core/time_format.h"
#include "trigger/governance_records.h"

namespace opz::api {

namespace {}  // namespace

Json freeze_window_json(const store::FreezeWindowRecord& w, TimePoint now) {
  const char* scope = w.project_id.empty()    ? "global"
                      : w.environment.empty() ? "project"
                                              : "environment";
  Json out = {
      {"id", w.id},
      {"scope", scope},
      {"project_id", string_or_null(w.project_id)},
      {"environment", string_or_null(w.environment)},
      {"kind", w.kind},
      {"start", string_or_null(w.start_local)},
      {"end", string_or_null(w.end_local)},
      {"weekdays", w.weekdays},
      {"start_time", string_or_null(w.start_time)},
      {"end_time", string_or_null(w.end_time)},
      {"cron", string_or_null(w.cron)},
      {"duration_seconds", w.duration_seconds > 0 ? Json(w.duration_seconds) : Json(nullptr)},
      {"timezone", w.timezone},
      {"reason", w.reason},
      {"created_by", string_or_null(w.created_by)},
      {"created_at", w.created_at},
      {"active", false},
      {"active_until", nullptr},
      {"next_start", nullptr},
      {"next_end", nullptr}};
  if (auto compiled = trigger::compile_freeze_window(w)) {
    if (auto active = governance::active_at(*compiled, now)) {
      out["active"] = true;
      out["active_until"] = format_time(active->ends_at);
    }
    if (auto next = governance::current_or_next(*compiled, now)) {
      out["next_start"] = format_time(next->started_at);
      out["next_end"] = format_time(next->ends_at);
    }
  }
  return out;
}

Json upcoming_freeze_windows_json(const std::vector<store::FreezeWindowRecord>& windows,
                                  const std::string& project_id, const std::string& environment,
                                  TimePoint now) {
  Json items = Json::array();
  for (const auto& w : windows) {
    if (!w.project_id.empty() && w.project_id != project_id) continue;
    if (!w.environment.empty() && w.environment != environment) continue;
    if (w.kind == "absolute") {
      auto compiled = trigger::compile_freeze_window(w);
      if (!compiled || compiled->zone().to_utc(compiled->window().end) <= now) continue;
    }
    items.push_back(freeze_window_json(w, now));
  }
  return items;
}

}  // namespace opz::api
