// Freeze windows as the API shows them (docs/api.md "Freeze windows"), shared
// by the freeze-window routes and the environment list, which embeds the
// active and upcoming windows of each environment.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "store/freeze_window_store.h"

namespace opz::api {

// {id, scope, project_id, environment, kind, start, end, weekdays,
//  start_time, end_time, cron, duration_seconds, timezone, reason,
//  created_by, created_at, active, active_until, next_start, next_end};
// `active` / `active_until` at `now` (a window that no longer compiles shows
// active false); next_start / next_end (UTC, or null) the occurrence in
// force at `now`, else the next one (governance::current_or_next).
Json freeze_window_json(const store::FreezeWindowRecord& window, TimePoint now);

// The windows of `windows` that apply to `environment` of `project_id` and
// are active at `now` or may still occur (absolute windows whose end has
// not passed; every recurring one), as JSON.
Json upcoming_freeze_windows_json(const std::vector<store::FreezeWindowRecord>& windows,
                                  const std::string& project_id, const std::string& environment,
                                  TimePoint now);

}  // namespace opz::api
