#include "core/time_format.h"

#include <gtest/gtest.h>

namespace opz {
namespace {

TEST(TimeFormat, FormatsUtcWithMillis) {
  EXPECT_EQ(format_time(from_unix_millis(1705314600123)), "2024-01-15T10:30:00.123Z");
  EXPECT_EQ(format_time(from_unix_millis(0)), "1970-01-01T00:00:00.000Z");
}

TEST(TimeFormat, ParsesWhatItFormats) {
  auto t = parse_time("2024-01-15T10:30:00.123Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(to_unix_millis(*t), 1705314600123);
}

TEST(TimeFormat, ParsesOffsetsAndDates) {
  EXPECT_EQ(to_unix_millis(*parse_time("2024-01-15T12:30:00+02:00")), 1705314600000);
  EXPECT_EQ(to_unix_millis(*parse_time("2024-01-15")), 1705276800000);
}

TEST(TimeFormat, RejectsGarbageWithAClearMessage) {
  for (const char* bad : {"", "yesterday", "2024-13-01", "2024-01-15T25:00:00Z",
                          "2024-01-15T10:30:00", "2024-01-15T10:30:00Zjunk", "'; DROP TABLE x"}) {
    auto t = parse_time(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, ErrorCode::kValidation);
    EXPECT_NE(t.error().message.find("ISO-8601"), std::string::npos);
  }
}

TEST(TimeFormat, YearsThatWouldWrapTheClockAreRefused) {
  // 2999 would overflow 64-bit nanoseconds and compare as a time in the past.
  for (const char* far : {"2999-01-01T00:00:00Z", "2262-06-01", "1600-01-01T00:00:00Z"}) {
    auto t = parse_time(far);
    ASSERT_FALSE(t.ok()) << far;
    EXPECT_EQ(t.error().code, ErrorCode::kValidation);
    EXPECT_NE(t.error().message.find("between 1678 and 2261"), std::string::npos);
  }
  ASSERT_TRUE(parse_time("2261-12-31T23:59:59Z").ok());
  EXPECT_GT(*parse_time("2261-12-31T23:59:59Z"), *parse_time("2200-01-01T00:00:00Z"));
}

TEST(TimeFormat, LexicographicOrderIsTimeOrder) {
  EXPECT_LT(format_time(from_unix_millis(999)), format_time(from_unix_millis(1000)));
  EXPECT_LT(format_time(from_unix_millis(1705314600123)), format_time(from_unix_millis(1705314601000)));
}

}  // namespace
}  // namespace opz
