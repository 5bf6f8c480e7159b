#include "pipeline/text_checks.h"

#include <gtest/gtest.h>

#include <string>

namespace opz::pipeline {
namespace {

constexpr size_t kNone = std::string_view::npos;

TEST(InvalidUtf8At, AcceptsValidText) {
  EXPECT_EQ(invalid_utf8_at(""), kNone);
  EXPECT_EQ(invalid_utf8_at("plain ascii"), kNone);
  EXPECT_EQ(invalid_utf8_at("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x9a\x80"), kNone);
  EXPECT_EQ(invalid_utf8_at("\xf4\x8f\xbf\xbf"), kNone);  // U+10FFFF
}

TEST(InvalidUtf8At, FindsTheFirstBadByte) {
  EXPECT_EQ(invalid_utf8_at("ab\xff"), 2u);
  EXPECT_EQ(invalid_utf8_at("a\xc3"), 1u);             // truncated
  EXPECT_EQ(invalid_utf8_at("a\xc3(b"), 1u);           // bad continuation
  EXPECT_EQ(invalid_utf8_at("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(invalid_utf8_at("\xe0\x80\xaf"), 0u);      // overlong
  EXPECT_EQ(invalid_utf8_at("x\xed\xb0\x80"), 1u);     // lone surrogate U+DC00
  EXPECT_EQ(invalid_utf8_at("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(invalid_utf8_at("ok\x80"), 2u);            // stray continuation
}

TEST(ControlCharacterAt, AllowsTabsAndLineBreaksOnly) {
  EXPECT_EQ(control_character_at("a\tb\r\nc\n"), kNone);
  EXPECT_EQ(control_character_at(std::string("ab\0c", 4)), 2u);
  EXPECT_EQ(control_character_at("x\x1b[0m"), 1u);
  EXPECT_EQ(control_character_at("del\x7f"), 3u);
  EXPECT_EQ(control_character_at("caf\xc3\xa9"), kNone);
}

}  // namespace
}  // namespace opz::pipeline
