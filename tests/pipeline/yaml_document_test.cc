#include "pipeline/yaml_document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace opz::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

YamlDocument load(std::string_view text) {
  Result<YamlDocument> doc = YamlDocument::load(text);
  EXPECT_TRUE(doc.ok()) << doc.error().to_string();
  return doc.ok() ? std::move(doc).value() : YamlDocument();
}

TEST(YamlDocument, PlainScalarsResolveLikeTheCoreSchema) {
  YamlDocument doc = load(R"(a: 12
b: -3
c: 1.5
d: true
e: False
f: ~
g:
h: hello
i: "12"
j: '1.5'
k: !!str 7
l: 0x1F
m: 1e3
n: .inf
o: 99999999999999999999
)");
  const Json& r = doc.root();
  EXPECT_EQ(r["a"], 12);
  EXPECT_EQ(r["b"], -3);
  EXPECT_EQ(r["c"], 1.5);
  EXPECT_EQ(r["d"], true);
  EXPECT_EQ(r["e"], false);
  EXPECT_TRUE(r["f"].is_null());
  EXPECT_TRUE(r["g"].is_null());
  EXPECT_EQ(r["h"], "hello");
  EXPECT_EQ(r["i"], "12");
  EXPECT_EQ(r["j"], "1.5");
  EXPECT_EQ(r["k"], "7");
  EXPECT_EQ(r["l"], "0x1F");
  EXPECT_EQ(r["m"], 1000.0);
  EXPECT_EQ(r["n"], ".inf");
  EXPECT_EQ(r["o"], "99999999999999999999");  // too big for an integer: stays text
  EXPECT_EQ(doc.scalar_text("a"), "12");
  EXPECT_EQ(doc.scalar_text("c"), "1.5");
  EXPECT_FALSE(doc.scalar_text("h").has_value());  // strings need no original text
}

TEST(YamlDocument, PositionsAreOneBasedLineColumn) {
  YamlDocument doc = load("name: x\nnodes:\n  build:\n    run: make\n    needs: [a, 'b']\n");
  EXPECT_EQ(doc.field_for("nodes.build", true), "3:3");
  EXPECT_EQ(doc.field_for("nodes.build.run", false), "4:10");
  EXPECT_EQ(doc.field_for("nodes.build.run", true), "4:5");
  EXPECT_EQ(doc.field_for("nodes.build.needs[1]", false), "5:16");
  // Quoted strings: offsets count from the first character inside the quotes.
  EXPECT_EQ(doc.field_in_string("nodes.build.needs[1]", 0), "5:17");
  EXPECT_EQ(doc.field_in_string("nodes.build.run", 2), "4:12");
  // Unknown paths fall back to the nearest known ancestor's key.
  EXPECT_EQ(doc.field_for("nodes.build.steps", false), "3:3");
  EXPECT_EQ(doc.field_for("nothing.at.all", false), "1:1");
  EXPECT_EQ(doc.line_of("nodes.build"), 3);
  EXPECT_EQ(doc.line_of("nodes.missing"), 0);
}

TEST(YamlDocument, EmptyValuesArePlacedAtTheirKey) {
  YamlDocument doc = load("nodes:\n  a:\n  b: {run: x}\n");
  EXPECT_TRUE(doc.root()["nodes"]["a"].is_null());
  EXPECT_EQ(doc.field_for("nodes.a", false), "2:3");
}

TEST(YamlDocument, KeepsKeyOrder) {
  YamlDocument doc = load("nodes:\n  zeta: 1\n  alpha: 2\n  mid: 3\n");
  EXPECT_THAT(doc.keys_in_order("nodes", doc.root()["nodes"]), ElementsAre("zeta", "alpha", "mid"));
}

TEST(YamlDocument, DuplicateKeysAreProblemsAndTheFirstWins) {
  YamlDocument doc = load("a: 1\nb: 2\na: 3\nnodes:\n  x: 1\n  x: 2\n");
  EXPECT_EQ(doc.root()["a"], 1);
  ASSERT_EQ(doc.problems().size(), 2u);
  EXPECT_EQ(doc.problems()[0].message, "document: duplicate key 'a' (first defined at line 1)");
  EXPECT_EQ(doc.problems()[0].field, "3:1");
  EXPECT_EQ(doc.problems()[1].message, "nodes: duplicate node id 'x' (first defined at line 5)");
  EXPECT_EQ(doc.problems()[1].code, ErrorCode::kValidation);
}

TEST(YamlDocument, NonStringKeysAreProblems) {
  YamlDocument doc = load("? [a, b]\n: 1\nok: 2\n");
  ASSERT_EQ(doc.problems().size(), 1u);
  EXPECT_THAT(doc.problems()[0].message, HasSubstr("a key that is not a string"));
  EXPECT_EQ(doc.root()["ok"], 2);
}

TEST(YamlDocument, SyntaxErrors) {
  Result<YamlDocument> doc = YamlDocument::load("a: [1, 2\nb: 3\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(doc.error().field, "2:2");
  EXPECT_THAT(doc.error().message, HasSubstr("YAML syntax error at line 2, column 2"));
  Result<YamlDocument> tabs = YamlDocument::load("a:\n\t- b\n");
  EXPECT_FALSE(tabs.ok());
}

TEST(YamlDocument, OnlyOneDocument) {
  Result<YamlDocument> doc = YamlDocument::load("a: 1\n---\nb: 2\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(doc.error().message,
            "unexpected content after the first YAML document at line 2, column 1 (a pipeline "
            "is a single document)");
  EXPECT_EQ(doc.error().field, "2:1");
}

// yaml-cpp 0.7's LoadAll never returns on these (endless empty documents).
TEST(YamlDocument, InputsThatHangLoadAllFailFast) {
  for (const char* text : {",", "\n,\n    ", "a: 1\n]\n",
                           "{d\": \"e1\", \"source\": \"build\"},\n  label\": \"Build\"}},|\n"}) {
    Result<YamlDocument> doc = YamlDocument::load(text);
    EXPECT_FALSE(doc.ok()) << text;
    if (!doc.ok()) {
      EXPECT_EQ(doc.error().code, ErrorCode::kMalformed) << text;
    }
  }
}

TEST(YamlDocument, RecursiveAliasesAreRefused) {
  Result<YamlDocument> doc = YamlDocument::load("a: &x [1, *x]\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, ErrorCode::kMalformed);
  EXPECT_THAT(doc.error().message, HasSubstr("recursive YAML is not allowed"));
  EXPECT_EQ(doc.error().field, "1:11");
}

TEST(YamlDocument, KeysFromAliasesAndEmptyKeys) {
  YamlDocument doc = load("k: &k name\n*k : v\n~: lost\nlast: 1\n");
  EXPECT_EQ(doc.root()["name"], "v");
  EXPECT_EQ(doc.root()["last"], 1);
  ASSERT_EQ(doc.problems().size(), 1u);
  EXPECT_EQ(doc.problems()[0].message, "document: an empty key is not allowed");
}

TEST(YamlDocument, DuplicatesDeepInsideAreStillFound) {
  YamlDocument doc = load(
      "nodes:\n  a:\n    with:\n      x:\n        y:\n          k: 1\n          k: 2\n"
      "          z:\n            q: 1\n            q: 2\n");
  ASSERT_EQ(doc.problems().size(), 2u);
  EXPECT_EQ(doc.problems()[0].message,
            "nodes.a.with.x.y: duplicate key 'k' (first defined at line 6)");
  EXPECT_EQ(doc.problems()[0].field, "7:11");
  EXPECT_EQ(doc.problems()[1].message, "duplicate key 'q' (first defined at line 9)");
  EXPECT_EQ(doc.problems()[1].field, "10:13");
  EXPECT_EQ(doc.root()["nodes"]["a"]["with"]["x"]["y"]["k"], 1);
}

TEST(YamlDocument, EmptyTextIsANullRoot) {
  EXPECT_TRUE(load("").root().is_null());
  EXPECT_TRUE(load("# comment only\n").root().is_null());
}

TEST(YamlDocument, RefusesInvalidUtf8AndHugeInput) {
  Result<YamlDocument> bad = YamlDocument::load("a: \xff\xfe\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "the pipeline definition is not valid UTF-8 (at byte 3)");
  Result<YamlDocument> big = YamlDocument::load(std::string(1024 * 1024 + 1, ' '));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
  EXPECT_TRUE(YamlDocument::load("a: \"h\xc3\xa9llo \xe2\x86\x92\"\n").ok());
}

TEST(YamlDocument, RefusesControlCharactersAndUndecodableEscapes) {
  Result<YamlDocument> raw = YamlDocument::load(std::string("a: 1\nb: x\0y\n", 13));
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().message,
            "YAML syntax error at line 2, column 5: control character 0x00 is not allowed");
  EXPECT_EQ(raw.error().field, "2:5");
  Result<YamlDocument> escaped = YamlDocument::load("a: 1\nb: \"\\udc00\"\n");
  ASSERT_FALSE(escaped.ok());
  EXPECT_EQ(escaped.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(escaped.error().message,
            "YAML syntax error at line 2, column 11: invalid unicode: 56320");
  EXPECT_TRUE(YamlDocument::load("a: \"tab\\there \\u00e9\"\n").ok());
}

TEST(YamlDocument, DeepNestingFailsCleanly) {
  Result<YamlDocument> flow = YamlDocument::load(std::string(100'000, '['));
  ASSERT_FALSE(flow.ok());
  EXPECT_EQ(flow.error().code, ErrorCode::kMalformed);
  std::string blocks;
  for (int i = 0; i < 70; ++i) blocks += "- ";
  blocks += "x\n";
  Result<YamlDocument> nested = YamlDocument::load(blocks);
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().message, "YAML nested deeper than 64 levels");
}

TEST(YamlDocument, AliasBombsHitTheValueBudget) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char name = 'b'; name <= 'i'; ++name) {
    bomb += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = name;
  }
  Result<YamlDocument> doc = YamlDocument::load(bomb);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, ErrorCode::kTooLarge);
  EXPECT_THAT(doc.error().message, HasSubstr("after expanding aliases"));
}

TEST(YamlDocument, SmallAliasesExpand) {
  YamlDocument doc = load("common: &env {A: 1}\nnodes:\n  x: {env: *env}\n");
  EXPECT_EQ(doc.root()["nodes"]["x"]["env"]["A"], 1);
}

}  // namespace
}  // namespace opz::pipeline
