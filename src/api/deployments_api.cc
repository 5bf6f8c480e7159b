// Deployments (issue 9; docs/api.md "Deployments"):
//   GET  /api/v1/deployments                               list (project_id, environment, status)
//   GET  /api/v1/deployments/{id}                          one, with its version state, probes, artifact
//   GET  /api/v1/projects/{id}/environments/{name}/history every deployment there, newest first
//   POST /api/v1/deployments/rollback                      {"deployment_id","environment","reason"}
//   POST /functions/v1/rollback-deployment                 the seeds' alias of it
//   POST /api/v1/deployments/{id}/promote                  {"to_environment","reason"?}
//   POST /api/v1/deployments/{id}/continue                 end a canary's pause
//   POST /api/v1/deployments/{id}/abort                    {"reason"}: abort a canary
// Rollbacks and promotions are executions admitted by the one admission path
// (trigger::DeploymentActions): a refusal answers exactly as a refused
// POST /api/v1/executions (422 environment, 403 role, 409 quoting the rule).
// Every request and every refusal is audited.
#include "api/deployment_access.h"
#include "api/deployment_json.h"
#include "api/endpoint.h"
#include "api/execution_json.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "engine/deployment_control.h"
#include "governance/reason_length.h"
#include "store/environment_store.h"
#include "store/execution_history_store.h"
#include "trigger/deployment_actions.h"

namespace opz::api {

namespace {

constexpr int kProbesShown = 100;

// A reason people read in the history and the audit trail: printable, not blank.
Result<std::string> read_reason(const FieldReader& f, bool required) {
  OPZ_TRY(auto reason, f.optional_string("reason", governance::kMaxOperationReasonLength));
  if (!reason) {
    if (required) return Error::validation("'reason' is required", "reason");
    return std::string();
  }
  OPZ_TRY_STATUS(check_printable(*reason, "reason"));
  if (reason->find_first_not_of(" \t") == std::string::npos)
    return Error::validation("'reason' must not be blank", "reason");
  return *reason;
}

class DeploymentRoutes {
 public:
  explicit DeploymentRoutes(ApiContext& ctx)
      : ctx_(ctx), deployments_(ctx.db, ctx.clock), environments_(ctx.db, ctx.clock),
        history_(ctx.db) {}

  Result<Reply> list(http::Request& req) {
    OPZ_TRY(auto page, store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
    store::DeploymentFilter f;
    f.project_id = req.query_or("project_id");
    f.environment = req.query_or("environment");
    f.status = req.query_or("status");
    f.execution_id = req.query_or("execution_id");
    if (!f.status.empty())
      OPZ_TRY_STATUS(check_one_of("status", f.status,
                                  {"pending", "running", "success", "failed", "rolled_back",
                                   "cancelled", "blocked"}));
    OPZ_TRY(auto found, deployments_.list(f, page));
    Json items = Json::array();
    for (const auto& d : found.items) items.push_back(to_json(d));
    return Reply{200, list_body(std::move(items), found.next_cursor)};
  }

  Result<Reply> show(http::Request& req) {
    OPZ_TRY_STATUS(check_id(req.param("id"), "deployment"));
    OPZ_TRY(store::DeploymentRecord d, deployments_.find(req.param("id")));
    Json out = to_json(d);
    OPZ_TRY(auto version, version_state(d));
    out["is_current"] = version.is_current;
    out["marked_bad"] = version.marked_bad;
    OPZ_TRY(auto probes, deployments_.probes(d.id, kProbesShown));
    Json items = Json::array();
    for (const auto& p : probes) items.push_back(to_json(p));
    out["probes"] = std::move(items);
    out["artifact"] = nullptr;
    if (!d.artifact_id.empty() && !d.execution_id.empty()) {
      OPZ_TRY(auto artifacts, history_.artifacts(d.execution_id));
      for (const auto& a : artifacts)
        if (a.id == d.artifact_id) out["artifact"] = to_json(a);
    }
    return Reply{200, std::move(out)};
  }

  Result<Reply> environment_history(http::Request& req) {
    const std::string project_id = req.param("id");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY(auto page, store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
    OPZ_TRY_STATUS(environments_.find(project_id, req.param("name")));
    OPZ_TRY(auto found, deployments_.history(project_id, req.param("name"), page));
    Json items = Json::array();
    for (const auto& item : found.items) items.push_back(history_item_json(item));
    return Reply{200, list_body(std::move(items), found.next_cursor)};
  }

  // The seeds' body; `project_id` optionally pins the target's project.
  Result<Reply> rollback(http::Request& req, const auth::Principal& p, BodyPolicy policy,
                         const char* via) {
    if (!ctx_.admission) return Error::unavailable("the execution engine is not running");
    OPZ_TRY(Json body, parse_json_body(req, policy));
    FieldReader f(body);
    OPZ_TRY_STATUS(f.expect_object());
    OPZ_TRY_STATUS(f.reject_unknown({"deployment_id", "environment", "reason", "project_id"}));
    trigger::RollbackCommand c;
    OPZ_TRY(c.target_deployment_id, f.required_string("deployment_id", 64));
    OPZ_TRY(c.environment, f.required_string("environment", 100));
    OPZ_TRY_STATUS(check_printable(c.environment, "environment"));
    OPZ_TRY(c.reason, read_reason(f, true));
    OPZ_TRY(auto project_id, f.optional_string("project_id", 64));
    c.project_id = project_id.value_or("");
    const std::string target = c.target_deployment_id;
    Json details = {{"rollback_of", target},
                    {"environment", c.environment},
                    {"reason", c.reason},
                    {"via", via}};
    return perform(req, p, std::move(c), "rollback", target, std::move(details),
                   &trigger::DeploymentActions::rollback);
  }

  Result<Reply> promote(http::Request& req, const auth::Principal& p) {
    if (!ctx_.admission) return Error::unavailable("the execution engine is not running");
    OPZ_TRY_STATUS(check_id(req.param("id"), "deployment"));
    OPZ_TRY(Json body, parse_json_body(req));
    FieldReader f(body);
    OPZ_TRY_STATUS(f.expect_object());
    OPZ_TRY_STATUS(f.reject_unknown({"to_environment", "reason"}));
    trigger::PromoteCommand c;
    c.deployment_id = req.param("id");
    OPZ_TRY(c.to_environment, f.required_string("to_environment", 100));
    OPZ_TRY_STATUS(check_printable(c.to_environment, "to_environment"));
    OPZ_TRY(c.reason, read_reason(f, false));
    Json details = {{"promoted_from", c.deployment_id},
                    {"to_environment", c.to_environment},
                    {"reason", c.reason}};
    return perform(req, p, std::move(c), "promotion", req.param("id"), std::move(details),
                   &trigger::DeploymentActions::promote);
  }

  // Continue (end a canary's pause) or abort through the deploy handler.
  Result<Reply> control(http::Request& req, const auth::Principal& p, bool abort) {
    if (!ctx_.deployments) return Error::unavailable("deployments are not running");
    OPZ_TRY_STATUS(check_id(req.param("id"), "deployment"));
    OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kStrictJson, !abort));
    FieldReader f(body);
    OPZ_TRY_STATUS(f.expect_object());
    OPZ_TRY_STATUS(f.reject_unknown(abort ? std::initializer_list<std::string_view>{"reason"}
                                          : std::initializer_list<std::string_view>{}));
    std::string reason;
    if (abort) {
      OPZ_TRY(reason, read_reason(f, true));
    }
    OPZ_TRY(store::DeploymentRecord d, deployments_.find(req.param("id")));
    OPZ_TRY_STATUS(check_environment_role(ctx_, p, d.project_id, d.environment,
                                          auth::Role::kOperator,
                                          abort ? "abort deployments" : "continue deployments"));
    Status done = abort ? ctx_.deployments->abort(d.id, reason) : ctx_.deployments->promote(d.id);
    if (!done.ok()) {
      Error e = done.error();
      if (e.is_not_found()) e.message = "deployment " + d.id + " is not running: " + e.message;
      return e;
    }
    Json details = {{"project_id", d.project_id}, {"environment", d.environment}};
    if (abort) details["reason"] = reason;
    (void)ctx_.audit.record({abort ? "deployment.aborted" : "deployment.continued", "deployment",
                             d.id, p.user_id, std::move(details), req.remote_addr,
                             std::string(req.header("User-Agent"))});
    OPZ_TRY(store::DeploymentRecord after, deployments_.find(d.id));
    return Reply{200, to_json(after)};
  }

 private:
  struct VersionState {
    bool is_current = false;
    bool marked_bad = false;
  };
  // The version row's flags of `d`, from its environment's history (newest
  // first, so the walk stops at `d` or at the first older row).
  Result<VersionState> version_state(const store::DeploymentRecord& d) {
    store::PageRequest page;
    page.limit = 500;
    while (true) {
      OPZ_TRY(auto found, deployments_.history(d.project_id, d.environment, page));
      for (const auto& item : found.items) {
        if (item.deployment.id == d.id) return VersionState{item.is_current, item.marked_bad};
        if (item.deployment.created_at < d.created_at) return VersionState{};
      }
      if (!found.next_cursor) return VersionState{};
      page.cursor = *found.next_cursor;
    }
  }

  // Runs a rollback or promotion by `p`, audited: the request in the new
  // deployment's transaction ("deployment.<kind>_requested"), a refusal on
  // its own ("deployment.<kind>_refused": nothing else was written; a 403 is
  // already audited by add_endpoint as access.denied). 202 with the new
  // deployment.
  template <typename Command>
  Result<Reply> perform(const http::Request& req, const auth::Principal& p, Command c,
                        const std::string& kind, const std::string& target, Json details,
                        Result<trigger::DeploymentActionResult> (trigger::DeploymentActions::*run)(
                            const Command&)) {
    c.actor = p.user_id;
    c.role = p.role;
    c.audit = [&](store::SqlSession& tx, const store::DeploymentRecord& created) -> Status {
      Json d = details;
      d["project_id"] = created.project_id;
      d["version"] = created.version;
      d["execution_id"] = created.execution_id;
      return audit_in(ctx_, req, p, "deployment." + kind + "_requested", "deployment", created.id,
                      std::move(d))(tx);
    };
    trigger::DeploymentActions actions(ctx_.db, *ctx_.admission, ctx_.clock);
    auto done = (actions.*run)(c);
    if (done) return Reply{202, action_json(*done)};
    const Error& e = done.error();
    if (e.code != ErrorCode::kForbidden && e.code != ErrorCode::kInternal &&
        e.code != ErrorCode::kUnavailable) {
      details["error"] = e.message;
      if (!e.field.empty()) details["field"] = e.field;
      (void)ctx_.audit.record({"deployment." + kind + "_refused", "deployment", target, p.user_id,
                               std::move(details), req.remote_addr,
                               std::string(req.header("User-Agent"))});
    }
    return e;
  }

  ApiContext& ctx_;
  store::DeploymentStore deployments_;
  store::EnvironmentStore environments_;
  store::ExecutionHistoryStore history_;
};

}  // namespace

Status register_deployment_routes(http::Router& r, ApiContext& ctx) {
  auto routes = std::make_shared<DeploymentRoutes>(ctx);
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/deployments", "deployments.read",
                              [routes](http::Request& req, const auth::Principal&) {
                                return routes->list(req);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/deployments/{id}", "deployments.read",
                              [routes](http::Request& req, const auth::Principal&) {
                                return routes->show(req);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/projects/{id}/environments/{name}/history",
                              "deployments.read",
                              [routes](http::Request& req, const auth::Principal&) {
                                return routes->environment_history(req);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/api/v1/deployments/rollback",
                              "deployments.rollback",
                              [routes](http::Request& req, const auth::Principal& p) {
                                return routes->rollback(req, p, BodyPolicy::kStrictJson, "api");
                              }));
  // {"deployment_id", "environment", "reason"} (000 §6.2).
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/functions/v1/rollback-deployment",
                              "deployments.rollback",
                              [routes](http::Request& req, const auth::Principal& p) {
                                return routes->rollback(req, p, BodyPolicy::kLenientSeedAlias,
                                                        "rollback-deployment");
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/api/v1/deployments/{id}/promote",
                              "deployments.promote",
                              [routes](http::Request& req, const auth::Principal& p) {
                                return routes->promote(req, p);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/api/v1/deployments/{id}/continue",
                              "deployments.control",
                              [routes](http::Request& req, const auth::Principal& p) {
                                return routes->control(req, p, false);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/api/v1/deployments/{id}/abort",
                              "deployments.control",
                              [routes](http::Request& req, const auth::Principal& p) {
                                return routes->control(req, p, true);
                              }));
  return {};
}

}  // namespace opz::api
