#include "http/media_type.h"

#include <gtest/gtest.h>

namespace opz::http {
namespace {

TEST(MediaTypeTest, ParsesTypeSubtypeAndParameters) {
  auto m = parse_media_type(" Application/JSON ; Charset=\"UTF-8\" ;boundary=x");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->essence(), "application/json");
  EXPECT_EQ(m->parameter("charset"), "UTF-8");
  EXPECT_EQ(m->parameter("boundary"), "x");
  EXPECT_FALSE(m->parameter("nope").has_value());
  for (const char* bad : {"", "json", "application/", "/json", "application/json; charset",
                          "application/json; =x", "application/json x", "application/json; a=\"x",
                          "application json"}) {
    EXPECT_FALSE(parse_media_type(bad).has_value()) << bad;
  }
}

// Exact matching: prefixes, other charsets and structured suffixes are not
// the JSON the API reads (they were once taken as JSON by prefix).
TEST(MediaTypeTest, JsonIsMatchedExactly) {
  for (const char* ok : {"application/json", "application/json; charset=utf-8",
                         "APPLICATION/JSON;charset=UTF-8", "application/json;"}) {
    EXPECT_TRUE(is_json_media_type(ok)) << ok;
  }
  for (const char* bad :
       {"application/jsonx", "application/json; charset=utf-16", "application/json; v=1",
        "application/vnd.api+json", "text/json", "*/*", "", "application/json, text/plain",
        "application/x-www-form-urlencoded"}) {
    EXPECT_FALSE(is_json_media_type(bad)) << bad;
  }
  EXPECT_TRUE(is_form_media_type("application/x-www-form-urlencoded"));
  EXPECT_TRUE(is_form_media_type("application/x-www-form-urlencoded; charset=UTF-8"));
  EXPECT_FALSE(is_form_media_type("multipart/form-data; boundary=x"));
  EXPECT_FALSE(is_form_media_type("application/x-www-form-urlencodedx"));
}

}  // namespace
}  // namespace opz::http
