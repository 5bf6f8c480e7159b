#include "github/payload_reader.h"

#include <gtest/gtest.h>

namespace opz::github {
namespace {

const Json kDoc = Json::parse(R"({
  "a": {"b": {"s": "text", "n": 42, "big": 18446744073709551615, "neg": -3, "f": 1.5,
              "t": true, "nul": null, "arr": [1, 2, 3]}},
  "top": "x"
})");

TEST(PayloadReader, ReadsNestedValuesByPath) {
  PayloadReader r(kDoc, "test event");
  EXPECT_EQ(*r.required_string("top"), "x");
  EXPECT_EQ(*r.required_string("a.b.s"), "text");
  EXPECT_EQ(*r.required_int("a.b.n"), 42);
  EXPECT_EQ(*r.required_int("a.b.neg"), -3);
  EXPECT_TRUE(*r.optional_bool("a.b.t"));
  EXPECT_EQ(*r.array_size("a.b.arr"), 3u);
  EXPECT_TRUE(r.has_object("a.b"));
  EXPECT_FALSE(r.has_object("a.b.s"));
}

TEST(PayloadReader, OptionalReadsDefaultForMissingAndNull) {
  PayloadReader r(kDoc, "test event");
  EXPECT_EQ(*r.optional_string("a.b.missing"), "");
  EXPECT_EQ(*r.optional_string("a.b.nul"), "");
  EXPECT_EQ(*r.optional_string("nope.deeper"), "");
  EXPECT_EQ(*r.optional_string("top.deeper"), "");  // through a non-object
  EXPECT_EQ(*r.optional_int("a.b.nul"), 0);
  EXPECT_FALSE(*r.optional_bool("a.missing"));
  EXPECT_EQ(*r.array_size("a.b.nul"), 0u);
}

TEST(PayloadReader, RequiredReadsNameThePathWhenMissing) {
  PayloadReader r(kDoc, "test event");
  auto missing = r.required_string("a.b.nul");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kValidation);
  EXPECT_EQ(missing.error().message, "test event: missing required field 'a.b.nul'");
  EXPECT_EQ(missing.error().field, "a.b.nul");
  EXPECT_EQ(r.required_int("a.x").error().field, "a.x");
}

TEST(PayloadReader, WrongTypesFailEvenWhenOptional) {
  PayloadReader r(kDoc, "test event");
  auto s = r.optional_string("a.b.n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "test event: field 'a.b.n' must be a string, got number");
  EXPECT_FALSE(r.optional_bool("a.b.s").ok());
  EXPECT_FALSE(r.required_int("a.b.f").ok());
  EXPECT_FALSE(r.required_int("a.b.big").ok());  // over int64
  EXPECT_FALSE(r.array_size("a.b.s").ok());
}

}  // namespace
}  // namespace opz::github
