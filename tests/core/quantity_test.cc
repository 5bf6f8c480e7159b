#include "core/quantity.h"

#include <gtest/gtest.h>

namespace opz {
namespace {

using std::chrono::milliseconds;

TEST(Quantity, Durations) {
  EXPECT_EQ(*parse_duration("2s"), milliseconds(2000));
  EXPECT_EQ(*parse_duration("5m"), milliseconds(300000));
  EXPECT_EQ(*parse_duration("1h30m"), milliseconds(5400000));
  EXPECT_EQ(*parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(*parse_duration("60"), milliseconds(60000));
  for (const char* bad : {"", "s", "5 m", "5x", "-1s", "1.5s", "banana"}) {
    auto d = parse_duration(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_NE(d.error().message.find("invalid duration"), std::string::npos);
  }
}

TEST(Quantity, Sizes) {
  EXPECT_EQ(*parse_size("10MiB"), 10u << 20);
  EXPECT_EQ(*parse_size("25MB"), 25000000u);
  EXPECT_EQ(*parse_size("512k"), 512u * 1024);
  EXPECT_EQ(*parse_size("100"), 100u);
  EXPECT_FALSE(parse_size("ten").ok());
  EXPECT_FALSE(parse_size("99999999999999999999999GiB").ok());
}

TEST(Quantity, FormatsDurations) {
  EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
  EXPECT_EQ(format_duration(milliseconds(90000)), "1m30s");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_duration(milliseconds(3600000)), "1h");
}

}  // namespace
}  // namespace opz
