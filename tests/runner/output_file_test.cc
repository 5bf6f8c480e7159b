#include "runner/output_file.h"

#include <gtest/gtest.h>

namespace opz::runner {
namespace {

TEST(ParseOutputFile, ReadsKeyValueLines) {
  auto values = parse_output_file("image=ghcr.io/acme/app:1.2\nsha=abc=def\nempty=\n");
  ASSERT_TRUE(values.ok()) << values.error().to_string();
  EXPECT_EQ(*values,
            (OutputValues{{"image", "ghcr.io/acme/app:1.2"}, {"sha", "abc=def"}, {"empty", ""}}));
}

TEST(ParseOutputFile, KeepsValueVerbatimAndDropsCr) {
  auto values = parse_output_file("msg= two  spaces \r\nlast=no newline");
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (OutputValues{{"msg", " two  spaces "}, {"last", "no newline"}}));
}

TEST(ParseOutputFile, IgnoresBlankLinesAndComments) {
  auto values = parse_output_file("\n   \n# a comment\nkey.v-1_x=1\n\t\n");
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (OutputValues{{"key.v-1_x", "1"}}));
  auto none = parse_output_file("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(ParseOutputFile, ReadsHeredocValues) {
  auto values = parse_output_file("notes<<EOF\nline 1\n\nline=3\nEOF\nafter=x\n");
  ASSERT_TRUE(values.ok()) << values.error().to_string();
  EXPECT_EQ(*values, (OutputValues{{"notes", "line 1\n\nline=3"}, {"after", "x"}}));
  auto empty = parse_output_file("e<<END\r\nEND\r\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, (OutputValues{{"e", ""}}));
}

TEST(ParseOutputFile, LaterDuplicateOverridesInPlace) {
  auto values = parse_output_file("a=1\nb=2\na=3\n");
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (OutputValues{{"a", "3"}, {"b", "2"}}));
}

TEST(ParseOutputFile, RejectsBadLinesNamingTheLine) {
  struct Case {
    const char* text;
    const char* line;
  };
  const Case cases[] = {
      {"ok=1\nnot a pair\n", "line 2"},
      {"1abc=x\n", "line 1"},
      {"a=1\n\n=value\n", "line 3"},
      {"key value=1\n", "line 1"},
      {"key\n", "line 1"},
      {"k<<\nx\n", "line 1"},
      {"a=1\nk<<EOF\nnever closed\n", "line 2"},
  };
  for (const Case& c : cases) {
    auto values = parse_output_file(c.text);
    ASSERT_FALSE(values.ok()) << c.text;
    EXPECT_EQ(values.error().code, ErrorCode::kValidation);
    EXPECT_EQ(values.error().field, c.line) << c.text;
    EXPECT_EQ(values.error().message.rfind(std::string(c.line) + ": ", 0), 0u)
        << values.error().message;
  }
}

TEST(OutputEnvName, UpperCasesAndReplacesOtherCharacters) {
  EXPECT_EQ(output_env_name("build-app", "image.tag"), "OPZENIX_OUT_BUILD_APP_IMAGE_TAG");
  EXPECT_EQ(output_env_name("deploy_2", "URL"), "OPZENIX_OUT_DEPLOY_2_URL");
  EXPECT_EQ(output_env_name("n\xC3\xA9", "k-1"), "OPZENIX_OUT_N___K_1");
}

}  // namespace
}  // namespace opz::runner
