#include "core/json.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace opz {
namespace {

TEST(Json, MalformedInputNamesTheByteOffset) {
  auto j = parse_json("{\"a\": 1,}");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().code, ErrorCode::kMalformed);
  EXPECT_NE(j.error().message.find("at byte 9"), std::string::npos) << j.error().message;
  EXPECT_EQ(j.error().field, "body");
}

TEST(Json, HostileNumbersAreErrorsNotCrashes) {
  for (const char* body : {"{\"zen\":1e999}", "[-1e99999]", "1e400"}) {
    auto j = parse_json(body);
    EXPECT_FALSE(j.ok()) << body;
  }
}

TEST(Json, DumpReplacesInvalidUtf8) {
  Json j = std::string("ok\xff\xfe");
  EXPECT_EQ(dump_json(j), "\"ok\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace opz

namespace opz {
namespace {

TEST(ParseJsonKeepingTest, BuildsOnlyTheMembersAskedForAndKeepsArrayLengths) {
  std::vector<std::string> asked;
  auto keep = [&](const JsonPath& path) {
    std::string dotted;
    for (std::string_view p : path) dotted += (dotted.empty() ? "" : ".") + std::string(p);
    asked.push_back(dotted);
    return dotted == "a" || dotted == "a.b" || dotted == "list";
  };
  auto j = parse_json_keeping(
      R"({"a": {"b": 1, "c": {"deep": 2}}, "list": [{"x": 1}, {"y": 2}, 3], "z": {"q": 1}})", keep);
  ASSERT_TRUE(j.ok()) << j.error().to_string();
  EXPECT_EQ(*j, Json::parse(R"({"a": {"b": 1}, "list": [{}, {}, 3]})"));
  // Array elements' members are asked for under "[]".
  EXPECT_NE(std::find(asked.begin(), asked.end(), "list.[].x"), asked.end());
  auto bad = parse_json_keeping("{\"a\": ", keep);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace opz
