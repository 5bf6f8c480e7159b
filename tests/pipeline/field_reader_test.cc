#include "pipeline/field_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace opz::pipeline {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using ::testing::HasSubstr;

class FieldReaderTest : public ::testing::Test {
 protected:
  JsonSourceMap source_;
  Diagnostics diag_{source_};
  std::string last_message() const {
    return diag_.errors().empty() ? "" : diag_.errors().back().message;
  }
};

TEST_F(FieldReaderTest, Strings) {
  EXPECT_EQ(read_string("abc", "x", diag_, 10), "abc");
  EXPECT_FALSE(read_string(5, "x", diag_, 10));
  EXPECT_EQ(last_message(), "x: must be a string, got a number");
  EXPECT_FALSE(read_string("", "x", diag_, 10));
  EXPECT_EQ(last_message(), "x: must not be empty");
  EXPECT_EQ(read_string("", "x", diag_, 10, true), "");
  EXPECT_FALSE(read_string("abcdefghijk", "x", diag_, 10));
  EXPECT_EQ(last_message(), "x: is 11 bytes long; the limit is 10");
  EXPECT_FALSE(read_string(std::string("a\0b", 3), "x", diag_, 10));
  EXPECT_EQ(last_message(), "x: must not contain NUL characters");
  EXPECT_EQ(diag_.errors().size(), 4u);
  EXPECT_EQ(diag_.errors()[0].field, "x");
}

TEST_F(FieldReaderTest, BoolsAndInts) {
  EXPECT_EQ(read_bool(true, "b", diag_), true);
  EXPECT_FALSE(read_bool("yes", "b", diag_));
  EXPECT_EQ(last_message(), "b: must be true or false, got a string");
  EXPECT_EQ(read_int(5, "n", diag_, 0, 10), 5);
  EXPECT_FALSE(read_int(11, "n", diag_, 0, 10));
  EXPECT_EQ(last_message(), "n: must be an integer between 0 and 10, got 11");
  EXPECT_FALSE(read_int(2.5, "n", diag_, 0, 10));
  EXPECT_EQ(last_message(), "n: must be an integer between 0 and 10, got a number");
  EXPECT_FALSE(read_int(Json(18446744073709551615ull), "n", diag_, 0, 10));
  EXPECT_FALSE(read_int(-1, "n", diag_, 0, 10));
}

TEST_F(FieldReaderTest, Durations) {
  EXPECT_EQ(read_duration("90s", "t", diag_, Millis{1}, hours{1}), seconds{90});
  EXPECT_EQ(read_duration(30, "t", diag_, Millis{1}, hours{1}), seconds{30});  // bare seconds
  EXPECT_FALSE(read_duration("banana", "t", diag_, Millis{1}, hours{1}));
  EXPECT_THAT(last_message(), HasSubstr("t: invalid duration 'banana'"));
  EXPECT_FALSE(read_duration("2h", "t", diag_, Millis{1}, hours{1}));
  EXPECT_EQ(last_message(), "t: must be between 1ms and 1h, got '2h'");
  EXPECT_FALSE(read_duration(true, "t", diag_, Millis{1}, hours{1}));
  EXPECT_EQ(last_message(), "t: must be a duration such as 30s, 5m or 1h30m, got a boolean");
  EXPECT_FALSE(read_duration(1.5, "t", diag_, Millis{1}, hours{1}));
}

TEST_F(FieldReaderTest, Env) {
  auto env = read_env({{"A", "x"}, {"N", 8}, {"B", false}, {"E", nullptr}}, "env", diag_);
  ASSERT_TRUE(env);
  EXPECT_EQ(env->at("A"), "x");
  EXPECT_EQ(env->at("N"), "8");
  EXPECT_EQ(env->at("B"), "false");
  EXPECT_EQ(env->at("E"), "");
  EXPECT_TRUE(diag_.ok());
  EXPECT_FALSE(read_env({{"1BAD", "x"}, {"OK", "y"}}, "env", diag_));
  EXPECT_THAT(last_message(), HasSubstr("env.1BAD: not a valid environment variable name"));
  EXPECT_FALSE(read_env({{"L", Json::array()}}, "env", diag_));
  EXPECT_EQ(last_message(), "env.L: must be a string, number or boolean, got a list");
  EXPECT_FALSE(read_env("A=b", "env", diag_));
  EXPECT_EQ(last_message(), "env: must be a map, got a string");
  EXPECT_TRUE(read_env(nullptr, "env", diag_)->empty());
}

TEST_F(FieldReaderTest, CheckKeysNamesEachUnknownKey) {
  constexpr std::string_view allowed[] = {"needs", "run"};
  check_keys({{"need", 1}, {"run", 2}, {"zzz", 3}}, "nodes.a", allowed, diag_);
  ASSERT_EQ(diag_.errors().size(), 2u);
  EXPECT_EQ(diag_.errors()[0].message,
            "nodes.a: unknown key 'need' (did you mean 'needs'?); allowed keys: needs, run");
  EXPECT_EQ(diag_.errors()[0].field, "nodes.a.need");
  EXPECT_EQ(diag_.errors()[1].message, "nodes.a: unknown key 'zzz'; allowed keys: needs, run");
  check_keys({{"x", 1}}, "", allowed, diag_);
  EXPECT_EQ(last_message(), "unknown top-level key 'x'; allowed keys: needs, run");
}

TEST_F(FieldReaderTest, JsonKinds) {
  EXPECT_EQ(json_kind(nullptr), "an empty value");
  EXPECT_EQ(json_kind(Json::array()), "a list");
  EXPECT_EQ(json_kind(Json::object()), "a map");
  EXPECT_EQ(json_kind(1u), "a number");
  EXPECT_EQ(json_kind(-1), "a number");
  EXPECT_EQ(json_kind(true), "a boolean");
  EXPECT_EQ(json_kind("s"), "a string");
}

}  // namespace
}  // namespace opz::pipeline
