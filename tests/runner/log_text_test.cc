#include "runner/log_text.h"

#include <gtest/gtest.h>

#include <string>

namespace opz::runner {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(ToLogText, KeepsAsciiAndValidMultiByteText) {
  EXPECT_EQ(to_log_text("hello, world\t!"), "hello, world\t!");
  const std::string mixed = "caf\xC3\xA9 \xE2\x82\xAC 5 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
  EXPECT_EQ(to_log_text(mixed), mixed);
  EXPECT_EQ(to_log_text(""), "");
}

TEST(ToLogText, RemovesNulBytes) {
  EXPECT_EQ(to_log_text(std::string("a\0b\0", 4)), "ab");
  EXPECT_EQ(to_log_text(std::string("\0\xC3\xA9\0", 4)), "\xC3\xA9");
}

TEST(ToLogText, ReplacesStrayAndInvalidLeadBytes) {
  EXPECT_EQ(to_log_text("a\x80z"), "a" + kFffd + "z");
  EXPECT_EQ(to_log_text("\xFF\xFE"), kFffd + kFffd);
  // C0/C1 would be overlong two-byte forms: each byte is its own bad subpart.
  EXPECT_EQ(to_log_text("\xC0\x80"), kFffd + kFffd);
  EXPECT_EQ(to_log_text("\xC1\xBF"), kFffd + kFffd);
}

TEST(ToLogText, ReplacesTruncatedSequenceOnceAndKeepsNextCharacter) {
  // The maximal well-formed prefix "E2 82" becomes one U+FFFD.
  EXPECT_EQ(to_log_text("\xE2\x82"
                        "a"),
            kFffd + "a");
  EXPECT_EQ(to_log_text("\xF0\x9F\x98"), kFffd);
  EXPECT_EQ(to_log_text("x\xE2"), "x" + kFffd);
}

TEST(ToLogText, RejectsOverlongsSurrogatesAndOutOfRange) {
  EXPECT_EQ(to_log_text("\xE0\x80\x80"), kFffd + kFffd + kFffd);  // overlong 3-byte
  EXPECT_EQ(to_log_text("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // U+D800 surrogate
  EXPECT_EQ(to_log_text("\xF0\x80\x80\x80"), kFffd + kFffd + kFffd + kFffd);
  EXPECT_EQ(to_log_text("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
  EXPECT_EQ(to_log_text("\xF5\x80"), kFffd + kFffd);
}

TEST(Utf8SafeCut, CutsBeforeAnUnfinishedSequence) {
  EXPECT_EQ(utf8_safe_cut("abc"), 3u);
  EXPECT_EQ(utf8_safe_cut(""), 0u);
  EXPECT_EQ(utf8_safe_cut("ab\xC3"), 2u);
  EXPECT_EQ(utf8_safe_cut("ab\xE2\x82"), 2u);
  EXPECT_EQ(utf8_safe_cut("a\xF0\x9F\x98"), 1u);
  EXPECT_EQ(utf8_safe_cut("\xF0\x9F\x98"), 0u);
}

TEST(Utf8SafeCut, KeepsCompleteOrHopelessEndings) {
  EXPECT_EQ(utf8_safe_cut("ab\xC3\xA9"), 4u);         // complete
  EXPECT_EQ(utf8_safe_cut("a\xF0\x9F\x98\x80"), 5u);  // complete 4-byte
  EXPECT_EQ(utf8_safe_cut("ab\x80\x80\x80"), 5u);     // continuation bytes only
  EXPECT_EQ(utf8_safe_cut("ab\xFF"), 3u);             // cannot start anything
  EXPECT_EQ(utf8_safe_cut("ab\xE0\x80"), 4u);         // E0 80 can never complete
}

}  // namespace
}  // namespace opz::runner
