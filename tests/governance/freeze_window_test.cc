#include "governance/freeze_window.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "governance/reason_length.h"

namespace opz::governance {
namespace {

using namespace std::chrono;

TimePoint utc(std::string_view text) { return *parse_time(text); }
LocalSeconds local(std::string_view text) { return *parse_local_datetime(text, "t"); }

FreezeWindow absolute(std::string id, std::string_view start, std::string_view end,
                      std::string tz = "Europe/Berlin") {
  FreezeWindow w;
  w.id = std::move(id);
  w.project_id = "p1";
  w.environment = "Production";
  w.kind = FreezeKind::kAbsolute;
  w.start = local(start);
  w.end = local(end);
  w.timezone = std::move(tz);
  w.reason = "release freeze " + w.id;
  return w;
}

ZonedFreezeWindow compiled(FreezeWindow w) {
  auto z = ZonedFreezeWindow::compile(std::move(w));
  EXPECT_TRUE(z.ok()) << (z.ok() ? "" : z.error().message);
  return *z;
}

std::string error_field(FreezeWindow w) {
  auto z = ZonedFreezeWindow::compile(std::move(w));
  EXPECT_FALSE(z.ok());
  if (z.ok()) return "";
  EXPECT_EQ(z.error().code, ErrorCode::kValidation);
  return z.error().field;
}

TEST(FreezeWindow, AbsoluteAcrossSpringForwardInBerlin) {
  // 22:00 CET (21:00Z) to 04:00 CEST (02:00Z): five hours of elapsed time.
  auto w = compiled(absolute("w1", "2026-03-28T22:00", "2026-03-29T04:00"));
  EXPECT_FALSE(active_at(w, utc("2026-03-28T20:59:59Z")));
  auto a = active_at(w, utc("2026-03-28T21:00:00Z"));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->window_id, "w1");
  EXPECT_EQ(a->reason, "release freeze w1");
  EXPECT_EQ(a->ends_at, utc("2026-03-29T02:00:00Z"));
  EXPECT_TRUE(active_at(w, utc("2026-03-29T01:59:59Z")));
  EXPECT_FALSE(active_at(w, utc("2026-03-29T02:00:00Z")));
}

TEST(FreezeWindow, WeeklyEndIsWallClockAcrossDst) {
  FreezeWindow w;
  w.id = "nights";
  w.scope = FreezeScope::kProject;
  w.project_id = "p1";
  w.kind = FreezeKind::kWeekly;
  w.weekdays = {Saturday};
  w.start_time = hours{22};
  w.end_time = hours{6};
  w.timezone = "Europe/Berlin";
  w.reason = "weekend nights";
  auto z = compiled(w);
  // Spring: Sat 22:00 CET (21:00Z) -> Sun 06:00 CEST (04:00Z), 7 h.
  auto spring = active_at(z, utc("2026-03-29T03:59:00Z"));
  ASSERT_TRUE(spring);
  EXPECT_EQ(spring->started_at, utc("2026-03-28T21:00:00Z"));
  EXPECT_EQ(spring->ends_at, utc("2026-03-29T04:00:00Z"));
  EXPECT_FALSE(active_at(z, utc("2026-03-29T04:00:00Z")));
  // Autumn: Sat 22:00 CEST (20:00Z) -> Sun 06:00 CET (05:00Z), 9 h.
  auto autumn = active_at(z, utc("2026-10-25T04:30:00Z"));
  ASSERT_TRUE(autumn);
  EXPECT_EQ(autumn->started_at, utc("2026-10-24T20:00:00Z"));
  EXPECT_EQ(autumn->ends_at, utc("2026-10-25T05:00:00Z"));
  // Not on other days.
  EXPECT_FALSE(active_at(z, utc("2026-10-21T22:00:00Z")));
}

TEST(FreezeWindow, CronInNewYorkAcrossBothDstChanges) {
  FreezeWindow w;
  w.id = "nightly";
  w.scope = FreezeScope::kGlobal;
  w.kind = FreezeKind::kCron;
  w.cron = "30 2 * * *";
  w.duration = minutes{30};
  w.timezone = "America/New_York";
  w.reason = "backups";
  auto z = compiled(w);
  // 2026-03-08 02:30 does not exist: read as EST, i.e. 07:30Z (03:30 EDT).
  EXPECT_FALSE(active_at(z, utc("2026-03-08T07:10:00Z")));  // 03:10 EDT
  auto gap = active_at(z, utc("2026-03-08T07:45:00Z"));
  ASSERT_TRUE(gap);
  EXPECT_EQ(gap->started_at, utc("2026-03-08T07:30:00Z"));
  EXPECT_EQ(gap->ends_at, utc("2026-03-08T08:00:00Z"));
  // An ordinary summer day: 02:30 EDT = 06:30Z.
  EXPECT_TRUE(active_at(z, utc("2026-07-01T06:59:00Z")));
  EXPECT_FALSE(active_at(z, utc("2026-07-01T07:00:00Z")));

  w.cron = "0 1 * * *";
  w.duration = hours{2};
  auto fold = compiled(w);
  // 2026-11-01 01:00 happens twice: the first (EDT, 05:00Z) counts.
  auto a = active_at(fold, utc("2026-11-01T06:30:00Z"));  // 01:30 EST, second pass
  ASSERT_TRUE(a);
  EXPECT_EQ(a->started_at, utc("2026-11-01T05:00:00Z"));
  EXPECT_EQ(a->ends_at, utc("2026-11-01T07:00:00Z"));
}

TEST(FreezeWindow, OverlappingAndTouchingWindowsChain) {
  std::vector<ZonedFreezeWindow> ws{
      compiled(absolute("a", "2026-06-01T10:00", "2026-06-01T12:00", "UTC")),
      compiled(absolute("b", "2026-06-01T11:30", "2026-06-01T14:00", "UTC")),
      compiled(absolute("c", "2026-06-01T14:00", "2026-06-01T15:00", "UTC")),
      compiled(absolute("later", "2026-06-01T15:01", "2026-06-01T16:00", "UTC"))};
  auto a = active_freeze(ws, "p1", "Production", utc("2026-06-01T10:30:00Z"));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->window_id, "a");
  EXPECT_EQ(a->ends_at, utc("2026-06-01T15:00:00Z"));
  auto b = active_freeze(ws, "p1", "Production", utc("2026-06-01T11:45:00Z"));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->window_id, "b");
  EXPECT_EQ(b->reason, "release freeze b");
  EXPECT_FALSE(active_freeze(ws, "p1", "Production", utc("2026-06-01T15:00:30Z")));
}

TEST(FreezeWindow, ScopeDecidesWhatIsFrozen) {
  auto env = absolute("env", "2026-06-01T10:00", "2026-06-01T12:00", "UTC");
  FreezeWindow project = env;
  project.id = "proj";
  project.scope = FreezeScope::kProject;
  project.project_id = "p2";
  FreezeWindow global = env;
  global.id = "global";
  global.scope = FreezeScope::kGlobal;
  global.project_id.clear();
  global.start = local("2026-06-02T10:00");
  global.end = local("2026-06-02T11:00");
  std::vector<ZonedFreezeWindow> ws{compiled(env), compiled(project), compiled(global)};
  TimePoint day1 = utc("2026-06-01T11:00:00Z");
  EXPECT_TRUE(active_freeze(ws, "p1", "production", day1));  // names compare case-insensitively
  EXPECT_FALSE(active_freeze(ws, "p1", "Staging", day1));
  EXPECT_EQ(active_freeze(ws, "p2", "Staging", day1)->window_id, "proj");
  EXPECT_FALSE(active_freeze(ws, "p3", "Staging", day1));
  EXPECT_EQ(active_freeze(ws, "p3", "Anything", utc("2026-06-02T10:30:00Z"))->window_id, "global");
}

TEST(FreezeWindow, ValidationNamesTheField) {
  auto ok = absolute("w", "2026-06-01T10:00", "2026-06-01T12:00");
  auto w = ok;
  std::swap(w.start, w.end);
  EXPECT_EQ(error_field(w), "end");  // inverted
  w.end = w.start;
  EXPECT_EQ(error_field(w), "end");  // empty
  w = ok;
  w.timezone = "Europe/Atlantis";
  EXPECT_EQ(error_field(w), "timezone");
  w = ok;
  w.reason.clear();
  EXPECT_EQ(error_field(w), "reason");
  w.reason.assign(kMaxGovernanceReasonLength + 1, 'r');
  EXPECT_EQ(error_field(w), "reason");
  w.reason.pop_back();
  EXPECT_TRUE(ZonedFreezeWindow::compile(w).ok()) << "the limit itself is allowed";
  w = ok;
  w.environment = "Production\u200b";
  EXPECT_EQ(error_field(w), "environment");
  w = ok;
  w.project_id.clear();
  EXPECT_EQ(error_field(w), "project_id");
  w = ok;
  w.kind = FreezeKind::kCron;
  w.cron = "0 25 * * *";
  w.duration = hours{1};
  EXPECT_EQ(error_field(w), "cron.hour");
  w.cron = "0 22 * * FRI";
  w.duration = minutes{0};
  EXPECT_EQ(error_field(w), "duration");
  w.duration = kMaxCronFreezeDuration + minutes{1};
  EXPECT_EQ(error_field(w), "duration");
  w.duration = kMaxCronFreezeDuration;
  EXPECT_TRUE(ZonedFreezeWindow::compile(w).ok());
  w = ok;
  w.kind = FreezeKind::kWeekly;
  EXPECT_EQ(error_field(w), "weekdays");
  w.weekdays = {Friday};
  w.start_time = hours{18};
  w.end_time = hours{18};
  EXPECT_EQ(error_field(w), "end_time");
  w.end_time = hours{24};
  EXPECT_EQ(error_field(w), "end_time");
  EXPECT_EQ(to_string(FreezeKind::kCron), "cron");
  EXPECT_EQ(*parse_freeze_scope("global"), FreezeScope::kGlobal);
}

}  // namespace
}  // namespace opz::governance
