#include "store/dashboard_store.h"

#include <chrono>

#include "core/time_format.h"

namespace opz::store {

Result<DashboardMetrics> load_dashboard_metrics(Database& db, TimePoint now) {
  const std::string since = format_time(now - std::chrono::hours(24));
  return db.read([&](SqlSession& s) -> Result<DashboardMetrics> {
    DashboardMetrics m;
    // Times are stored as fixed-width ISO 8601 UTC text: text order is time order.
    OPZ_TRY(Rows rows,
            s.query("SELECT "
                    "(SELECT COUNT(*) FROM executions WHERE status = 'running'), "
                    "(SELECT COUNT(*) FROM executions WHERE started_at > $1), "
                    "(SELECT COUNT(*) FROM executions WHERE started_at > $1 "
                    "   AND status = 'success'), "
                    // The seeds' AVG over every successful execution, kept
                    // as a running sum by migration 013's triggers.
                    "(SELECT CASE WHEN success_count > 0 "
                    "   THEN success_seconds / success_count END FROM execution_stats), "
                    "(SELECT COUNT(*) FROM approval_requests WHERE status = 'pending')",
                    {since}));
    const Row& r = rows.rows.at(0);
    m.active_executions = r[0].as_int();
    if (const int64_t started = r[1].as_int(); started > 0)
      m.success_rate_24h = static_cast<double>(r[2].as_int()) / static_cast<double>(started);
    if (!r[3].is_null()) m.avg_deployment_seconds = r[3].as_real();
    m.pending_approvals = r[4].as_int();
    return m;
  });
}

}  // namespace opz::store
