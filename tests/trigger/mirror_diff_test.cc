#include "trigger/mirror_diff.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/workspace.h"
#include "support/temp_dir.h"
#include "trigger/git_repo_fixture.h"

namespace opz::trigger {
namespace {

TEST(MirrorDiffTest, ClonesTheMirrorThenFetchesAndListsTheChangedPaths) {
  testing::GitRepo repo;
  const std::string base = repo.commit_and_push("main", "README.md", "hello\n");
  repo.commit_and_push("main", "services/api/main.cc", "int main() {}\n");
  const std::string after = repo.commit_and_push("main", "docs/guide.md", "guide\n");
  opz::testing::TempDir data;

  auto paths = mirror_changed_paths(data.str(), repo.url(), base, after);
  ASSERT_TRUE(paths.ok()) << paths.error().message;
  EXPECT_EQ(*paths, (std::vector<std::string>{"docs/guide.md", "services/api/main.cc"}));
  EXPECT_TRUE(std::filesystem::exists(engine::mirror_dir(data.str(), repo.url())))
      << "the engine's mirror, created on first use";

  // A later push: the existing mirror is fetched, not cloned again.
  const std::string later = repo.commit_and_push("main", "web/app.ts", "x\n");
  paths = mirror_changed_paths(data.str(), repo.url(), after, later);
  ASSERT_TRUE(paths.ok()) << paths.error().message;
  EXPECT_EQ(*paths, (std::vector<std::string>{"web/app.ts"}));
}

TEST(MirrorDiffTest, FailsInsteadOfGuessing) {
  testing::GitRepo repo;
  const std::string base = repo.commit_and_push("main", "a", "a\n");
  opz::testing::TempDir data;
  const std::string unknown(40, 'e');
  auto missing = mirror_changed_paths(data.str(), repo.url(), base, unknown);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);

  auto zeros = mirror_changed_paths(data.str(), repo.url(), std::string(40, '0').substr(0, 39), base);
  EXPECT_EQ(zeros.error().code, ErrorCode::kValidation);
  EXPECT_EQ(mirror_changed_paths("", repo.url(), base, base).error().code,
            ErrorCode::kUnavailable);
  EXPECT_EQ(mirror_changed_paths(data.str(), "-upload-pack=x", base, base).error().code,
            ErrorCode::kValidation);
}

}  // namespace
}  // namespace opz::trigger
