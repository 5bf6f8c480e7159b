// current_or_next: the freeze occurrence in force, else the next one, as the
// environments page shows it ("next freeze"), with the time on a ManualClock
// moving across the EU spring-forward change (2026-03-29, 02:00 CET ->
// 03:00 CEST).
#include <gtest/gtest.h>

#include "core/time_format.h"
#include "governance/freeze_window.h"

namespace opz::governance {
namespace {

using namespace std::chrono;

TimePoint utc(std::string_view text) { return *parse_time(text); }

FreezeWindow berlin(std::string id) {
  FreezeWindow w;
  w.id = std::move(id);
  w.scope = FreezeScope::kProject;
  w.project_id = "p1";
  w.timezone = "Europe/Berlin";
  w.reason = "freeze " + w.id;
  return w;
}

ZonedFreezeWindow compiled(FreezeWindow w) {
  auto z = ZonedFreezeWindow::compile(std::move(w));
  EXPECT_TRUE(z.ok()) << (z.ok() ? "" : z.error().message);
  return *z;
}

void expect_span(const std::optional<ActiveFreeze>& f, std::string_view start,
                 std::string_view end) {
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(format_time(f->started_at), start);
  EXPECT_EQ(format_time(f->ends_at), end);
}

TEST(FreezeWindowNext, WeeklyKeepsItsLocalTimeAcrossTheDstChange) {
  FreezeWindow w = berlin("friday-evening");
  w.kind = FreezeKind::kWeekly;
  w.weekdays = {Friday};
  w.start_time = hours{18};
  w.end_time = hours{20};
  const ZonedFreezeWindow z = compiled(w);
  ManualClock clock(utc("2026-03-27T12:00:00Z"));
  // Friday 18:00-20:00 CET = 17:00-19:00Z.
  expect_span(current_or_next(z, clock.now()), "2026-03-27T17:00:00.000Z",
              "2026-03-27T19:00:00.000Z");
  clock.set(utc("2026-03-27T17:30:00Z"));  // in force: the current occurrence
  expect_span(current_or_next(z, clock.now()), "2026-03-27T17:00:00.000Z",
              "2026-03-27T19:00:00.000Z");
  clock.set(utc("2026-03-27T19:00:00Z"));  // just ended: next Friday, now CEST (UTC+2)
  expect_span(current_or_next(z, clock.now()), "2026-04-03T16:00:00.000Z",
              "2026-04-03T18:00:00.000Z");
}

TEST(FreezeWindowNext, CronStartInTheSkippedHourShiftsForward) {
  FreezeWindow w = berlin("nightly");
  w.kind = FreezeKind::kCron;
  w.cron = "30 2 * * *";
  w.duration = minutes{30};
  const ZonedFreezeWindow z = compiled(w);
  ManualClock clock(utc("2026-03-28T12:00:00Z"));
  // 02:30 on the 29th does not exist: read with CET's offset, 01:30Z (03:30 CEST).
  expect_span(current_or_next(z, clock.now()), "2026-03-29T01:30:00.000Z",
              "2026-03-29T02:00:00.000Z");
  clock.advance(hours{14});  // 02:00Z: that one just ended
  expect_span(current_or_next(z, clock.now()), "2026-03-30T00:30:00.000Z",
              "2026-03-30T01:00:00.000Z");
}

TEST(FreezeWindowNext, AbsoluteIsItsOwnSpanUntilItEnds) {
  FreezeWindow w = berlin("launch");
  w.kind = FreezeKind::kAbsolute;
  w.start = *parse_local_datetime("2026-03-28T22:00", "start");
  w.end = *parse_local_datetime("2026-03-29T04:00", "end");
  const ZonedFreezeWindow z = compiled(w);
  ManualClock clock(utc("2026-03-01T00:00:00Z"));
  expect_span(current_or_next(z, clock.now()), "2026-03-28T21:00:00.000Z",
              "2026-03-29T02:00:00.000Z");
  clock.set(utc("2026-03-29T01:00:00Z"));
  expect_span(current_or_next(z, clock.now()), "2026-03-28T21:00:00.000Z",
              "2026-03-29T02:00:00.000Z");
  clock.set(utc("2026-03-29T02:00:00Z"));
  EXPECT_FALSE(current_or_next(z, clock.now()).has_value());
}

}  // namespace
}  // namespace opz::governance
