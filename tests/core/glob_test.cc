#include "core/glob.h"

#include <gtest/gtest.h>

#include <string>

namespace opz {
namespace {

TEST(GlobMatch, LiteralPatternsMatchOnlyThemselves) {
  EXPECT_TRUE(glob_match("main", "main"));
  EXPECT_FALSE(glob_match("main", "main2"));
  EXPECT_FALSE(glob_match("main", "mai"));
  EXPECT_FALSE(glob_match("main", "Main"));  // case-sensitive
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("", "x"));
}

TEST(GlobMatch, SingleStarStaysInsideOneSegment) {
  EXPECT_TRUE(glob_match("release/*", "release/1.4"));
  EXPECT_TRUE(glob_match("release/*", "release/"));  // '*' may match nothing
  EXPECT_FALSE(glob_match("release/*", "release/1.4/hotfix"));
  EXPECT_FALSE(glob_match("release/*", "release"));
  EXPECT_FALSE(glob_match("feature/*", "feature/a/b"));
  EXPECT_TRUE(glob_match("v*", "v1.2.3"));
  EXPECT_FALSE(glob_match("v*", "release/v1"));
  EXPECT_TRUE(glob_match("*", "main"));
  EXPECT_FALSE(glob_match("*", "feature/x"));
  EXPECT_TRUE(glob_match("*-rc", "1.0-rc"));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
}

TEST(GlobMatch, DoubleStarCrossesSegments) {
  EXPECT_TRUE(glob_match("feature/**", "feature/a/b"));
  EXPECT_TRUE(glob_match("feature/**", "feature/a"));
  EXPECT_TRUE(glob_match("**", "any/thing/at/all"));
  EXPECT_TRUE(glob_match("a/**/b", "a/x/y/b"));
  EXPECT_TRUE(glob_match("a/**/b", "a/x/b"));
  EXPECT_FALSE(glob_match("a/**/b", "a/b"));  // documented: needs a segment
  EXPECT_TRUE(glob_match("***", "x/y"));      // three stars act as two
  EXPECT_FALSE(glob_match("feature/**", "bugfix/a"));
}

TEST(GlobMatch, QuestionMarkIsOneNonSlashCharacter) {
  EXPECT_TRUE(glob_match("v?", "v1"));
  EXPECT_FALSE(glob_match("v?", "v"));
  EXPECT_FALSE(glob_match("v?", "v12"));
  EXPECT_FALSE(glob_match("a?b", "a/b"));
}

TEST(GlobMatch, CharacterClassesAndRanges) {
  EXPECT_TRUE(glob_match("v[0-9]*", "v1.0"));
  EXPECT_FALSE(glob_match("v[0-9]*", "vx"));
  EXPECT_TRUE(glob_match("[abc]", "b"));
  EXPECT_FALSE(glob_match("[abc]", "d"));
  EXPECT_TRUE(glob_match("[!abc]", "d"));
  EXPECT_TRUE(glob_match("[^abc]", "d"));
  EXPECT_FALSE(glob_match("[^abc]", "a"));
  EXPECT_FALSE(glob_match("[!abc]", "/"));  // classes never match '/'
  EXPECT_TRUE(glob_match("[]]", "]"));      // leading ']' is literal
  EXPECT_TRUE(glob_match("[!]]", "x"));
  EXPECT_TRUE(glob_match("[a-]", "-"));  // trailing '-' is literal
  EXPECT_TRUE(glob_match("[A-Za-z]x", "Qx"));
}

TEST(GlobMatch, BackslashEscapesWildcards) {
  EXPECT_TRUE(glob_match("a\\*b", "a*b"));
  EXPECT_FALSE(glob_match("a\\*b", "axb"));
  EXPECT_TRUE(glob_match("what\\?", "what?"));
  EXPECT_TRUE(glob_match("\\[x]", "[x]"));
  EXPECT_TRUE(glob_match("[\\]]", "]"));
}

TEST(GlobCompile, RejectsBrokenPatternsWithAClearMessage) {
  auto unterminated = Glob::compile("release/[0-9");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_EQ(unterminated.error().code, ErrorCode::kValidation);
  EXPECT_EQ(unterminated.error().message,
            "invalid glob pattern 'release/[0-9': unterminated '[' at position 8");

  auto reversed = Glob::compile("[z-a]");
  ASSERT_FALSE(reversed.ok());
  EXPECT_NE(reversed.error().message.find("reversed range 'z-a'"), std::string::npos);

  auto trailing = Glob::compile("abc\\");
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.error().message.find("trailing '\\'"), std::string::npos);

  EXPECT_FALSE(Glob::compile("[]").ok());
  EXPECT_FALSE(glob_match("[", "["));  // invalid pattern matches nothing
}

TEST(GlobCompile, ReportsLiteralPatterns) {
  EXPECT_TRUE(Glob::compile("main")->is_literal());
  EXPECT_TRUE(Glob::compile("a\\*")->is_literal());
  EXPECT_FALSE(Glob::compile("release/*")->is_literal());
  EXPECT_EQ(Glob::compile("v*")->pattern(), "v*");
}

TEST(GlobMatch, PathologicalPatternsStayFast) {
  // Exponential in a backtracking matcher; linear-times-pattern here.
  std::string text(2000, 'a');
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "*a";
  pattern += "b";
  EXPECT_FALSE(glob_match(pattern, text));
  std::string dstar;
  for (int i = 0; i < 30; ++i) dstar += "**a";
  EXPECT_TRUE(glob_match(dstar, text));
}

}  // namespace
}  // namespace opz
