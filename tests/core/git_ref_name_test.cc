#include "core/git_ref_name.h"

#include <gtest/gtest.h>

#include <string>

namespace opz {
namespace {

// Cases from git-check-ref-format(1) and git's own t1402 test script, plus
// the hostile names a webhook probe sent.
TEST(GitRefNameTest, AcceptsWhatGitAccepts) {
  for (std::string_view ok :
       {"refs/heads/main", "refs/tags/v1.0.0", "heads/foo", "foo/bar/baz", "foo./bar",
        "heads/foo@bar", "refs/heads/feature/a-b_c.d", "refs/heads/release/1.4",
        "refs/tags/v1.0.0-rc.1+build.5", "refs/heads/\xc3\xa9t\xc3\xa9", "refs/heads/a{b}",
        "refs/heads/@"}) {
    EXPECT_TRUE(check_ref_format(ok).ok()) << ok << ": " << check_ref_format(ok).error().message;
  }
}

TEST(GitRefNameTest, RefusesWhatGitRefuses) {
  struct Case {
    std::string ref;
    std::string why;
  };
  const Case cases[] = {
      {"", "empty"},
      {"main", "no '/'"},
      {"@", "'@'"},
      {"refs/tags/v1.0.0^{}", "'^'"},
      {"refs/heads/a..b", "'..'"},
      {"refs/heads/a@{1}", "'@{'"},
      {"refs/heads/a b", "a space"},
      {"refs/heads/a~1", "'~'"},
      {"refs/heads/a:b", "':'"},
      {"refs/heads/a?b", "'?'"},
      {"refs/heads/a*", "'*'"},
      {"refs/heads/a[b", "'['"},
      {"refs/heads/a\\b", "'\\'"},
      {std::string("refs/heads/a\0b", 14), "control character 0x00"},
      {"refs/heads/a\x01", "control character 0x01"},
      {"refs/heads/a\tb", "control character 0x09"},
      {"refs/heads/a\x7f", "control character 0x7f"},
      {"refs/heads/.hidden", "starts with '.'"},
      {"refs/heads/foo/.bar", "starts with '.'"},
      {"./foo", "starts with '.'"},
      {"refs/heads/foo.lock", "'.lock'"},
      {"foo.lock/bar", "'.lock'"},
      {"refs/heads/foo.", "ends with '.'"},
      {"refs/heads/foo/", "'/'"},
      {"/refs/heads/foo", "'/'"},
      {"refs//heads/foo", "'//'"},
      {"refs/heads/" + std::string(300, 'a'), "longer than 255"},
  };
  for (const Case& c : cases) {
    Status st = check_ref_format(c.ref);
    ASSERT_FALSE(st.ok()) << "accepted: " << printable(c.ref);
    EXPECT_EQ(st.error().code, ErrorCode::kValidation);
    EXPECT_EQ(st.error().field, "ref");
    EXPECT_NE(st.error().message.find(c.why), std::string::npos)
        << printable(c.ref) << " -> " << st.error().message;
  }
}

TEST(GitRefNameTest, BranchAndTagShortNames) {
  EXPECT_TRUE(check_branch_name("main").ok());
  EXPECT_TRUE(check_branch_name("release/1.4").ok());
  EXPECT_TRUE(check_tag_name("v1.2.3").ok());

  Status dash = check_branch_name("-rf");
  ASSERT_FALSE(dash.ok());
  EXPECT_EQ(dash.error().field, "branch");
  EXPECT_NE(dash.error().message.find("starts with '-'"), std::string::npos);
  EXPECT_FALSE(check_branch_name("HEAD").ok());
  EXPECT_TRUE(check_tag_name("HEAD").ok());  // git allows a tag named HEAD

  Status peeled = check_tag_name("v1.0.0^{}");
  ASSERT_FALSE(peeled.ok());
  EXPECT_EQ(peeled.error().field, "tag");
  // The message quotes the name as given, not the prefixed ref.
  EXPECT_EQ(peeled.error().message.rfind("'v1.0.0^{}' is not a valid git ref name", 0), 0u)
      << peeled.error().message;

  Status nul = check_branch_name(std::string_view("ma\0in", 5), "ref");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().field, "ref");
  EXPECT_NE(nul.error().message.find("'ma\\x00in'"), std::string::npos) << nul.error().message;
  EXPECT_FALSE(check_branch_name("").ok());
  EXPECT_FALSE(check_tag_name("a/").ok());
}

TEST(GitRefNameTest, PrintableEscapesAndBounds) {
  EXPECT_EQ(printable("plain"), "plain");
  EXPECT_EQ(printable(std::string_view("a\0b\n'", 5)), "a\\x00b\\x0a\\'");
  EXPECT_EQ(printable(std::string(200, 'x'), 10), std::string(10, 'x') + "...");
}

}  // namespace
}  // namespace opz
