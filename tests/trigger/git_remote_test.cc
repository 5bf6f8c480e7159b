#include "trigger/git_remote.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "trigger/git_repo_fixture.h"

namespace opz::trigger {
namespace {

TEST(ParseLsRemoteTest, KeepsBranchesAndTagsAndPeelsAnnotatedTags) {
  const std::string a(40, 'a'), b(40, 'b'), c(40, 'c'), d(40, 'd');
  const std::string out = a + "\tHEAD\n" + a + "\trefs/heads/main\n" + b +
                          "\trefs/heads/release/1.4\r\n" + c + "\trefs/tags/v1\n" + d +
                          "\trefs/tags/v1^{}\n" + b + "\trefs/pull/1/head\n" + "garbage line\n" +
                          "xyz\trefs/heads/bad\n" + a + "\trefs/tags/light";
  auto refs = parse_ls_remote(out);
  ASSERT_EQ(refs.size(), 4u);
  EXPECT_EQ(refs[0], (RemoteRef{"refs/heads/main", a}));
  EXPECT_EQ(refs[1], (RemoteRef{"refs/heads/release/1.4", b}));
  EXPECT_EQ(refs[2], (RemoteRef{"refs/tags/light", a}));
  EXPECT_EQ(refs[3], (RemoteRef{"refs/tags/v1", d})) << "the commit, not the tag object";
  EXPECT_TRUE(parse_ls_remote("").empty());
}

TEST(LsRemoteTest, ListsARealRepositoryAndResolvesTags) {
  testing::GitRepo repo;
  const std::string main_sha = repo.commit_and_push("main", "README", "hello\n");
  const std::string dev_sha = repo.commit_and_push("develop", "dev.txt", "dev\n");
  repo.tag_and_push("v1.0", /*annotated=*/true);
  auto refs = ls_remote(repo.url());
  ASSERT_TRUE(refs.ok()) << refs.error().to_string();
  ASSERT_EQ(refs->size(), 3u);
  EXPECT_EQ((*refs)[0], (RemoteRef{"refs/heads/develop", dev_sha}));
  EXPECT_EQ((*refs)[1], (RemoteRef{"refs/heads/main", main_sha}));
  EXPECT_EQ((*refs)[2], (RemoteRef{"refs/tags/v1.0", dev_sha}));
  auto tag = resolve_tag(repo.url(), "v1.0");
  ASSERT_TRUE(tag.ok()) << tag.error().to_string();
  EXPECT_EQ(*tag, dev_sha);
  EXPECT_EQ(resolve_tag(repo.url(), "v9").error().code, ErrorCode::kNotFound);
}

TEST(LsRemoteTest, FailuresAreErrorsNotCrashes) {
  opz::testing::TempDir dir;
  auto missing = ls_remote(dir.str() + "/nope.git");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(missing.error().message.find("exited with code"), std::string::npos);
  EXPECT_EQ(ls_remote("--upload-pack=touch /tmp/x").error().code, ErrorCode::kValidation);
  EXPECT_EQ(ls_remote("").error().code, ErrorCode::kValidation);
  GitRemoteOptions no_git;
  no_git.git = "/nonexistent/git";
  EXPECT_EQ(ls_remote(dir.str(), no_git).error().code, ErrorCode::kInternal);
}

TEST(LsRemoteTest, AHangingRemoteIsKilledAtTheTimeout) {
  opz::testing::TempDir dir;
  // A "git" that never answers: the timeout must end it.
  const std::string fake = dir.write("git", "#!/bin/sh\nexec sleep 30\n");
  ASSERT_EQ(::chmod(fake.c_str(), 0755), 0);
  GitRemoteOptions o;
  o.git = fake;
  o.timeout = std::chrono::milliseconds(300);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = ls_remote("/srv/repo.git", o);
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(5));
}

}  // namespace
}  // namespace opz::trigger
