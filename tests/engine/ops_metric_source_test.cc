// The engine's MetricSource over the ops metrics store: the project it is
// bound to, the window back from now, and the error when nothing was sent.
#include "engine/ops_metric_source.h"

#include <gtest/gtest.h>

#include "../store/migrated_db_test.h"
#include "core/time_format.h"
#include "store/ops_metrics_store.h"

namespace opz::engine {
namespace {

using std::chrono::minutes;

class OpsMetricSourceTest : public store::MigratedDbTest {};

TEST_F(OpsMetricSourceTest, ReadsTheBoundProjectsAggregateOverTheWindow) {
  const std::string p = create_project("shop");
  const std::string other = create_project("blog");
  store::OpsMetricsStore store(*db_, clock_);
  const TimePoint now = clock_.now();
  ASSERT_TRUE(store.insert(p, format_time(now - minutes{2}), {{"error_rate_pct", 4}}).ok());
  ASSERT_TRUE(store.insert(p, format_time(now), {{"error_rate_pct", 8}}).ok());
  ASSERT_TRUE(store.insert(other, format_time(now), {{"error_rate_pct", 100}}).ok());

  deploy::MetricSource source = ops_metric_source(*db_, clock_, p);
  auto avg = source({"error_rate_pct", pipeline::MetricAggregate::kAvg, minutes{5}});
  ASSERT_TRUE(avg.ok()) << avg.error().to_string();
  EXPECT_EQ(*avg, 6.0);
  auto last_minute = source({"error_rate_pct", pipeline::MetricAggregate::kMax, minutes{1}});
  ASSERT_TRUE(last_minute.ok());
  EXPECT_EQ(*last_minute, 8.0);

  clock_.advance(minutes{10});  // every sample is now older than the window
  auto none = source({"error_rate_pct", pipeline::MetricAggregate::kAvg, minutes{5}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "no error_rate_pct samples in the last 5m");
}

}  // namespace
}  // namespace opz::engine
