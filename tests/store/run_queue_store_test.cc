#include "store/run_queue_store.h"

#include <gtest/gtest.h>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/build_execution.h"
#include "store/execution_store.h"
#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

class RunQueueStoreTest : public MigratedDbTest {
 protected:
  // An execution of `project` carrying metadata.ops_build_id = build_id.
  std::string create_execution(const std::string& project, const std::string& build_id) {
    ExecutionRecord e = build_execution(project, "idle", format_time(clock_.now()));
    e.metadata = {{"ops_build_id", build_id}};
    EXPECT_TRUE(ExecutionStore(*db_).create(e, {}).ok());
    return e.id;
  }
};

TEST_F(RunQueueStoreTest, EnqueuesQueuedRowsAndListsThemOldestFirst) {
  RunQueueStore queue(*db_, clock_);
  const std::string p = create_project();
  auto a = queue.enqueue({p, "main", "abc1234", "manual", "user-1"});
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(a->status, "queued");
  EXPECT_EQ(a->branch, "main");
  EXPECT_EQ(a->commit_sha, "abc1234");
  EXPECT_EQ(a->requested_by, "user-1");
  EXPECT_EQ(a->created_at, format_time(clock_.now()));
  EXPECT_EQ(a->dispatched_at, "");
  clock_.advance(std::chrono::seconds(1));
  auto b = queue.enqueue({p, "develop", "", "manual", "user-1"});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->commit_sha, "");

  auto rows = queue.queued(10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].id, a->id);
  EXPECT_EQ((*rows)[1].id, b->id);
  EXPECT_EQ(queue.queued(1)->size(), 1u);
}

TEST_F(RunQueueStoreTest, RefusesAnUnknownProjectNamingTheField) {
  RunQueueStore queue(*db_, clock_);
  auto r = queue.enqueue({new_uuid(), "main", "", "manual", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().field, "project_id");
}

TEST_F(RunQueueStoreTest, MarksAQueuedRowOnceEitherWay) {
  RunQueueStore queue(*db_, clock_);
  const std::string p = create_project();
  auto a = queue.enqueue({p, "main", "", "manual", ""});
  auto b = queue.enqueue({p, "main", "", "manual", ""});
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string exec = create_execution(p, a->id);
  clock_.advance(std::chrono::seconds(3));
  ASSERT_TRUE(queue.mark_dispatched(a->id, exec).ok());
  ASSERT_TRUE(queue.mark_failed(b->id, "project has no pipeline").ok());

  auto da = queue.find(a->id);
  ASSERT_TRUE(da.ok());
  EXPECT_EQ(da->status, "dispatched");
  EXPECT_EQ(da->execution_id, exec);
  EXPECT_EQ(da->dispatched_at, format_time(clock_.now()));
  auto db = queue.find(b->id);
  EXPECT_EQ(db->status, "failed");
  EXPECT_EQ(db->error, "project has no pipeline");
  EXPECT_EQ(db->execution_id, "");

  // Never twice, and never back.
  auto again = queue.mark_failed(a->id, "late");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(queue.find(a->id)->status, "dispatched");
  EXPECT_EQ(queue.mark_dispatched(new_uuid(), exec).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(queue.queued(10)->empty());
}

TEST_F(RunQueueStoreTest, WhatRunsWithTheMoveCommitsWithItOrUndoesIt) {
  RunQueueStore queue(*db_, clock_);
  const std::string p = create_project();
  auto a = queue.enqueue({p, "main", "", "manual", ""});
  ASSERT_TRUE(a.ok());
  auto refused = queue.mark_failed(a->id, "no pipeline", [](SqlSession&) -> Status {
    return Error::unavailable("audit trail unavailable");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(queue.find(a->id)->status, "queued");  // undone with it

  bool ran = false;
  ASSERT_TRUE(queue
                  .mark_failed(a->id, "no pipeline",
                               [&](SqlSession& tx) -> Status {
                                 auto rows = tx.query(
                                     "SELECT status FROM ops_run_queue WHERE id = $1", {a->id});
                                 ran = rows.ok() &&
                                       (*rows)[0]["status"].as_text() == "failed";  // sees the move
                                 return {};
                               })
                  .ok());
  EXPECT_TRUE(ran);
  EXPECT_EQ(queue.find(a->id)->status, "failed");
}

TEST_F(RunQueueStoreTest, FindsTheExecutionAnEarlierDrainCreatedButDidNotRecord) {
  RunQueueStore queue(*db_, clock_);
  const std::string p = create_project();
  auto a = queue.enqueue({p, "main", "", "manual", ""});
  auto b = queue.enqueue({p, "main", "", "manual", ""});
  ASSERT_TRUE(a.ok() && b.ok());
  auto none = queue.execution_for(*a);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  const std::string exec = create_execution(p, a->id);
  auto found = queue.execution_for(*a);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->value_or(""), exec);
  EXPECT_FALSE(queue.execution_for(*b)->has_value());  // another row's execution is not its own
}

}  // namespace
}  // namespace opz::store
