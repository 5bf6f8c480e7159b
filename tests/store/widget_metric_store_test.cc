#include "store/widget_metric_store.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class WidgetMetricStoreTest : public MigratedDbTest {
 protected:
  // Built on use: db_ exists only after SetUp.
  WidgetMetricStore store() { return {*db_, clock_}; }
};

TEST_F(WidgetMetricStoreTest, ListsNewestFirstFilteredByTypeNameAndTime) {
  ASSERT_TRUE(store().insert("gauge", "success_rate", 0.97, Json{{"env", "prod"}}).ok());
  clock_.advance(std::chrono::minutes(1));
  const std::string since = format_time(clock_.now());
  ASSERT_TRUE(store().insert("gauge", "success_rate", 0.99, Json::object()).ok());
  ASSERT_TRUE(store().insert("counter", "active_executions", 4, Json::object()).ok());

  auto all = store().list({});
  ASSERT_TRUE(all.ok()) << all.error().to_string();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->back().metric_value, 0.97);
  EXPECT_EQ(all->back().dimensions, Json({{"env", "prod"}}));

  auto gauges = store().list({"gauge", "success_rate", "", 100});
  ASSERT_EQ(gauges->size(), 2u);
  EXPECT_EQ(gauges->front().metric_value, 0.99);  // newest first

  auto recent = store().list({"gauge", "", since, 100});
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ(recent->front().recorded_at, since);

  EXPECT_EQ(store().list({"", "", "", 1})->size(), 1u);
}

}  // namespace
}  // namespace opz::store
