// The control tower's health metrics (seed 000 §5.3 "Health Check Dashboard
// Metrics"), each the seeds' query:
//   active_executions       executions with status 'running'
//   success_rate_24h        successes / all executions started in the last
//                           24 hours (nullopt when none started)
//   avg_deployment_seconds  mean completed_at - started_at of successful
//                           executions (nullopt when there are none)
//   pending_approvals       approval requests with status 'pending'
// One read transaction, so the four numbers describe one moment.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct DashboardMetrics {
  int64_t active_executions = 0;
  std::optional<double> success_rate_24h;  // 0..1
  std::optional<double> avg_deployment_seconds;
  int64_t pending_approvals = 0;
};

Result<DashboardMetrics> load_dashboard_metrics(Database& db, TimePoint now);

}  // namespace opz::store
