#include "pipeline/yaml_tree_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <string>

namespace opz::pipeline {
namespace {

using ::testing::HasSubstr;

// Feeds one document to a builder; answers the root or the abort message.
struct Built {
  Json root;
  std::string abort;
};

Built build(const std::string& text) {
  YamlDocument doc;
  std::istringstream in(text);
  YAML::Parser parser(in);
  YamlTreeBuilder builder(text, doc);
  Built out;
  try {
    parser.HandleNextDocument(builder);
    out.root = builder.take_root();
  } catch (const YamlLoadAbort& abort) {
    out.abort = abort.error.message;
  }
  return out;
}

TEST(YamlTreeBuilder, BuildsNestedValues) {
  Built b = build("a: [1, {b: two}]\nc: {d: [true, ~]}\n");
  ASSERT_EQ(b.abort, "");
  EXPECT_EQ(b.root, Json::parse(R"({"a": [1, {"b": "two"}], "c": {"d": [true, null]}})"));
}

TEST(YamlTreeBuilder, AliasesCopyTheAnchoredValue) {
  Built b = build("base: &b {x: [1, 2]}\ncopy: *b\nscalar: &s 0755\nagain: *s\n");
  ASSERT_EQ(b.abort, "");
  EXPECT_EQ(b.root["copy"], b.root["base"]);
  EXPECT_EQ(b.root["again"], 755);
}

TEST(YamlTreeBuilder, DuplicateKeysKeepTheFirstValueEvenForCollections) {
  Built b = build("a: [1]\na: {deep: [2, 3]}\nb: 4\n");
  ASSERT_EQ(b.abort, "");
  EXPECT_EQ(b.root, Json::parse(R"({"a": [1], "b": 4})"));
}

TEST(YamlTreeBuilder, StopsAtTheNestingLimit) {
  std::string deep = std::string(66, '[') + std::string(66, ']');
  EXPECT_EQ(build(deep).abort, "YAML nested deeper than 64 levels");
  std::string ok = std::string(65, '[') + std::string(65, ']');  // the root is level 0
  EXPECT_EQ(build(ok).abort, "");
}

TEST(YamlTreeBuilder, NestedAnchorsCountAgainstTheBudget) {
  // Each anchored level keeps a copy, so stacked anchors cannot multiply memory.
  std::string list = "x: ";
  for (int i = 0; i < 60; ++i) list += "&a" + std::to_string(i) + " [";
  list += "[";
  for (int i = 0; i < 9'000; ++i) list += "1, ";
  list += "1]";
  for (int i = 0; i < 60; ++i) list += "]";
  EXPECT_THAT(build(list).abort, HasSubstr("values (after expanding aliases)"));
}

}  // namespace
}  // namespace opz::pipeline
