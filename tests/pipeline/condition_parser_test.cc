#include "pipeline/condition_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace opz::pipeline {
namespace {

using ::testing::HasSubstr;

struct Failure {
  std::string message;
  size_t offset = 0;
};

Failure fail(std::string_view text) {
  size_t offset = 12345;
  Result<Condition> c = parse_condition(text, &offset);
  EXPECT_FALSE(c.ok()) << text;
  if (c.ok()) return {};
  EXPECT_EQ(c.error().code, ErrorCode::kValidation);
  return {c.error().message, offset};
}

TEST(ParseCondition, SimpleComparisons) {
  auto c = parse_condition("branch == 'main'");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->kind(), Condition::Kind::kClause);
  EXPECT_EQ(c->subject(), ConditionSubject::kBranch);
  EXPECT_EQ(c->op(), ConditionOp::kEquals);
  EXPECT_EQ(c->pattern(), "main");
  auto t = parse_condition("  tag=~\"v*\"  ");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->subject(), ConditionSubject::kTag);
  EXPECT_EQ(t->op(), ConditionOp::kMatches);
  EXPECT_EQ(t->pattern(), "v*");
  auto e = parse_condition("environment != ''");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->pattern(), "");
  EXPECT_EQ(parse_condition("branch !~ 'feature/**'")->op(), ConditionOp::kNotMatches);
}

TEST(ParseCondition, AndBindsTighterThanOr) {
  auto c = parse_condition("branch == 'a' || tag == 'b' && environment == 'c'");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->kind(), Condition::Kind::kAny);
  ASSERT_EQ(c->parts().size(), 2u);
  EXPECT_EQ(c->parts()[1].kind(), Condition::Kind::kAll);
  EXPECT_TRUE(c->evaluate({"a", "", ""}));
  EXPECT_FALSE(c->evaluate({"", "b", ""}));
  EXPECT_TRUE(c->evaluate({"", "b", "c"}));
}

TEST(ParseCondition, Parentheses) {
  auto c = parse_condition("(branch == 'a' || tag == 'b') && environment == 'c'");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->kind(), Condition::Kind::kAll);
  EXPECT_FALSE(c->evaluate({"a", "", ""}));
  EXPECT_TRUE(c->evaluate({"a", "", "c"}));
  auto redundant = parse_condition("((branch == 'a'))");
  ASSERT_TRUE(redundant.ok());
  EXPECT_EQ(*redundant, *parse_condition("branch == 'a'"));
}

TEST(ParseCondition, ToStringParsesBackToTheSameCondition) {
  for (const char* text :
       {"branch == 'main'", "(branch == 'a' && (tag == 'b' || tag == 'c')) || environment == 'd'",
        "tag =~ 'v*' && tag !~ 'v*-rc*'", "branch == \"it's\"",
        "(branch == 'a' || branch == 'b') && (tag == 'c' || tag == 'd')"}) {
    auto c = parse_condition(text);
    ASSERT_TRUE(c.ok()) << text << ": " << c.error().message;
    auto again = parse_condition(c->to_string());
    ASSERT_TRUE(again.ok()) << c->to_string();
    EXPECT_EQ(*again, *c) << text;
  }
}

TEST(ParseCondition, ErrorsNameTheColumn) {
  Failure f = fail("branch = 'main'");
  EXPECT_EQ(f.message, "invalid condition at column 8: expected ==, !=, =~ or !~ after branch");
  EXPECT_EQ(f.offset, 7u);
  f = fail("branch == main");
  EXPECT_EQ(f.message, "invalid condition at column 11: expected a quoted pattern such as 'main'");
  EXPECT_EQ(f.offset, 10u);
  f = fail("actor == 'me'");
  EXPECT_EQ(f.message,
            "invalid condition at column 1: unknown subject 'actor'; expected branch, tag or "
            "environment");
  f = fail("branch == 'main' and tag == 'x'");
  EXPECT_EQ(f.message, "invalid condition at column 18: expected && or || between comparisons");
  f = fail("branch == 'main' &&");
  EXPECT_EQ(f.message,
            "invalid condition at column 20: expected a comparison such as branch == 'main'");
  f = fail("(branch == 'a'");
  EXPECT_EQ(f.message, "invalid condition at column 15: expected ')' to close the '(' at column 1");
  f = fail("branch == 'a')");
  EXPECT_EQ(f.message, "invalid condition at column 14: unexpected ')'");
  f = fail("branch == 'main");
  EXPECT_EQ(f.message, "invalid condition at column 11: unterminated pattern");
  f = fail("   ");
  EXPECT_EQ(f.message, "invalid condition at column 1: the condition is empty");
  f = fail("== 'x'");
  EXPECT_EQ(f.message, "invalid condition at column 1: expected branch, tag or environment");
  f = fail("branch =~ '[x'");
  EXPECT_THAT(f.message, HasSubstr("at column 11: bad glob '[x'"));
  EXPECT_EQ(f.offset, 10u);
}

TEST(ParseCondition, Bounds) {
  std::string deep = std::string(16, '(') + "branch == 'a'" + std::string(16, ')');
  EXPECT_TRUE(parse_condition(deep).ok());
  std::string deeper = std::string(17, '(') + "branch == 'a'" + std::string(17, ')');
  EXPECT_THAT(fail(deeper).message, HasSubstr("parentheses nested deeper than 16 levels"));
  std::string long_pattern = "branch == '" + std::string(257, 'x') + "'";
  EXPECT_THAT(fail(long_pattern).message, HasSubstr("pattern longer than 256 characters"));
  std::string long_text = "branch == 'a'" + std::string(4096, ' ');
  EXPECT_THAT(fail(long_text).message, HasSubstr("longer than 4096 characters"));
  // Many parentheses far beyond the limit fail without deep recursion.
  EXPECT_THAT(fail(std::string(4000, '(')).message, HasSubstr("nested deeper"));
}

TEST(PatternProblem, QuotesAndGlobs) {
  EXPECT_EQ(pattern_problem(ConditionOp::kEquals, "main"), "");
  EXPECT_EQ(pattern_problem(ConditionOp::kEquals, "[x"), "");  // literal for ==
  EXPECT_THAT(pattern_problem(ConditionOp::kMatches, "[x"), HasSubstr("bad glob"));
  EXPECT_EQ(pattern_problem(ConditionOp::kEquals, std::string("a\0b", 3)),
            "a pattern cannot contain control characters");
  EXPECT_EQ(pattern_problem(ConditionOp::kEquals, "tab\there"),
            "a pattern cannot contain control characters");
  EXPECT_EQ(pattern_problem(ConditionOp::kEquals, "a'b\"c"),
            "a pattern cannot contain both ' and \"");
}

TEST(ConditionSubjectFromString, KnownNames) {
  EXPECT_EQ(condition_subject_from_string("branch"), ConditionSubject::kBranch);
  EXPECT_EQ(condition_subject_from_string("tag"), ConditionSubject::kTag);
  EXPECT_EQ(condition_subject_from_string("environment"), ConditionSubject::kEnvironment);
  EXPECT_FALSE(condition_subject_from_string("Branch").has_value());
}

}  // namespace
}  // namespace opz::pipeline
