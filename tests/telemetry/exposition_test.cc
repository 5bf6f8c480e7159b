#include "telemetry/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace opz::telemetry {
namespace {

TEST(FormatValue, ShortestRoundTrip) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(3), "3");
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(-1.5), "-1.5");
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(std::stod(format_value(1e-5)), 1e-5);
  EXPECT_EQ(std::stod(format_value(123456789012.0)), 123456789012.0);
}

TEST(FormatValue, SpecialValues) {
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
}

TEST(Escape, HelpEscapesBackslashAndNewlineOnly) {
  EXPECT_EQ(escape_help("a\\b\nc\"d"), "a\\\\b\\nc\"d");
}

TEST(Escape, LabelValueEscapesQuoteBackslashNewline) {
  EXPECT_EQ(escape_label_value("a\\b\nc\"d"), "a\\\\b\\nc\\\"d");
  EXPECT_EQ(escape_label_value("plain"), "plain");
}

TEST(ValidUtf8, KeepsValidText) {
  const std::string s = "ascii \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_EQ(valid_utf8(s), s);
}

TEST(ValidUtf8, ReplacesInvalidSequences) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(valid_utf8("a\xFF"
                       "b"),
            "a" + r + "b");
  EXPECT_EQ(valid_utf8("\xC3"), r);                          // truncated
  EXPECT_EQ(valid_utf8("\xC0\xAF"), r + r);                  // overlong
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), r + r + r);          // surrogate
  EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), r + r + r + r);  // > U+10FFFF
}

TEST(LabelBlock, PairsNamesAndValues) {
  EXPECT_EQ(label_block({}, {}), "");
  EXPECT_EQ(label_block({"a", "b"}, {"1", "x\"y"}), "{a=\"1\",b=\"x\\\"y\"}");
  EXPECT_EQ(label_block({"a"}, {}), "{a=\"\"}");
  EXPECT_EQ(label_block({"a"}, {"1"}, "le", "0.5"), "{a=\"1\",le=\"0.5\"}");
  EXPECT_EQ(label_block({}, {}, "le", "+Inf"), "{le=\"+Inf\"}");
}

}  // namespace
}  // namespace opz::telemetry
