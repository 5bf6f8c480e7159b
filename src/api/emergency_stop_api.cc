// The emergency stop (issue 8; docs/api.md "Emergency stop"):
//   GET    /api/v1/emergency-stop   {"active", "reason", "by", "since", "mode", ...} (everyone)
//   POST   /api/v1/emergency-stop   {"reason", "mode": "let_finish" | "cancel"} (admin): 201;
//                                   409 while one is active
//   DELETE /api/v1/emergency-stop   lift it (admin): 200 with the lifted stop; 409 when none
// While active, every deployment of every project waits (governance::admit's
// emergency_stop rule); lifting it re-runs admission.
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "store/emergency_stop_store.h"
#include "trigger/admission.h"

namespace opz::api {

namespace {

Json text_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json stop_json(const std::optional<store::EmergencyStopRecord>& stop) {
  if (!stop)
    return Json{{"active", false}, {"id", nullptr},        {"reason", nullptr},
                {"by", nullptr},   {"since", nullptr},     {"mode", nullptr},
                {"lifted_by", nullptr}, {"lifted_at", nullptr}};
  return Json{{"active", stop->lifted_at.empty()},
              {"id", stop->id},
              {"reason", stop->reason},
              {"by", text_or_null(stop->activated_by)},
              {"since", stop->activated_at},
              {"mode", stop->mode},
              {"lifted_by", text_or_null(stop->lifted_by)},
              {"lifted_at", text_or_null(stop->lifted_at)}};
}

store::EmergencyStopAlso audit(ApiContext& ctx, const http::Request& req,
                               const auth::Principal& p, const char* action) {
  return [&ctx, &req, &p, action](store::SqlSession& tx,
                                  const store::EmergencyStopRecord& stop) -> Status {
    return ctx.audit.record_in(tx, {action, "emergency_stop", stop.id, p.user_id, stop_json(stop),
                                    req.remote_addr, std::string(req.header("User-Agent"))});
  };
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
        OPZ_TRY(std::string reason, f.required_string("reason", 500));
        OPZ_TRY_STATUS(check_printable(reason, "reason"));
        if (reason.find_first_not_of(" \t") == std::string::npos)
          return Error::validation("an emergency stop needs a reason", "reason");
        OPZ_TRY(auto mode, f.optional_string("mode", 16));
        OPZ_TRY_STATUS(check_one_of("mode", mode.value_or("let_finish"), {"let_finish", "cancel"}));
        OPZ_TRY(auto stop, stops->activate(reason, mode.value_or("let_finish"), p.user_id,
                                           audit(ctx, req, p, "emergency_stop.activated")));
        if (ctx.admission) ctx.admission->reevaluate_all();
        return Reply{201, stop_json(stop)};
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
