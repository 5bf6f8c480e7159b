#include "rest/query_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace opz::rest {
namespace {

Query parse_ok(std::string_view raw, std::string_view range = {}, std::string_view prefer = {},
               std::string_view accept = {}) {
  auto q = parse_query({raw, range, prefer, accept});
  EXPECT_TRUE(q.ok()) << raw << ": " << (q.ok() ? "" : q.error().message + " / " +
                                                           q.error().details);
  return q.ok() ? std::move(q).value() : Query{};
}

const Condition& only_condition(const Query& q) {
  static const Condition kNone;
  EXPECT_EQ(q.where.children.size(), 1u);
  if (q.where.children.size() != 1) return kNone;
  EXPECT_EQ(q.where.children[0].kind, Filter::Kind::kCondition);
  return q.where.children[0].condition;
}

TEST(QueryParserTest, EmptyQueryReadsEveryColumnAndRow) {
  Query q = parse_ok("");
  EXPECT_TRUE(q.select.star);
  EXPECT_TRUE(q.select.items.empty());
  EXPECT_TRUE(q.where.children.empty());
  EXPECT_FALSE(q.limit.has_value());
  EXPECT_EQ(q.offset, 0);
  EXPECT_EQ(q.count, CountPreference::kNone);
  EXPECT_FALSE(q.single_object);
}

TEST(QueryParserTest, TheSeedsStatusCheck) {
  Query q = parse_ok("id=eq.0f0e2c1a-1111-4222-8333-444455556666&select=*");
  EXPECT_TRUE(q.select.star);
  const Condition& c = only_condition(q);
  EXPECT_EQ(c.column, "id");
  EXPECT_EQ(c.op, Op::kEq);
  ASSERT_EQ(c.values.size(), 1u);
  EXPECT_EQ(c.values[0], "0f0e2c1a-1111-4222-8333-444455556666");
}

struct OpCase {
  std::string raw;
  Op op;
  bool negated;
  std::vector<std::string> values;
};

TEST(QueryParserTest, EveryOperator) {
  const std::vector<OpCase> cases = {
      {"a=eq.1", Op::kEq, false, {"1"}},
      {"a=neq.x", Op::kNeq, false, {"x"}},
      {"a=gt.2", Op::kGt, false, {"2"}},
      {"a=gte.2", Op::kGte, false, {"2"}},
      {"a=lt.2", Op::kLt, false, {"2"}},
      {"a=lte.2", Op::kLte, false, {"2"}},
      {"a=like.*ab*", Op::kLike, false, {"*ab*"}},
      {"a=ilike.AB*", Op::kIlike, false, {"AB*"}},
      {"a=in.(1,2,3)", Op::kIn, false, {"1", "2", "3"}},
      {"a=in.()", Op::kIn, false, {}},
      {"a=in.(\"x,y\",\"q\\\"t\",z)", Op::kIn, false, {"x,y", "q\"t", "z"}},
      {"a=not.eq.1", Op::kEq, true, {"1"}},
      {"a=eq.", Op::kEq, false, {""}},
      {"a=eq.a.b.c", Op::kEq, false, {"a.b.c"}},
      {"a=eq.%27%3B--", Op::kEq, false, {"';--"}},
      {"a=eq.a+b", Op::kEq, false, {"a b"}},
      {"a=eq.%22quoted%22", Op::kEq, false, {"\"quoted\""}},
  };
  for (const OpCase& c : cases) {
    Query q = parse_ok(c.raw);
    const Condition& got = only_condition(q);
    EXPECT_EQ(got.column, "a") << c.raw;
    EXPECT_EQ(got.op, c.op) << c.raw;
    EXPECT_EQ(got.negated, c.negated) << c.raw;
    EXPECT_EQ(got.values, c.values) << c.raw;
  }
}

TEST(QueryParserTest, IsTakesItsFiveValuesInAnyCase) {
  const std::vector<std::pair<std::string, IsValue>> cases = {
      {"a=is.null", IsValue::kNull},       {"a=is.NULL", IsValue::kNull},
      {"a=is.not_null", IsValue::kNotNull}, {"a=is.true", IsValue::kTrue},
      {"a=is.false", IsValue::kFalse},     {"a=is.unknown", IsValue::kUnknown}};
  for (const auto& [raw, want] : cases) {
    const Query q = parse_ok(raw);  // kept alive: c refers into it
    const Condition& c = only_condition(q);
    EXPECT_EQ(c.op, Op::kIs) << raw;
    EXPECT_EQ(c.is_value, want) << raw;
  }
}

TEST(QueryParserTest, RepeatedFiltersOnOneColumnAllApply) {
  Query q = parse_ok("progress=gt.10&progress=lt.90");
  ASSERT_EQ(q.where.children.size(), 2u);
  EXPECT_EQ(q.where.children[0].condition.op, Op::kGt);
  EXPECT_EQ(q.where.children[1].condition.op, Op::kLt);
}

TEST(QueryParserTest, LogicTreesNest) {
  Query q = parse_ok("or=(status.eq.failed,and(progress.gte.50,branch.not.is.null),"
                     "name.in.(\"a,b\",c),not.or(id.eq.1,id.eq.\"x)y\"))");
  ASSERT_EQ(q.where.children.size(), 1u);
  const Filter& root = q.where.children[0];
  EXPECT_EQ(root.kind, Filter::Kind::kOr);
  EXPECT_FALSE(root.negated);
  ASSERT_EQ(root.children.size(), 4u);
  EXPECT_EQ(root.children[0].condition.column, "status");
  EXPECT_EQ(root.children[0].condition.values, std::vector<std::string>{"failed"});
  const Filter& inner = root.children[1];
  EXPECT_EQ(inner.kind, Filter::Kind::kAnd);
  ASSERT_EQ(inner.children.size(), 2u);
  EXPECT_TRUE(inner.children[1].condition.negated);
  EXPECT_EQ(inner.children[1].condition.op, Op::kIs);
  EXPECT_EQ(root.children[2].condition.values, (std::vector<std::string>{"a,b", "c"}));
  EXPECT_EQ(root.children[3].kind, Filter::Kind::kOr);
  EXPECT_TRUE(root.children[3].negated);
  EXPECT_EQ(root.children[3].children[1].condition.values, std::vector<std::string>{"x)y"});
}

TEST(QueryParserTest, NegatedTopLevelTree) {
  Query q = parse_ok("not.and=(a.eq.1,b.eq.2)");
  ASSERT_EQ(q.where.children.size(), 1u);
  EXPECT_TRUE(q.where.children[0].negated);
  EXPECT_EQ(q.where.children[0].kind, Filter::Kind::kAnd);
}

TEST(QueryParserTest, SelectColumnsAndAliases) {
  Query q = parse_ok("select=id,%20state:status,*");
  EXPECT_TRUE(q.select.star);
  ASSERT_EQ(q.select.items.size(), 2u);
  EXPECT_EQ(q.select.items[0].column, "id");
  EXPECT_EQ(q.select.items[1].column, "status");
  EXPECT_EQ(q.select.items[1].output_name(), "state");
  EXPECT_FALSE(parse_ok("select=id").select.star);
}

TEST(QueryParserTest, OrderTerms) {
  Query q = parse_ok("order=created_at.desc.nullslast,name,id.asc,branch.nullsfirst");
  ASSERT_EQ(q.order.size(), 4u);
  EXPECT_TRUE(q.order[0].descending);
  EXPECT_EQ(q.order[0].nulls_first, false);
  EXPECT_FALSE(q.order[1].descending);
  EXPECT_FALSE(q.order[1].nulls_first.has_value());
  EXPECT_FALSE(q.order[2].descending);
  EXPECT_EQ(q.order[3].nulls_first, true);
}

struct WindowCase {
  std::string raw;
  std::string range;
  int64_t offset;
  std::optional<int64_t> limit;
};

TEST(QueryParserTest, LimitOffsetAndRangeIntersect) {
  const std::vector<WindowCase> cases = {
      {"limit=10", "", 0, 10},
      {"limit=10&offset=5", "", 5, 10},
      {"offset=5", "", 5, std::nullopt},
      {"limit=0", "", 0, 0},
      {"", "0-9", 0, 10},
      {"", "5-", 5, std::nullopt},
      {"", "items=0-9", 0, std::nullopt},  // not PostgREST's form: ignored, as PostgREST does
      {"", "junk", 0, std::nullopt},
      {"limit=3", "0-9", 0, 3},
      {"limit=20&offset=2", "0-9", 2, 8},
      {"offset=20", "0-9", 20, 0},
  };
  for (const WindowCase& c : cases) {
    Query q = parse_ok(c.raw, c.range);
    EXPECT_EQ(q.offset, c.offset) << c.raw << " / " << c.range;
    EXPECT_EQ(q.limit, c.limit) << c.raw << " / " << c.range;
  }
}

TEST(QueryParserTest, PreferAndAccept) {
  EXPECT_EQ(parse_ok("", "", "count=exact").count, CountPreference::kExact);
  EXPECT_EQ(parse_ok("", "", "return=minimal, count=planned").count, CountPreference::kPlanned);
  EXPECT_EQ(parse_ok("", "", "count=estimated").count, CountPreference::kEstimated);
  EXPECT_EQ(parse_ok("", "", "handling=lenient").count, CountPreference::kNone);
  EXPECT_TRUE(parse_ok("", "", "", "application/vnd.pgrst.object+json").single_object);
  EXPECT_FALSE(parse_ok("", "", "", "application/json, text/plain").single_object);
  EXPECT_FALSE(parse_ok("", "", "", "*/*").single_object);
}

struct BadCase {
  std::string raw;
  std::string range;
  std::string accept;
  int status;
  std::string code;
};

TEST(QueryParserTest, BadRequestsAnswerPostgrestErrors) {
  const std::vector<BadCase> cases = {
      {"a=eqq.1", "", "", 400, "PGRST100"},
      {"a=eq", "", "", 400, "PGRST100"},
      {"a=1", "", "", 400, "PGRST100"},
      {"a=not.1", "", "", 400, "PGRST100"},
      {"a=in.1,2", "", "", 400, "PGRST100"},
      {"a=in.(1,2", "", "", 400, "PGRST100"},
      {"a=in.(\"1,2)", "", "", 400, "PGRST100"},
      {"a=is.maybe", "", "", 400, "PGRST100"},
      {"or=a.eq.1", "", "", 400, "PGRST100"},
      {"or=(a.eq.1", "", "", 400, "PGRST100"},
      {"or=(a)", "", "", 400, "PGRST100"},
      {"or=(a.eq.1))", "", "", 400, "PGRST100"},
      {"and=(a.zz.1)", "", "", 400, "PGRST100"},
      {"limit=-1", "", "", 400, "PGRST100"},
      {"limit=abc", "", "", 400, "PGRST100"},
      {"limit=99999999999999999999", "", "", 400, "PGRST100"},
      {"offset=1.5", "", "", 400, "PGRST100"},
      {"order=a.sideways", "", "", 400, "PGRST100"},
      {"order=a.asc.desc", "", "", 400, "PGRST100"},
      {"order=,a", "", "", 400, "PGRST100"},
      {"select=id,", "", "", 400, "PGRST100"},
      {"select=rel(id)", "", "", 400, "PGRST100"},
      {"select=id::text", "", "", 400, "PGRST100"},
      {"select=metadata->a", "", "", 400, "PGRST100"},
      {"select=:id", "", "", 400, "PGRST100"},
      {"rel.id=eq.1", "", "", 400, "PGRST100"},
      {"a=eq.%zz", "", "", 400, "PGRST100"},
      {"a=eq.%00", "", "", 400, "PGRST100"},
      {"", "9-1", "", 416, "PGRST103"},
      {"", "", "text/csv", 406, "PGRST107"},
  };
  for (const BadCase& c : cases) {
    auto q = parse_query({c.raw, c.range, "", c.accept});
    ASSERT_FALSE(q.ok()) << c.raw << " / " << c.range;
    EXPECT_EQ(q.error().status, c.status) << c.raw;
    EXPECT_EQ(q.error().code, c.code) << c.raw;
    EXPECT_FALSE(q.error().message.empty()) << c.raw;
  }
}

TEST(QueryParserTest, DeepOrWideTreesAreRefusedNotTruncated) {
  std::string deep = "or=(";
  for (int i = 0; i < 40; ++i) deep += "and(";
  deep += "a.eq.1";
  for (int i = 0; i < 40; ++i) deep += ")";
  deep += ")";
  auto q = parse_query({deep, "", "", ""});
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.error().details.find("nested"), std::string::npos) << q.error().details;

  std::string wide = "a=in.(";
  for (int i = 0; i < 1500; ++i) wide += std::to_string(i) + ",";
  wide += "x)";
  auto w = parse_query({wide, "", "", ""});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, "PGRST100");
  EXPECT_LT(w.error().message.size(), 300u);
}

}  // namespace
}  // namespace opz::rest
