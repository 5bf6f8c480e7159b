// The seeds' edge functions, reachable as POST /functions/v1/<name> with the
// seeds' bodies, so their curl examples work with only the host changed. Each
// alias shares its implementation with the /api/v1 route. They accept curl's
// default form content type (the seeds' examples send JSON with -d and no
// Content-Type).
#include "api/endpoint.h"
#include "api/execution_json.h"
#include "api/execution_requests.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "governance/reason_length.h"

namespace opz::api {

Status register_seed_function_routes(http::Router& r, ApiContext& ctx) {
  // {"flow_template_id", "environment"} (000 "Trigger manual pipeline execution").
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/functions/v1/pipeline-execute", "executions.start",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        if (!ctx.engine) return Error::unavailable("the execution engine is not running");
        OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
        OPZ_TRY(trigger::AdmissionRequest n, read_start_request(ctx, body, p));
        OPZ_TRY(store::ExecutionRecord e,
                start_execution(ctx, std::move(n), p, req, "pipeline-execute"));
        Json out = to_json(e);
        out["execution_id"] = e.id;
        return Reply{201, out};
      }));
  // {"execution_id", "reason"} (000 "Cancel running execution").
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/functions/v1/execution-cancel", "executions.cancel",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"execution_id", "reason"}));
        OPZ_TRY(std::string id, f.required_string("execution_id", 64));
        OPZ_TRY(auto reason, f.optional_string("reason", governance::kMaxOperationReasonLength));
        return cancel_execution(ctx, id, reason.value_or("cancelled by " + p.email), p,
                                req.remote_addr);
      }));
  // {"checkpoint_id", "execution_id"} (000 §6.1).
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/functions/v1/rerun-from-checkpoint", "executions.rerun",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"checkpoint_id", "execution_id", "failed_only"}));
        OPZ_TRY(auto checkpoint, f.optional_string("checkpoint_id", 64));
        OPZ_TRY(auto failed_only, f.optional_bool("failed_only"));
        OPZ_TRY(auto execution_id, f.optional_string("execution_id", 64));
        std::string id = execution_id.value_or("");
        if (id.empty() && checkpoint && ctx.history) {
          auto c = ctx.history->find_checkpoint(*checkpoint);
          if (!c) return Error::validation("no checkpoint with id " + *checkpoint, "checkpoint_id");
          id = c->execution_id;
        }
        if (id.empty()) return Error::validation("'execution_id' is required", "execution_id");
        return rerun_execution(ctx, id, checkpoint.value_or(""), failed_only.value_or(false), p,
                               req.remote_addr);
      }));
  // {"execution_id", "node_id", "after"?}
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/functions/v1/fetch-node-logs", "executions.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"execution_id", "node_id", "after", "limit"}));
        OPZ_TRY(std::string id, f.required_string("execution_id", 64));
        OPZ_TRY(std::string node, f.required_string("node_id", 200));
        OPZ_TRY(auto after, f.optional_int("after", 0, INT64_MAX));
        OPZ_TRY(auto limit, f.optional_int("limit", 1, 10000));
        return node_logs_reply(ctx, id, node, after ? std::to_string(*after) : "",
                               limit ? std::to_string(*limit) : "");
      }));
  return {};
}

}  // namespace opz::api
