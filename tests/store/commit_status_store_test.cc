#include "store/commit_status_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "core/time_format.h"
#include "store/execution_store.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class CommitStatusStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<CommitStatusStore>(*db_, clock_);
    ExecutionRecord e;
    e.id = execution_id_;
    e.name = "Deploy 0123456";
    e.status = "idle";
    e.trigger_type = "push";
    e.created_at = e.updated_at = now();
    ASSERT_TRUE(ExecutionStore(*db_).create(e, {}).ok());
  }
  CommitStatusRecord report(const std::string& state) {
    CommitStatusRecord r;
    r.execution_id = execution_id_;
    r.commit_sha = "0123456789abcdef0123456789abcdef01234567";
    r.state = state;
    r.context = "opzenix/Production";
    r.target_url = "http://x/executions/1";
    return r;
  }
  std::string now() const { return format_time(clock_.now()); }

  const std::string execution_id_ = "22222222-2222-4222-8222-222222222222";
  std::unique_ptr<CommitStatusStore> store_;
};

TEST_F(CommitStatusStoreTest, QueuedReportsAreDueUntilDeliveredOrGivenUp) {
  auto a = store_->enqueue(report("pending"));
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  clock_.advance(std::chrono::milliseconds(10));
  auto b = store_->enqueue(report("success"));
  ASSERT_TRUE(b.ok());
  auto due = store_->due(now());
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].state, "pending");
  EXPECT_EQ((*due)[0].context, "opzenix/Production");

  ASSERT_TRUE(store_
                  ->mark_failed(a->id, 1, format_time(clock_.now() + std::chrono::seconds(2)),
                                "503 from GitHub")
                  .ok());
  due = store_->due(now());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].state, "success");
  ASSERT_TRUE(store_->mark_delivered(b->id).ok());
  EXPECT_TRUE(store_->due(now())->empty());
  clock_.advance(std::chrono::seconds(3));
  due = store_->due(now());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attempts, 1);
  EXPECT_EQ((*due)[0].last_error, "503 from GitHub");

  ASSERT_TRUE(store_->mark_failed(a->id, 6, "", "gave up").ok());
  clock_.advance(std::chrono::hours(1));
  EXPECT_TRUE(store_->due(now())->empty());
}

TEST_F(CommitStatusStoreTest, AnOlderReportIsSupersededByANewerOneOfTheSameContext) {
  auto a = store_->enqueue(report("pending"));
  EXPECT_FALSE(*store_->superseded(*a));
  clock_.advance(std::chrono::milliseconds(10));
  auto other = report("pending");
  other.context = "opzenix/Staging";
  ASSERT_TRUE(store_->enqueue(other).ok());
  EXPECT_FALSE(*store_->superseded(*a)) << "another context does not count";
  auto b = store_->enqueue(report("success"));
  EXPECT_TRUE(*store_->superseded(*a));
  EXPECT_FALSE(*store_->superseded(*b));
}

}  // namespace
}  // namespace opz::store
