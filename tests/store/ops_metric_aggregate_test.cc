// OpsMetricsStore::aggregate: one metric of one project since a time, as a
// canary metric analysis reads it.
#include <gtest/gtest.h>

#include "core/time_format.h"
#include "migrated_db_test.h"
#include "store/ops_metrics_store.h"

namespace opz::store {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class OpsMetricAggregateTest : public MigratedDbTest {
 protected:
  void ingest(const std::string& project, TimePoint at, std::vector<OpsSample> samples) {
    auto n = OpsMetricsStore(*db_, clock_).insert(project, format_time(at), samples);
    ASSERT_TRUE(n.ok()) << n.error().to_string();
  }
  std::optional<double> read(const std::string& project, const std::string& metric,
                             OpsAggregate a, minutes window) {
    auto v = OpsMetricsStore(*db_, clock_).aggregate(project, metric, a,
                                                     format_time(clock_.now() - window));
    EXPECT_TRUE(v.ok()) << v.error().to_string();
    return v.ok() ? *v : std::nullopt;
  }
};

TEST_F(OpsMetricAggregateTest, FoldsOnlyTheMetricsSamplesInsideTheWindow) {
  const std::string p = create_project("shop");
  const std::string other = create_project("blog");
  const TimePoint now = clock_.now();
  ingest(p, now - minutes{10}, {{"http_5xx_pct", 90}});  // before the window
  ingest(p, now - minutes{5}, {{"http_5xx_pct", 2}});    // exactly at its start: inside
  ingest(p, now - minutes{1}, {{"http_5xx_pct", 6}, {"cpu_pct", 99}});
  ingest(p, now, {{"http_5xx_pct", 1}});
  ingest(other, now, {{"http_5xx_pct", 50}});  // another project's

  EXPECT_EQ(read(p, "http_5xx_pct", OpsAggregate::kAvg, minutes{5}), 3.0);
  EXPECT_EQ(read(p, "http_5xx_pct", OpsAggregate::kMax, minutes{5}), 6.0);
  EXPECT_EQ(read(p, "http_5xx_pct", OpsAggregate::kMin, minutes{5}), 1.0);
  EXPECT_EQ(read(p, "http_5xx_pct", OpsAggregate::kSum, minutes{5}), 9.0);
  EXPECT_EQ(read(p, "http_5xx_pct", OpsAggregate::kCount, minutes{5}), 3.0);
  EXPECT_EQ(read(p, "http_5xx_pct", OpsAggregate::kMax, minutes{15}), 90.0);
  EXPECT_EQ(read(p, "cpu_pct", OpsAggregate::kAvg, minutes{5}), 99.0);
}

TEST_F(OpsMetricAggregateTest, NoSamplesInTheWindowIsNoValueEvenForCount) {
  const std::string p = create_project();
  ingest(p, clock_.now() - minutes{10}, {{"http_5xx_pct", 3}});
  EXPECT_EQ(read(p, "http_5xx_pct", OpsAggregate::kAvg, minutes{5}), std::nullopt);
  EXPECT_EQ(read(p, "http_5xx_pct", OpsAggregate::kCount, minutes{5}), std::nullopt);
  EXPECT_EQ(read(p, "never_sent", OpsAggregate::kMax, minutes{60}), std::nullopt);
  EXPECT_EQ(read("no-such-project", "http_5xx_pct", OpsAggregate::kMax, minutes{60}),
            std::nullopt);
}

}  // namespace
}  // namespace opz::store
