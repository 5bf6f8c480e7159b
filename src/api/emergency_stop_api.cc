// The emergency stop (issue 8; docs/api.md "Emergency stop"):
//   GET    /api/v1/emergency-stop   {"active", "reason", "by", "since", "mode", ...} (everyone)
//   POST   /api/v1/emergency-stop   {"reason", "mode": "let_finish" | "cancel"} (admin): 201;
//                                   409 while one is active
//   DELETE /api/v1/emergency-stop   lift it (admin): 200 with the lifted stop; 409 when none
// While active, every deployment of every project waits (governance::admit's
// emergency_stop rule); lifting it re-runs admission. Mode 'let_finish' lets
// deployments already admitted run to their end; mode 'cancel' also cancels
// every one of them (running, idle, or paused at a node gate; never CI-only
// ones, never held ones, which wait for the lift) through the engine, with
// the reason "emergency stop: <reason>", each audited; the 201 answer lists
// them in "cancelled_executions".
#include <spdlog/spdlog.h>

#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/json_optional.h"
#include "engine/engine.h"
#include "governance/reason_length.h"
#include "store/emergency_stop_store.h"
#include "trigger/admission.h"

namespace opz::api {

namespace {

Json stop_json(const std::optional<store::EmergencyStopRecord>& stop) {
  if (!stop)
    return Json{{"active", false},      {"id", nullptr},       {"reason", nullptr},
                {"by", nullptr},        {"since", nullptr},    {"mode", nullptr},
                {"lifted_by", nullptr}, {"lifted_at", nullptr}};
  return Json{{"active", stop->lifted_at.empty()},
              {"id", stop->id},
              {"reason", stop->reason},
              {"by", string_or_null(stop->activated_by)},
              {"since", stop->activated_at},
              {"mode", stop->mode},
              {"lifted_by", string_or_null(stop->lifted_by)},
              {"lifted_at", string_or_null(stop->lifted_at)}};
}

store::EmergencyStopAlso audit(ApiContext& ctx, const http::Request& req, const auth::Principal& p,
                               const char* action) {
  return [&ctx, &req, &p, action](store::SqlSession& tx,
                                  const store::EmergencyStopRecord& stop) -> Status {
    return ctx.audit.record_in(tx, {action, "emergency_stop", stop.id, p.user_id, stop_json(stop),
                                    req.remote_addr, std::string(req.header("User-Agent"))});
  };
}

// Mode 'cancel': every admitted deployment in flight is cancelled. One that
// ends by itself meanwhile answers kConflict and is skipped.
Result<Json> cancel_in_flight(ApiContext& ctx, const http::Request& req, const auth::Principal& p,
                              const store::EmergencyStopRecord& stop) {
  Json cancelled = Json::array();
  if (!ctx.engine || !ctx.executions) {
    // The stop itself is stored (nothing new starts); say what was not done.
    spdlog::warn("emergency stop {}: no execution engine here, nothing was cancelled", stop.id);
    return cancelled;
  }
  OPZ_TRY(auto in_flight, ctx.executions->list_admitted_deployments());
  const std::string reason = "emergency stop: " + stop.reason;
  for (const store::ExecutionRecord& e : in_flight) {
    Status st = ctx.engine->cancel(e.id, reason, p.user_id);
    if (!st.ok()) {
      if (!st.error().is_conflict())
        spdlog::warn("emergency stop: cannot cancel {}: {}", e.id, st.error().to_string());
      continue;
    }
    (void)ctx.audit.record({"execution.cancelled", "execution", e.id, p.user_id,
                            Json{{"reason", reason}, {"emergency_stop_id", stop.id}},
                            req.remote_addr, std::string(req.header("User-Agent"))});
    cancelled.push_back(e.id);
  }
  return cancelled;
}

}  // namespace

Status register_emergency_stop_routes(http::Router& r, ApiContext& ctx) {
  auto stops = std::make_shared<store::EmergencyStopStore>(ctx.db, ctx.clock);
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/emergency-stop", "emergency_stop.read",
                              [stops](http::Request&, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY(auto active, stops->active());
                                return Reply{200, stop_json(active)};
                              }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/emergency-stop", "emergency_stop.manage",
      [stops, &ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.expect_object());
        OPZ_TRY_STATUS(f.reject_unknown({"reason", "mode"}));
        OPZ_TRY(std::string reason,
                f.required_string("reason", governance::kMaxGovernanceReasonLength));
        OPZ_TRY_STATUS(check_printable(reason, "reason"));
        if (reason.find_first_not_of(" \t") == std::string::npos)
          return Error::validation("an emergency stop needs a reason", "reason");
        OPZ_TRY(auto mode, f.optional_string("mode", 16));
        OPZ_TRY_STATUS(check_one_of("mode", mode.value_or("let_finish"), {"let_finish", "cancel"}));
        OPZ_TRY(auto stop, stops->activate(reason, mode.value_or("let_finish"), p.user_id,
                                           audit(ctx, req, p, "emergency_stop.activated")));
        if (ctx.admission) ctx.admission->reevaluate_all();
        Json answer = stop_json(stop);
        if (stop.mode == "cancel") {
          OPZ_TRY(answer["cancelled_executions"], cancel_in_flight(ctx, req, p, stop));
        }
        return Reply{201, answer};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/emergency-stop", "emergency_stop.manage",
      [stops, &ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(auto stop, stops->lift(p.user_id, audit(ctx, req, p, "emergency_stop.lifted")));
        if (ctx.admission) ctx.admission->reevaluate_all();
        return Reply{200, stop_json(stop)};
      }));
  return {};
}

}  // namespace opz::api
