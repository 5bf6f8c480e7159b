#include "store/ops_metrics_store.h"

#include <gtest/gtest.h>

#include "store/advisory_store.h"
#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

class OpsMetricsStoreTest : public MigratedDbTest {};

TEST_F(OpsMetricsStoreTest, InsertsEverySampleOrNoneForAnUnknownProject) {
  OpsMetricsStore store(*db_, clock_);
  const std::string p = create_project();
  auto n = store.insert(p, "2024-01-15T10:30:10.000Z", {{"cpu_pct", 45.2}, {"mem_mb", 1024}});
  ASSERT_TRUE(n.ok()) << n.error().to_string();
  EXPECT_EQ(*n, 2);
  auto bad = store.insert("no-such-project", "2024-01-15T10:30:10.000Z", {{"cpu_pct", 1}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  EXPECT_EQ(bad.error().field, "project_id");
  auto w = store.window(p, "2024-01-15T10:00:00.000Z", "2024-01-15T11:00:00.000Z");
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ((*w)[0].metric, "cpu_pct");
  EXPECT_DOUBLE_EQ((*w)[0].sum, 45.2);
  EXPECT_EQ((*w)[1].metric, "mem_mb");
}

TEST_F(OpsMetricsStoreTest, RefreshFoldsOnlyNewSamplesIntoMinuteAndHourBuckets) {
  OpsMetricsStore store(*db_, clock_);
  const std::string p = create_project();
  ASSERT_TRUE(store.insert(p, "2024-01-15T10:30:10.000Z", {{"cpu_pct", 10}, {"cpu_pct", 30}}).ok());
  ASSERT_TRUE(store.insert(p, "2024-01-15T10:31:59.999Z", {{"cpu_pct", 50}}).ok());
  auto added = store.refresh_rollups(clock_.now());
  ASSERT_TRUE(added.ok()) << added.error().to_string();
  EXPECT_EQ(*added, 3);
  EXPECT_EQ(*store.refresh_rollups(clock_.now()), 0);  // nothing new: nothing counted twice

  ASSERT_TRUE(store.insert(p, "2024-01-15T10:30:40.000Z", {{"cpu_pct", 5}}).ok());
  EXPECT_EQ(*store.refresh_rollups(clock_.now()), 1);

  auto minutes = store.rollups(OpsMetricsStore::Resolution::kMinute, p, "cpu_pct");
  ASSERT_TRUE(minutes.ok());
  ASSERT_EQ(minutes->size(), 2u);
  EXPECT_EQ((*minutes)[0].bucket, "2024-01-15T10:30:00.000Z");
  EXPECT_EQ((*minutes)[0].samples, 3);
  EXPECT_DOUBLE_EQ((*minutes)[0].sum, 45);
  EXPECT_DOUBLE_EQ((*minutes)[0].min, 5);
  EXPECT_DOUBLE_EQ((*minutes)[0].max, 30);
  EXPECT_EQ((*minutes)[1].bucket, "2024-01-15T10:31:00.000Z");
  EXPECT_EQ((*minutes)[1].samples, 1);

  auto hours = store.rollups(OpsMetricsStore::Resolution::kHour, p, "cpu_pct");
  ASSERT_TRUE(hours.ok());
  ASSERT_EQ(hours->size(), 1u);
  EXPECT_EQ((*hours)[0].bucket, "2024-01-15T10:00:00.000Z");
  EXPECT_EQ((*hours)[0].samples, 4);
  EXPECT_DOUBLE_EQ((*hours)[0].sum, 95);
  EXPECT_DOUBLE_EQ((*hours)[0].max, 50);
}

class AdvisoryStoreTest : public MigratedDbTest {};

TEST_F(AdvisoryStoreTest, OpensOnceWhileTheConditionHoldsAndResolvesWhenItClears) {
  AdvisoryStore store(*db_, clock_);
  const std::string p = create_project();
  const std::vector<std::string> rules{"error_rate", "pod_restarts"};
  AdvisoryFindingRow f{"error_rate", "critical", "Error rate above 1%", "avg 2", 2.0, 1.0};
  EXPECT_EQ(*store.record_scan(p, rules, {f}), 1);
  f.observed = 3.0;
  f.message = "avg 3";
  EXPECT_EQ(*store.record_scan(p, rules, {f}), 0);  // still open: updated, not duplicated
  auto open = store.list(p, "open");
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].message, "avg 3");
  EXPECT_EQ((*open)[0].observed, 3.0);

  EXPECT_EQ(*store.record_scan(p, rules, {}), 0);  // cleared
  EXPECT_TRUE(store.list(p, "open")->empty());
  auto all = store.list(p);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].status, "resolved");
  EXPECT_FALSE((*all)[0].resolved_at.empty());

  EXPECT_EQ(*store.record_scan(p, rules, {f}), 1);  // fires again: a new advisory
  EXPECT_EQ(store.list(p)->size(), 2u);
}

}  // namespace
}  // namespace opz::store
