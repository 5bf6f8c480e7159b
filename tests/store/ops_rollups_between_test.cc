// OpsMetricsStore::rollups_between: every metric's buckets of one project in
// a half-open time range (the telemetry analysis reads its two windows so).
#include <gtest/gtest.h>

#include "store/migrated_db_test.h"
#include "store/ops_metrics_store.h"

namespace opz::store {
namespace {

class OpsRollupsBetweenTest : public MigratedDbTest {};

TEST_F(OpsRollupsBetweenTest, AnswersEveryMetricsBucketsInTheRangeOfOneProjectOnly) {
  OpsMetricsStore store(*db_, clock_);
  const std::string p = create_project();
  const std::string other = create_project("other");
  ASSERT_TRUE(store.insert(p, "2024-01-15T10:29:59.000Z", {{"cpu_pct", 1}}).ok());
  ASSERT_TRUE(store.insert(p, "2024-01-15T10:30:10.000Z", {{"cpu_pct", 10}, {"mem_mb", 7}}).ok());
  ASSERT_TRUE(store.insert(p, "2024-01-15T10:30:50.000Z", {{"cpu_pct", 30}}).ok());
  ASSERT_TRUE(store.insert(p, "2024-01-15T10:31:00.000Z", {{"cpu_pct", 50}}).ok());
  ASSERT_TRUE(store.insert(p, "2024-01-15T10:32:00.000Z", {{"cpu_pct", 99}}).ok());
  ASSERT_TRUE(store.insert(other, "2024-01-15T10:30:10.000Z", {{"cpu_pct", 5}}).ok());
  ASSERT_TRUE(store.refresh_rollups(clock_.now()).ok());

  auto rows = store.rollups_between(OpsMetricsStore::Resolution::kMinute, p,
                                    "2024-01-15T10:30:00.000Z", "2024-01-15T10:32:00.000Z");
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].metric, "cpu_pct");
  EXPECT_EQ((*rows)[0].bucket, "2024-01-15T10:30:00.000Z");
  EXPECT_EQ((*rows)[0].samples, 2);
  EXPECT_DOUBLE_EQ((*rows)[0].sum, 40);
  EXPECT_EQ((*rows)[1].metric, "cpu_pct");
  EXPECT_EQ((*rows)[1].bucket, "2024-01-15T10:31:00.000Z");
  EXPECT_DOUBLE_EQ((*rows)[1].sum, 50);
  EXPECT_EQ((*rows)[2].metric, "mem_mb");
  EXPECT_EQ((*rows)[2].project_id, p);

  auto hours = store.rollups_between(OpsMetricsStore::Resolution::kHour, p,
                                     "2024-01-15T10:00:00.000Z", "2024-01-15T11:00:00.000Z");
  ASSERT_TRUE(hours.ok());
  ASSERT_EQ(hours->size(), 2u);
  EXPECT_EQ((*hours)[0].samples, 5);
  EXPECT_TRUE(store.rollups_between(OpsMetricsStore::Resolution::kMinute, p,
                                    "2024-01-15T11:00:00.000Z", "2024-01-15T12:00:00.000Z")
                  ->empty());
}

}  // namespace
}  // namespace opz::store
