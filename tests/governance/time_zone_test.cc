#include "governance/time_zone.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace opz::governance {
namespace {

using namespace std::chrono;

LocalSeconds local(std::string_view text) {
  auto t = parse_local_datetime(text, "t");
  EXPECT_TRUE(t.ok()) << text;
  return *t;
}

TimePoint utc(std::string_view text) { return *parse_time(text); }

TEST(TimeZone, UnknownAndMalformedNamesNameTheField) {
  for (std::string_view bad : {"", "Mars/Olympus", "../../etc/passwd", "/usr/share/zoneinfo/UTC",
                               "Europe/Berl\u0456n", "Europe/Berlin "}) {
    auto z = TimeZone::named(bad);
    ASSERT_FALSE(z.ok()) << bad;
    EXPECT_EQ(z.error().code, ErrorCode::kValidation);
    EXPECT_EQ(z.error().field, "timezone");
  }
  EXPECT_TRUE(TimeZone::named("UTC").ok());
  EXPECT_TRUE(TimeZone::named("Asia/Kolkata").ok());
}

TEST(TimeZone, BerlinOffsetsAcrossDst) {
  auto berlin = *TimeZone::named("Europe/Berlin");
  EXPECT_EQ(berlin.name(), "Europe/Berlin");
  EXPECT_EQ(berlin.offset_at(utc("2026-01-15T12:00:00Z")), hours{1});
  EXPECT_EQ(berlin.offset_at(utc("2026-07-15T12:00:00Z")), hours{2});
  EXPECT_EQ(berlin.to_local(utc("2026-07-15T12:00:00Z")), local("2026-07-15T14:00"));
  EXPECT_EQ(berlin.to_utc(local("2026-01-15T13:00")), utc("2026-01-15T12:00:00Z"));
}

TEST(TimeZone, GapReadsWithTheOffsetBeforeTheJump) {
  auto berlin = *TimeZone::named("Europe/Berlin");
  // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
  EXPECT_EQ(berlin.to_utc(local("2026-03-29T02:30")), utc("2026-03-29T01:30:00Z"));
  EXPECT_EQ(berlin.to_local(utc("2026-03-29T01:30:00Z")), local("2026-03-29T03:30"));
  EXPECT_EQ(berlin.to_utc(local("2026-03-29T03:00")), utc("2026-03-29T01:00:00Z"));
}

TEST(TimeZone, OverlapMeansTheEarlierInstant) {
  auto berlin = *TimeZone::named("Europe/Berlin");
  // 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC).
  EXPECT_EQ(berlin.to_utc(local("2026-10-25T02:30")), utc("2026-10-25T00:30:00Z"));
  EXPECT_EQ(berlin.to_local(utc("2026-10-25T01:30:00Z")), local("2026-10-25T02:30"));
  auto ny = *TimeZone::named("America/New_York");
  // 2026-11-01: 02:00 EDT falls back to 01:00 EST.
  EXPECT_EQ(ny.to_utc(local("2026-11-01T01:30")), utc("2026-11-01T05:30:00Z"));
  // 2026-03-08: 02:00 EST jumps to 03:00 EDT.
  EXPECT_EQ(ny.to_utc(local("2026-03-08T02:30")), utc("2026-03-08T07:30:00Z"));
}

TEST(LocalDatetime, ParsesAndFormats) {
  EXPECT_EQ(format_local_datetime(local("2026-02-28T23:59:58")), "2026-02-28T23:59:58");
  EXPECT_EQ(format_local_datetime(local("2026-02-28 07:05")), "2026-02-28T07:05:00");
  for (std::string_view bad : {"2026-02-29T00:00", "2026-02-28T24:00", "2026-02-28T10:00Z",
                               "2026-02-28", "2026-2-28T10:00", "2026-02-28T10:00+01:00"}) {
    auto t = parse_local_datetime(bad, "start");
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().field, "start");
  }
}

}  // namespace
}  // namespace opz::governance
