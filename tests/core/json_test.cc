#include "core/json.h"

#include <gtest/gtest.h>

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
