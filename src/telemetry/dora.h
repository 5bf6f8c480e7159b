// DORA metrics (issue 13): pure computation over plain deployment records of
// one project (optionally one environment) in a window. No I/O: the API
// loads the records (store::DoraStore) and answers what compute_dora() says.
//
//   deployment_frequency    successful deployments per day over the window
//   lead_time_seconds       median of commit time -> successful deployment
//   change_failure_rate     (failed + rolled_back) / finished deployments
//   time_to_restore_seconds median of a failed (or rolled-back) deployment's
//                           end -> the next successful deployment's end in the
//                           same environment
// A metric with nothing to measure is absent (std::nullopt), never 0.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace opz::telemetry {

struct DoraDeployment {
  std::string environment;
  std::string status;                   // success | failed | rolled_back | others (ignored)
  TimePoint finished_at;                // completed_at (or created_at when missing)
  std::optional<TimePoint> commit_time; // from the trigger (head_commit.timestamp)
  TimePoint execution_created_at;       // lead-time fallback
};

struct DoraDay {
  std::string date;  // YYYY-MM-DD (UTC)
  int64_t deployments = 0;  // finished
  int64_t failures = 0;
};

// The daily series summed by ISO 8601 week (weeks start on Monday; week 1
// holds the year's first Thursday), for the weekly view of the same window.
struct DoraWeek {
  std::string week;        // "2026-W49"
  std::string start_date;  // that week's Monday, YYYY-MM-DD
  int64_t deployments = 0;
  int64_t failures = 0;
};

struct DoraMetrics {
  double deployment_frequency = 0;
  std::optional<double> lead_time_seconds;
  std::string lead_time_basis;  // commit_time | execution_created | mixed | "" (none)
  std::optional<double> change_failure_rate;
  std::optional<double> time_to_restore_seconds;
  std::vector<DoraDay> series;  // one entry per UTC day the window touches, oldest first
  std::vector<DoraWeek> weekly_series;  // the same days by ISO week, oldest first
};

// `days` (dates YYYY-MM-DD, oldest first) summed by ISO week, oldest first.
// A malformed date is skipped (the days come from compute_dora).
std::vector<DoraWeek> weekly_series(const std::vector<DoraDay>& days);

// `deployments` in any order; only finished ones (success, failed,
// rolled_back) ending in [window_start, now) count. A failure's restore is
// the first success after it in the same environment within the window; a
// failure not yet restored adds nothing to time_to_restore.
DoraMetrics compute_dora(std::vector<DoraDeployment> deployments, TimePoint window_start,
                         TimePoint now);

}  // namespace opz::telemetry
