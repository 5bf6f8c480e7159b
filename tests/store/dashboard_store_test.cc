// The seeds' §5.3 dashboard metrics over executions and approval requests.
#include "store/dashboard_store.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class DashboardStoreTest : public MigratedDbTest {
 protected:
  // An execution started `started_ago` before now, ended `duration` later.
  void execution(const std::string& id, const std::string& status,
                 std::chrono::seconds started_ago, std::optional<std::chrono::seconds> duration) {
    const TimePoint started = clock_.now() - started_ago;
    Status st = db_->write([&](SqlSession& s) -> Status {
      OPZ_TRY_STATUS(s.exec(
          "INSERT INTO executions (id, name, status, started_at, completed_at, created_at, "
          "updated_at) VALUES ($1, 'x', $2, $3, $4, $3, $3)",
          {id, status, format_time(started),
           duration ? SqlValue(format_time(started + *duration)) : SqlValue(nullptr)}));
      return {};
    });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }
};

TEST_F(DashboardStoreTest, AnEmptyDatabaseHasNothingToMeasure) {
  auto m = load_dashboard_metrics(*db_, clock_.now());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->active_executions, 0);
  EXPECT_FALSE(m->success_rate_24h.has_value());
  EXPECT_FALSE(m->avg_deployment_seconds.has_value());
  EXPECT_EQ(m->pending_approvals, 0);
}

TEST_F(DashboardStoreTest, TheSeedsFourQueries) {
  using std::chrono::hours;
  using std::chrono::seconds;
  execution("a", "running", seconds(30), std::nullopt);
  execution("b", "running", seconds(60), std::nullopt);
  execution("c", "success", hours(1), seconds(40));
  execution("d", "success", hours(2), seconds(20));
  execution("e", "failed", hours(3), seconds(5));
  execution("old", "success", hours(48), seconds(90));  // outside 24 h, still in the average
  Status st = db_->write([&](SqlSession& s) -> Status {
    const std::string at = format_time(clock_.now());
    OPZ_TRY_STATUS(s.exec("INSERT INTO approval_requests (id, execution_id, status, created_at, "
                          "updated_at) VALUES ('r1', 'a', 'pending', $1, $1), "
                          "('r2', 'b', 'approved', $1, $1)",
                          {at}));
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();

  auto m = load_dashboard_metrics(*db_, clock_.now());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->active_executions, 2);
  ASSERT_TRUE(m->success_rate_24h.has_value());
  EXPECT_DOUBLE_EQ(*m->success_rate_24h, 2.0 / 5.0);  // c, d of a..e
  ASSERT_TRUE(m->avg_deployment_seconds.has_value());
  EXPECT_NEAR(*m->avg_deployment_seconds, (40.0 + 20.0 + 90.0) / 3.0, 0.01);
  EXPECT_EQ(m->pending_approvals, 1);
}

// The average is a running total kept by triggers (migration 013): it must
// equal the seeds' AVG query after every kind of change.
TEST_F(DashboardStoreTest, TheAverageStaysExactThroughUpdatesAndDeletes) {
  using std::chrono::hours;
  using std::chrono::seconds;
  execution("a", "running", hours(1), std::nullopt);
  execution("b", "success", hours(2), seconds(30));
  execution("c", "success", hours(3), seconds(60));
  const std::string later = format_time(clock_.now() - hours(1) + seconds(45));
  Status st = db_->write([&](SqlSession& s) -> Status {
    // a finishes: status and completed_at in one statement.
    OPZ_TRY_STATUS(s.exec("UPDATE executions SET status = 'success', completed_at = $1 "
                          "WHERE id = 'a'", {later}));
    // c is re-timed, then b is deleted.
    OPZ_TRY_STATUS(s.exec("UPDATE executions SET completed_at = started_at WHERE id = 'c'"));
    OPZ_TRY_STATUS(s.exec("DELETE FROM executions WHERE id = 'b'"));
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();

  auto m = load_dashboard_metrics(*db_, clock_.now());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  ASSERT_TRUE(m->avg_deployment_seconds.has_value());
  EXPECT_NEAR(*m->avg_deployment_seconds, (45.0 + 0.0) / 2.0, 0.01);

  // Every successful execution gone: no average, not zero.
  st = db_->write([](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(s.exec("DELETE FROM executions"));
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  m = load_dashboard_metrics(*db_, clock_.now());
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->avg_deployment_seconds.has_value());
}

}  // namespace
}  // namespace opz::store
