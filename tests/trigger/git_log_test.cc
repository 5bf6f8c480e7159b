// trigger::commits_between over a real repository (git log through the
// bounded process helper), and parse_git_log's record format.
#include "trigger/git_log.h"

#include <gtest/gtest.h>

#include "git_repo_fixture.h"

namespace opz::trigger {
namespace {

TEST(ParseGitLog, ReadsRecordsAndSkipsMalformedOnes) {
  const std::string out =
      "aaaa1111\x1f" "fix: a, b\x1f" "Ann\x1f" "2026-01-02T03:04:05+01:00\x1e\n"
      "not-a-sha\x1fx\x1fy\x1fz\x1e\n"
      "bbbb2222\x1f" "only three\x1f" "Bob\x1e\n";
  EXPECT_EQ(parse_git_log(out),
            (std::vector<CommitSummary>{{"aaaa1111", "fix: a, b", "Ann", "2026-01-02T03:04:05+01:00"}}));
}

TEST(CommitsBetween, ListsTheNewerCommitsNewestFirstAndTruncates) {
  testing::GitRepo repo;
  const std::string c1 = repo.commit_and_push("main", "a.txt", "1");
  const std::string c2 = repo.commit_and_push("main", "b.txt", "2");
  const std::string c3 = repo.commit_and_push("main", "c.txt", "3");
  auto log = commits_between(repo.url(), c1, c3, 50);
  ASSERT_TRUE(log.ok()) << log.error().to_string();
  ASSERT_EQ(log->commits.size(), 2u);
  EXPECT_EQ(log->commits[0].sha, c3);
  EXPECT_EQ(log->commits[0].subject, "change c.txt");
  EXPECT_EQ(log->commits[0].author, "Test");
  EXPECT_EQ(log->commits[1].sha, c2);
  EXPECT_FALSE(log->truncated);

  auto one = commits_between(repo.url(), c1, c3, 1);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->commits.size(), 1u);
  EXPECT_EQ(one->commits[0].sha, c3);
  EXPECT_TRUE(one->truncated);

  auto same = commits_between(repo.url(), c3, c3, 50);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->commits.empty());
}

TEST(CommitsBetween, UnknownCommitsAndBadInputAreErrors) {
  testing::GitRepo repo;
  const std::string c1 = repo.commit_and_push("main", "a.txt", "1");
  auto unknown = commits_between(repo.url(), c1, std::string(40, 'f'), 50);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(commits_between(repo.url(), "--output=x", c1, 50).error().code,
            ErrorCode::kValidation);
  auto not_repo = commits_between("/nonexistent", c1, std::string(40, 'f'), 50);
  EXPECT_EQ(not_repo.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace opz::trigger
