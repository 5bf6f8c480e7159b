#include "http/target.h"

#include <gtest/gtest.h>

namespace opz::http {
namespace {

TEST(PercentDecode, DecodesEscapesOfBothCases) {
  auto r = percent_decode("a%20b%2fc%2Fd%7e");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "a b/c/d~");
}

TEST(PercentDecode, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(*percent_decode("a+b"), "a+b");
  EXPECT_EQ(*percent_decode("a+b", /*plus_is_space=*/true), "a b");
  EXPECT_EQ(*percent_decode("a%2Bb", /*plus_is_space=*/true), "a+b");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  for (const char* bad : {"%", "%2", "abc%", "%G1", "%1G", "x%zzy", "%%"}) {
    auto r = percent_decode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformed) << bad;
  }
}

TEST(PercentDecode, RejectsNulBytes) {
  EXPECT_FALSE(percent_decode("a%00b").ok());
  EXPECT_FALSE(percent_decode(std::string_view("a\0b", 3)).ok());
}

TEST(PercentDecode, KeepsHighBytes) {
  auto r = percent_decode("%C3%A9t%C3%A9");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "\xC3\xA9t\xC3\xA9");
}

TEST(ParseQuery, SplitsDecodesAndLastValueWins) {
  auto q = parse_query("a=1&b=x%20y&c&a=2&&=skipped&d=&e=p+q");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->size(), 5u);
  EXPECT_EQ(q->at("a"), "2");
  EXPECT_EQ(q->at("b"), "x y");
  EXPECT_EQ(q->at("c"), "");
  EXPECT_EQ(q->at("d"), "");
  EXPECT_EQ(q->at("e"), "p q");
  EXPECT_EQ(q->count(""), 0u);
}

TEST(ParseQuery, ValueMayContainEquals) {
  auto q = parse_query("filter=a=b");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->at("filter"), "a=b");
}

TEST(ParseQuery, EmptyQueryIsEmptyMap) {
  auto q = parse_query("");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->empty());
}

TEST(ParseQuery, MalformedEscapeIsAnError) {
  EXPECT_FALSE(parse_query("a=%zz").ok());
  EXPECT_FALSE(parse_query("%=1").ok());
}

TEST(ParseTarget, SplitsRawPathDecodedPathAndQuery) {
  auto t = parse_target("/api/v1/pipelines/my%20app?limit=10&cursor=abc%3D");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->raw_path, "/api/v1/pipelines/my%20app");
  EXPECT_EQ(t->path, "/api/v1/pipelines/my app");
  EXPECT_EQ(t->query.at("limit"), "10");
  EXPECT_EQ(t->query.at("cursor"), "abc=");
}

TEST(ParseTarget, RootAndEmptyQuery) {
  auto t = parse_target("/?");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/");
  EXPECT_TRUE(t->query.empty());
}

TEST(ParseTarget, DropsFragment) {
  auto t = parse_target("/a?x=1#frag?y=2");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/a");
  EXPECT_EQ(t->query.size(), 1u);
  EXPECT_EQ(t->query.at("x"), "1");
}

TEST(ParseTarget, RejectsNonOriginForms) {
  for (const char* bad : {"", "*", "http://example.com/a", "example.com:443", "a/b"}) {
    auto t = parse_target(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, ErrorCode::kMalformed);
  }
}

TEST(ParseTarget, RejectsMalformedEscapeInPathOrQuery) {
  EXPECT_FALSE(parse_target("/a%2").ok());
  EXPECT_FALSE(parse_target("/a?b=%X1").ok());
  EXPECT_FALSE(parse_target("/a%00b").ok());
}

}  // namespace
}  // namespace opz::http
