#include "store/git_poll_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "store/project_store.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class GitPollStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<GitPollStore>(*db_, clock_);
    project_ = create_project();
  }

  std::unique_ptr<GitPollStore> store_;
  std::string project_;
};

TEST_F(GitPollStoreTest, FirstSightThenMovesAndDeletesInOneCommit) {
  auto empty = store_->load(project_);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->state.has_value());
  EXPECT_TRUE(empty->refs.empty());

  PollCommit first{.project_id = project_,
                   .git_url = "/srv/repo.git",
                   .polled_at = "2024-01-01T00:00:00.000Z",
                   .upserts = {{"refs/heads/main", "aaa"}, {"refs/heads/old", "bbb"}},
                   .deletes = {},
                   .reset = true,
                   .also = nullptr};
  ASSERT_TRUE(store_->commit_poll(first).ok());
  auto loaded = store_->load(project_);
  ASSERT_TRUE(loaded->state.has_value());
  EXPECT_EQ(loaded->state->git_url, "/srv/repo.git");
  EXPECT_EQ(loaded->state->first_scanned_at, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(loaded->refs.size(), 2u);

  bool ran = false;
  PollCommit second{.project_id = project_,
                    .git_url = "/srv/repo.git",
                    .polled_at = "2024-01-01T00:01:00.000Z",
                    .upserts = {{"refs/heads/main", "ccc"}},
                    .deletes = {"refs/heads/old"},
                    .reset = false,
                    .also = [&](SqlSession&) -> Status {
                      ran = true;
                      return {};
                    }};
  ASSERT_TRUE(store_->commit_poll(second).ok());
  EXPECT_TRUE(ran);
  loaded = store_->load(project_);
  EXPECT_EQ(loaded->refs, (std::map<std::string, std::string>{{"refs/heads/main", "ccc"}}));
  EXPECT_EQ(loaded->state->first_scanned_at, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(loaded->state->last_polled_at, "2024-01-01T00:01:00.000Z");
}

TEST_F(GitPollStoreTest, AFailingHookRollsTheWholePollBack) {
  PollCommit c{.project_id = project_,
               .git_url = "u",
               .polled_at = "2024-01-01T00:00:00.000Z",
               .upserts = {{"refs/heads/main", "aaa"}},
               .deletes = {},
               .reset = true,
               .also = [](SqlSession&) -> Status { return Error::internal("boom"); }};
  EXPECT_FALSE(store_->commit_poll(c).ok());
  auto loaded = store_->load(project_);
  EXPECT_FALSE(loaded->state.has_value());
  EXPECT_TRUE(loaded->refs.empty());
}

TEST_F(GitPollStoreTest, ANewUrlRestartsFirstSightAndErrorsAreRecorded) {
  PollCommit c{.project_id = project_,
               .git_url = "a",
               .polled_at = "2024-01-01T00:00:00.000Z",
               .upserts = {},
               .deletes = {},
               .reset = true,
               .also = nullptr};
  ASSERT_TRUE(store_->commit_poll(c).ok());
  ASSERT_TRUE(store_->record_error(project_, "git ls-remote failed").ok());
  EXPECT_EQ(store_->load(project_)->state->last_error, "git ls-remote failed");
  c.git_url = "b";
  c.polled_at = "2024-02-01T00:00:00.000Z";
  ASSERT_TRUE(store_->commit_poll(c).ok());
  auto st = store_->load(project_)->state;
  EXPECT_EQ(st->first_scanned_at, "2024-02-01T00:00:00.000Z");
  EXPECT_TRUE(st->last_error.empty());
}

}  // namespace
}  // namespace opz::store
