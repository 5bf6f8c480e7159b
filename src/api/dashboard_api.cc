// GET /api/v1/dashboard/metrics — the control tower's four health metrics
// (seed 000 §5.3; store/dashboard_store.h):
//   {"active_executions": 2, "success_rate_24h": 0.93 | null,
//    "avg_deployment_seconds": 41.5 | null, "pending_approvals": 1}
// null: nothing to measure yet (no execution started in 24 hours, no
// successful execution). Every signed-in user may read it.
#include "api/endpoint.h"
#include "api/routes.h"
#include "core/json_optional.h"
#include "store/dashboard_store.h"

namespace opz::api {

namespace {}  // namespace

Status register_dashboard_routes(http::Router& r, ApiContext& ctx) {
  return add_endpoint(
      r, ctx, "GET", "/api/v1/dashboard/metrics", "dashboard.read",
      [&ctx](http::Request&, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY(store::DashboardMetrics m, store::load_dashboard_metrics(ctx.db, ctx.clock.now()));
        return Reply{200, Json{{"active_executions", m.active_executions},
                               {"success_rate_24h", value_or_null(m.success_rate_24h)},
                               {"avg_deployment_seconds", value_or_null(m.avg_deployment_seconds)},
                               {"pending_approvals", m.pending_approvals}}};
      });
}

}  // namespace opz::api
