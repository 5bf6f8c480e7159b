#include "core/header_list.h"

#include <gtest/gtest.h>

namespace opz {
namespace {

TEST(HeaderListTest, ParsesKeyValuePairsInOrderTrimmedAndPercentDecoded) {
  auto list = parse_header_list(" Authorization = Bearer%20x ,foo=bar,,x-tenant=a%2Cb,", "headers");
  ASSERT_TRUE(list.ok()) << list.error().message;
  HeaderList want = {{"Authorization", "Bearer x"}, {"foo", "bar"}, {"x-tenant", "a,b"}};
  EXPECT_EQ(*list, want);
}

TEST(HeaderListTest, KeepsPlusSignsRepeatedKeysAndEqualsInValues) {
  auto list = parse_header_list("a=1+2,a=k=v", "headers");
  ASSERT_TRUE(list.ok());
  HeaderList want = {{"a", "1+2"}, {"a", "k=v"}};
  EXPECT_EQ(*list, want);
}

TEST(HeaderListTest, EmptyTextIsAnEmptyList) {
  auto list = parse_header_list("", "headers");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST(HeaderListTest, RefusesBadEntriesNamingFieldAndPositionButNotTheValue) {
  struct Case {
    const char* text;
    const char* message_part;
  };
  for (const Case& c : {Case{"a=1,novalue", "entry 2 must be key=value"},
                        Case{"=secret", "entry 1 has an empty header name"},
                        Case{"bad key=secret", "entry 1 has a header name"},
                        Case{"a=sec%0D%0Aret", "entry 1 has a line break"},
                        Case{"a=sec%zzret", "entry 1 has a malformed %-escape"}}) {
    auto list = parse_header_list(c.text, "otlp-export-headers");
    ASSERT_FALSE(list.ok()) << c.text;
    EXPECT_EQ(list.error().code, ErrorCode::kValidation);
    EXPECT_EQ(list.error().field, "otlp-export-headers");
    EXPECT_NE(list.error().message.find(c.message_part), std::string::npos)
        << list.error().message;
    EXPECT_EQ(list.error().message.find("secret"), std::string::npos) << list.error().message;
  }
}

}  // namespace
}  // namespace opz
