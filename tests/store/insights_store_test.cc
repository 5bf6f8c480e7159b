#include "store/insights_store.h"

#include <gtest/gtest.h>

#include "core/ids.h"
#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

class InsightsStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    project_ = create_project();
  }

  std::string add_execution(const std::string& project, const std::string& created,
                            const std::string& started) {
    const std::string id = new_uuid();
    EXPECT_TRUE(db_->write([&](SqlSession& s) -> Status {
                     OPZ_TRY_STATUS(s.exec(
                         "INSERT INTO executions (id, name, project_id, branch, commit_hash, "
                         "status, started_at, created_at, updated_at) "
                         "VALUES ($1, 'x', $2, 'main', 'abc', 'failed', $4, $3, $3)",
                         {id, project, created, started.empty() ? SqlValue() : SqlValue(started)}));
                     return {};
                   }).ok());
    return id;
  }

  void add_node(const std::string& execution, const std::string& node_id,
                const std::string& status, int attempt, std::optional<int64_t> exit_code,
                const std::string& logs, int position) {
    EXPECT_TRUE(db_->write([&](SqlSession& s) -> Status {
                     OPZ_TRY_STATUS(s.exec(
                         "INSERT INTO execution_nodes (id, execution_id, node_id, status, attempt, "
                         "max_attempts, exit_code, error, logs, duration_ms, completed_at, "
                         "position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 3, $6, "
                         "'step failed', $7, 1500, '2024-01-10T10:05:00.000Z', $8, "
                         "'2024-01-10T10:00:00.000Z', '2024-01-10T10:05:00.000Z')",
                         {new_uuid(), execution, node_id, status, attempt, exit_code, logs,
                          position}));
                     return {};
                   }).ok());
  }

  void add_state_event(const std::string& execution, const std::string& node_id,
                       const std::string& state, const std::string& at) {
    EXPECT_TRUE(db_->write([&](SqlSession& s) -> Status {
                     OPZ_TRY_STATUS(s.exec(
                         "INSERT INTO execution_state_events (id, execution_id, node_id, "
                         "new_state, created_at) VALUES ($1, $2, $3, $4, $5)",
                         {new_uuid(), execution, node_id, state, at}));
                     return {};
                   }).ok());
  }

  std::string project_;
};

TEST_F(InsightsStoreTest, NodeRunsCarryTimingsAttemptsExitCodesAndFailedTails) {
  const std::string e = add_execution(project_, "2024-01-10T10:00:00.000Z",
                                      "2024-01-10T10:00:02.000Z");
  add_node(e, "build", "success", 2, 0, "compiled fine", 0);
  add_node(e, "test", "failed", 1, 3, std::string(5000, 'x') + "\nerror: boom", 1);
  add_node(e, "deploy", "skipped", 0, std::nullopt, "", 2);  // not finished: left out
  add_state_event(e, "test", "queued", "2024-01-10T10:01:00.000Z");
  add_state_event(e, "test", "running", "2024-01-10T10:01:04.000Z");
  add_state_event(e, "test", "running", "2024-01-10T10:02:00.000Z");  // a later attempt
  add_state_event(e, "build", "running", "2024-01-10T10:00:03.000Z");

  auto runs = InsightsStore(*db_).node_runs(project_, "2024-01-01T00:00:00.000Z");
  ASSERT_TRUE(runs.ok()) << runs.error().to_string();
  ASSERT_EQ(runs->size(), 2u);
  const InsightNodeRunRow& build = (*runs)[0];
  EXPECT_EQ(build.node_id, "build");
  EXPECT_EQ(build.attempt, 2);
  EXPECT_EQ(build.exit_code, 0);
  EXPECT_EQ(build.duration_ms, 1500);
  EXPECT_EQ(build.log_tail, "");  // only failed runs carry their tail
  EXPECT_EQ(build.commit_hash, "abc");
  EXPECT_EQ(build.branch, "main");
  EXPECT_EQ(build.queued_at, "");
  EXPECT_EQ(build.first_started_at, "2024-01-10T10:00:03.000Z");
  const InsightNodeRunRow& test = (*runs)[1];
  EXPECT_EQ(test.status, "failed");
  EXPECT_EQ(test.exit_code, 3);
  EXPECT_EQ(test.error, "step failed");
  EXPECT_EQ(test.finished_at, "2024-01-10T10:05:00.000Z");
  ASSERT_EQ(test.log_tail.size(), static_cast<size_t>(InsightsStore::kLogTailBytes));
  EXPECT_EQ(test.log_tail.substr(test.log_tail.size() - 11), "error: boom");
  EXPECT_EQ(test.queued_at, "2024-01-10T10:01:00.000Z");
  EXPECT_EQ(test.first_started_at, "2024-01-10T10:01:04.000Z");
}

TEST_F(InsightsStoreTest, OnlyTheProjectsExecutionsSinceTheStart) {
  const std::string old_one = add_execution(project_, "2023-12-01T00:00:00.000Z",
                                            "2023-12-01T00:00:01.000Z");
  const std::string recent = add_execution(project_, "2024-01-10T10:00:00.000Z", "");
  const std::string other = add_execution(create_project("q"), "2024-01-10T11:00:00.000Z",
                                          "2024-01-10T11:00:01.000Z");
  add_node(old_one, "a", "failed", 1, 1, "e", 0);
  add_node(recent, "a", "failed", 1, 1, "e", 0);
  add_node(other, "a", "failed", 1, 1, "e", 0);
  InsightsStore store(*db_);
  auto runs = store.node_runs(project_, "2024-01-01T00:00:00.000Z");
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].execution_id, recent);
  auto executions = store.executions(project_, "2024-01-01T00:00:00.000Z");
  ASSERT_TRUE(executions.ok());
  ASSERT_EQ(executions->size(), 1u);
  EXPECT_EQ((*executions)[0].id, recent);
  EXPECT_EQ((*executions)[0].created_at, "2024-01-10T10:00:00.000Z");
  EXPECT_EQ((*executions)[0].started_at, "");
}

}  // namespace
}  // namespace opz::store
