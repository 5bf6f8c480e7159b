// The event log (migration 012's triggers) and its reader.
#include "store/event_log_store.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "core/time_format.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class EventLogStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    log_ = std::make_unique<EventLogStore>(*db_);
    base_ = log_->last_id().value();  // migrations may already have logged rows
  }
  void sql(const std::string& text, const Params& params = {}) {
    Status st = db_->write([&](SqlSession& s) -> Status {
      OPZ_TRY_STATUS(s.exec(text, params));
      return {};
    });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }
  std::vector<EventLogRecord> all() {
    auto r = log_->read_after(base_, 10000);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : std::vector<EventLogRecord>{};
  }
  static Json json(const std::string& text) { return parse_json(text).value(); }

  std::unique_ptr<EventLogStore> log_;
  int64_t base_ = 0;
};

TEST_F(EventLogStoreTest, ExecutionNodeAndLogChangesAreLoggedInOrder) {
  const std::string project = create_project();
  base_ = log_->last_id().value();
  sql("INSERT INTO executions (id, name, project_id, status, created_at, updated_at) "
      "VALUES ('e1', 'x', $1, 'running', '2026-01-01', '2026-01-01')",
      {project});
  sql("INSERT INTO execution_nodes (id, execution_id, node_id, status, created_at, updated_at) "
      "VALUES ('n1', 'e1', 'build', 'pending', '2026-01-01', '2026-01-01')");
  sql("UPDATE execution_nodes SET status = 'running' WHERE id = 'n1'");
  sql("INSERT INTO execution_logs (execution_id, node_id, stream, message, created_at) "
      "VALUES ('e1', 'build', 'stderr', 'warning: x', '2026-01-01')");
  auto events = all();
  ASSERT_EQ(events.size(), 4u);
  for (size_t i = 1; i < events.size(); ++i) EXPECT_EQ(events[i].id, events[i - 1].id + 1);

  EXPECT_EQ(events[0].topic, "executions");
  EXPECT_EQ(events[0].type, "INSERT");
  EXPECT_EQ(events[0].project_id, project);
  EXPECT_EQ(json(events[0].record_json)["status"], "running");

  EXPECT_EQ(events[2].topic, "nodes");
  EXPECT_EQ(events[2].type, "UPDATE");
  EXPECT_EQ(events[2].execution_id, "e1");
  EXPECT_EQ(events[2].project_id, project);  // looked up through the execution
  EXPECT_EQ(json(events[2].record_json)["status"], "running");
  EXPECT_EQ(json(events[2].old_json), Json({{"status", "pending"}}));

  // The log line is joined from execution_logs, not stored twice.
  EXPECT_EQ(events[3].topic, "logs");
  EXPECT_EQ(events[3].table_name, "execution_logs");
  Json line = json(events[3].record_json);
  EXPECT_EQ(line["message"], "warning: x");
  EXPECT_EQ(line["stream"], "stderr");
  EXPECT_EQ(line["node_id"], "build");
  auto stored = db_->read([](SqlSession& s) {
    return s.query("SELECT record FROM realtime_events WHERE topic = 'logs'");
  });
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->rows.at(0)[0].is_null());
}

TEST_F(EventLogStoreTest, OnlyWatchedColumnsMakeAnUpdateEvent) {
  sql("INSERT INTO executions (id, name, status, created_at, updated_at) "
      "VALUES ('e1', 'x', 'running', '2026-01-01', '2026-01-01')");
  base_ = log_->last_id().value();
  sql("UPDATE executions SET updated_at = '2026-01-02', metadata = '{\"a\":1}' WHERE id = 'e1'");
  EXPECT_TRUE(all().empty());
  sql("UPDATE executions SET progress = 50, completed_at = '2026-01-03' WHERE id = 'e1'");
  auto events = all();
  ASSERT_EQ(events.size(), 1u);
  // Only what changed, with its old value (a NULL one as null).
  EXPECT_EQ(json(events[0].old_json), Json({{"progress", 0}, {"completed_at", nullptr}}));
}

TEST_F(EventLogStoreTest, NotificationsAndAuditCarryTheirUser) {
  sql("INSERT INTO notification_events (id, type, target_user_id, payload, created_at) "
      "VALUES ('n1', 'approval_requested', 'u1', '{\"k\":2}', '2026-01-01')");
  sql("INSERT INTO audit_logs (id, action, resource_type, resource_id, user_id, created_at) "
      "VALUES ('a1', 'execution.started', 'execution', 'e9', 'u2', '2026-01-01')");
  auto events = all();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].topic, "notifications");
  EXPECT_EQ(events[0].user_id, "u1");
  EXPECT_EQ(json(events[0].record_json)["payload"]["k"], 2);  // JSON, not a string
  EXPECT_EQ(events[1].topic, "audit");
  EXPECT_EQ(events[1].user_id, "u2");
  EXPECT_EQ(events[1].execution_id, "e9");
}

TEST_F(EventLogStoreTest, ReadAfterPagesByIdAndLimit) {
  for (int i = 0; i < 5; ++i)
    sql("INSERT INTO executions (id, name, created_at, updated_at) VALUES ($1, 'x', '2026-01-01', "
        "'2026-01-01')",
        {"e" + std::to_string(i)});
  auto first = log_->read_after(base_, 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  auto rest = log_->read_after(first->back().id, 100);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 3u);
  EXPECT_EQ(rest->front().id, first->back().id + 1);
  EXPECT_EQ(log_->last_id().value(), rest->back().id);
}

TEST_F(EventLogStoreTest, PruneKeepsASuffixAndIdsAreNeverReused) {
  for (int i = 0; i < 7; ++i)
    sql("INSERT INTO executions (id, name, created_at, updated_at) VALUES ($1, 'x', '2026-01-01', "
        "'2026-01-01')",
        {"e" + std::to_string(i)});
  const int64_t last = log_->last_id().value();
  // The three oldest were written long ago.
  sql("UPDATE realtime_events SET created_at = '2000-01-01T00:00:00.000Z' WHERE id <= $1",
      {base_ + 3});
  auto pruned = log_->prune(parse_time("2010-01-01T00:00:00Z").value(), 2);  // batches of 2
  ASSERT_TRUE(pruned.ok()) << pruned.error().to_string();
  EXPECT_EQ(*pruned, base_ + 3);  // everything up to there, migration rows included
  EXPECT_EQ(log_->oldest_id().value(), base_ + 4);
  EXPECT_EQ(log_->last_id().value(), last);

  ASSERT_TRUE(log_->prune(SystemClock::instance().now() + std::chrono::hours(1)).ok());
  EXPECT_EQ(log_->oldest_id().value(), last + 1);  // empty: one past the last id
  EXPECT_EQ(log_->last_id().value(), last);        // still known
  sql("INSERT INTO executions (id, name, created_at, updated_at) VALUES ('new', 'x', '2026-01-01', "
      "'2026-01-01')");
  EXPECT_EQ(log_->last_id().value(), last + 1);
}

}  // namespace
}  // namespace opz::store
