#include "pipeline/condition.h"

#include <gtest/gtest.h>

namespace opz::pipeline {
namespace {

using Op = ConditionOp;
using Subject = ConditionSubject;

Condition branch(Op op, const char* p) { return Condition::clause(Subject::kBranch, op, p); }
Condition tag(Op op, const char* p) { return Condition::clause(Subject::kTag, op, p); }
Condition env(Op op, const char* p) { return Condition::clause(Subject::kEnvironment, op, p); }

TEST(Condition, ClausesCompareTheRightFact) {
  RunContext ctx{"main", "v1.2.0", "Production"};
  EXPECT_TRUE(branch(Op::kEquals, "main").evaluate(ctx));
  EXPECT_FALSE(branch(Op::kEquals, "mai").evaluate(ctx));
  EXPECT_FALSE(branch(Op::kNotEquals, "main").evaluate(ctx));
  EXPECT_TRUE(tag(Op::kMatches, "v*").evaluate(ctx));
  EXPECT_FALSE(tag(Op::kNotMatches, "v*").evaluate(ctx));
  EXPECT_TRUE(env(Op::kEquals, "Production").evaluate(ctx));
  EXPECT_FALSE(env(Op::kEquals, "production").evaluate(ctx));  // case-sensitive
}

TEST(Condition, GlobsFollowCoreGlob) {
  EXPECT_TRUE(branch(Op::kMatches, "release/*").evaluate({"release/1.4", "", ""}));
  EXPECT_FALSE(branch(Op::kMatches, "release/*").evaluate({"release/1.4/hotfix", "", ""}));
  EXPECT_TRUE(branch(Op::kMatches, "release/**").evaluate({"release/1.4/hotfix", "", ""}));
  EXPECT_TRUE(branch(Op::kMatches, "v?.x").evaluate({"v1.x", "", ""}));
  EXPECT_FALSE(branch(Op::kMatches, "v?.x").evaluate({"v10.x", "", ""}));
  // `==` is literal: no wildcard meaning.
  EXPECT_FALSE(branch(Op::kEquals, "release/*").evaluate({"release/1.4", "", ""}));
  EXPECT_TRUE(branch(Op::kEquals, "release/*").evaluate({"release/*", "", ""}));
}

TEST(Condition, EmptyFactsMatchOnlyEmptyPatterns) {
  RunContext branch_push{"main", "", ""};
  EXPECT_FALSE(tag(Op::kMatches, "v*").evaluate(branch_push));
  EXPECT_TRUE(tag(Op::kEquals, "").evaluate(branch_push));
  EXPECT_TRUE(tag(Op::kNotEquals, "v1").evaluate(branch_push));
}

TEST(Condition, GroupsEvaluateAllAndAny) {
  Condition c = Condition::any(
      {branch(Op::kEquals, "main"),
       Condition::all({tag(Op::kMatches, "v*"), env(Op::kNotEquals, "Development")})});
  EXPECT_TRUE(c.evaluate({"main", "", "Development"}));
  EXPECT_TRUE(c.evaluate({"", "v2", "Staging"}));
  EXPECT_FALSE(c.evaluate({"", "v2", "Development"}));
  EXPECT_FALSE(c.evaluate({"dev", "", "Staging"}));
}

TEST(Condition, BuildersKeepTheTreeCanonical) {
  Condition single = Condition::all({branch(Op::kEquals, "main")});
  EXPECT_EQ(single.kind(), Condition::Kind::kClause);
  Condition nested = Condition::all(
      {Condition::all({branch(Op::kEquals, "a"), tag(Op::kEquals, "b")}), env(Op::kEquals, "c")});
  ASSERT_EQ(nested.kind(), Condition::Kind::kAll);
  EXPECT_EQ(nested.parts().size(), 3u);
  EXPECT_EQ(nested, Condition::all(
                        {branch(Op::kEquals, "a"), tag(Op::kEquals, "b"), env(Op::kEquals, "c")}));
}

TEST(Condition, CanonicalText) {
  EXPECT_EQ(branch(Op::kEquals, "main").to_string(), "branch == 'main'");
  EXPECT_EQ(tag(Op::kNotMatches, "v*-rc*").to_string(), "tag !~ 'v*-rc*'");
  EXPECT_EQ(env(Op::kNotEquals, "it's").to_string(), "environment != \"it's\"");
  Condition c = Condition::all(
      {Condition::any({branch(Op::kEquals, "main"), branch(Op::kMatches, "release/*")}),
       env(Op::kEquals, "Production")});
  EXPECT_EQ(c.to_string(),
            "(branch == 'main' || branch =~ 'release/*') && environment == 'Production'");
  Condition d = Condition::any(
      {Condition::all({branch(Op::kEquals, "a"), tag(Op::kEquals, "b")}), env(Op::kEquals, "c")});
  EXPECT_EQ(d.to_string(), "branch == 'a' && tag == 'b' || environment == 'c'");
}

}  // namespace
}  // namespace opz::pipeline
