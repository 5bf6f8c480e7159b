#include "telemetry/dora.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace opz::telemetry {
namespace {

TimePoint at(const char* text) { return parse_time(text).value(); }

DoraDeployment dep(const char* env, const char* status, const char* finished,
                   std::optional<const char*> commit = std::nullopt,
                   const char* created = "2024-01-01T00:00:00Z") {
  DoraDeployment d{env, status, at(finished), std::nullopt, at(created)};
  if (commit) d.commit_time = at(*commit);
  return d;
}

TEST(DoraTest, EmptyWindowHasZeroFrequencyAndNoOtherMetrics) {
  auto m = compute_dora({}, at("2024-01-01T00:00:00Z"), at("2024-01-08T00:00:00Z"));
  EXPECT_EQ(m.deployment_frequency, 0);
  EXPECT_FALSE(m.lead_time_seconds);
  EXPECT_FALSE(m.change_failure_rate);
  EXPECT_FALSE(m.time_to_restore_seconds);
  EXPECT_EQ(m.lead_time_basis, "");
  ASSERT_EQ(m.series.size(), 7u);
  EXPECT_EQ(m.series.front().date, "2024-01-01");
  EXPECT_EQ(m.series.back().date, "2024-01-07");
}

TEST(DoraTest, ComputesTheFourMetricsFromFixedData) {
  std::vector<DoraDeployment> d = {
      // day 1: success 1 h after its commit
      dep("Production", "success", "2024-01-01T10:00:00Z", "2024-01-01T09:00:00Z"),
      // day 2: failure, then success 30 min later (restore 1800 s), lead 3 h
      dep("Production", "failed", "2024-01-02T10:00:00Z", "2024-01-02T08:00:00Z"),
      dep("Production", "success", "2024-01-02T10:30:00Z", "2024-01-02T07:30:00Z"),
      // day 3: rolled back; restored 2 h later
      dep("Production", "rolled_back", "2024-01-03T12:00:00Z"),
      dep("Production", "success", "2024-01-03T14:00:00Z", "2024-01-03T12:00:00Z"),
      // not finished: ignored
      dep("Production", "running", "2024-01-03T15:00:00Z"),
      // outside the window: ignored
      dep("Production", "failed", "2023-12-31T23:00:00Z"),
  };
  auto m = compute_dora(d, at("2024-01-01T00:00:00Z"), at("2024-01-08T00:00:00Z"));
  EXPECT_DOUBLE_EQ(m.deployment_frequency, 3.0 / 7.0);
  ASSERT_TRUE(m.change_failure_rate);
  EXPECT_DOUBLE_EQ(*m.change_failure_rate, 2.0 / 5.0);
  ASSERT_TRUE(m.lead_time_seconds);  // 3600, 10800, 7200 -> median 7200
  EXPECT_DOUBLE_EQ(*m.lead_time_seconds, 7200);
  EXPECT_EQ(m.lead_time_basis, "commit_time");
  ASSERT_TRUE(m.time_to_restore_seconds);  // 1800, 7200 -> median 4500
  EXPECT_DOUBLE_EQ(*m.time_to_restore_seconds, 4500);
  ASSERT_EQ(m.series.size(), 7u);
  EXPECT_EQ(m.series[1].date, "2024-01-02");
  EXPECT_EQ(m.series[1].deployments, 2);
  EXPECT_EQ(m.series[1].failures, 1);
  EXPECT_EQ(m.series[3].deployments, 0);
}

TEST(DoraTest, RestoreIsPerEnvironmentAndFallbackBasisIsReported) {
  std::vector<DoraDeployment> d = {
      dep("Production", "failed", "2024-01-01T10:00:00Z"),
      // a success elsewhere does not restore Production
      dep("Staging", "success", "2024-01-01T10:10:00Z", std::nullopt, "2024-01-01T10:00:00Z"),
  };
  auto m = compute_dora(d, at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"));
  EXPECT_FALSE(m.time_to_restore_seconds);
  EXPECT_EQ(m.lead_time_basis, "execution_created");
  ASSERT_TRUE(m.lead_time_seconds);
  EXPECT_DOUBLE_EQ(*m.lead_time_seconds, 600);
  d.push_back(dep("Production", "success", "2024-01-01T11:00:00Z", "2024-01-01T10:30:00Z"));
  m = compute_dora(d, at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"));
  ASSERT_TRUE(m.time_to_restore_seconds);
  EXPECT_DOUBLE_EQ(*m.time_to_restore_seconds, 3600);
  EXPECT_EQ(m.lead_time_basis, "mixed");
}

TEST(DoraTest, WeeklySeriesSumsDaysByIsoWeek) {
  // 2026-12-28 (Monday) .. 2027-01-03 (Sunday) is ISO week 2026-W53; 2021-01-03
  // (Sunday) still belongs to 2020-W53; 2024-12-30 (Monday) to 2025-W01.
  std::vector<DoraDay> days = {{"2026-12-27", 1, 0}, {"2026-12-28", 2, 1}, {"2027-01-03", 3, 0},
                               {"2027-01-04", 4, 2}, {"not-a-date", 9, 9}};
  auto weeks = weekly_series(days);
  ASSERT_EQ(weeks.size(), 3u);
  EXPECT_EQ(weeks[0].week, "2026-W52");
  EXPECT_EQ(weeks[0].start_date, "2026-12-21");
  EXPECT_EQ(weeks[0].deployments, 1);
  EXPECT_EQ(weeks[1].week, "2026-W53");
  EXPECT_EQ(weeks[1].start_date, "2026-12-28");
  EXPECT_EQ(weeks[1].deployments, 5);
  EXPECT_EQ(weeks[1].failures, 1);
  EXPECT_EQ(weeks[2].week, "2027-W01");
  EXPECT_EQ(weeks[2].start_date, "2027-01-04");
  EXPECT_EQ(weeks[2].failures, 2);
  EXPECT_EQ(weekly_series({{"2021-01-03", 1, 0}})[0].week, "2020-W53");
  EXPECT_EQ(weekly_series({{"2024-12-30", 1, 0}})[0].week, "2025-W01");
  EXPECT_EQ(weekly_series({{"2024-12-30", 1, 0}})[0].start_date, "2024-12-30");
}

}  // namespace
}  // namespace opz::telemetry
