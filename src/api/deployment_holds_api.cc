// Rollback holds and a project's lifecycle (issue 9; docs/api.md
// "Deployments"):
//   GET    /api/v1/projects/{id}/environments/{name}/hold   the active hold (404: none)
//   DELETE /api/v1/projects/{id}/environments/{name}/hold   release it (operator+, and the
//                                                           environment's required role)
//   GET    /api/v1/projects/{id}/holds?active=true          every hold, newest first
//   GET    /api/v1/projects/{id}/lifecycle                  {"phases": [...]}
//   PUT    /api/v1/projects/{id}/lifecycle                  replace it (admin)
// A hold stops automatic deploys after a rollback marked a version bad; the
// admission path reads it. Releasing it, or changing the lifecycle, wakes
// admission (held executions may go). Every change is audited in its
// transaction.
#include <set>

#include "api/deployment_access.h"
#include "api/deployment_json.h"
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "store/environment_store.h"
#include "trigger/admission.h"

namespace opz::api {

namespace {

constexpr size_t kMaxPhases = 100;

class HoldRoutes {
 public:
  explicit HoldRoutes(ApiContext& ctx)
      : ctx_(ctx), deployments_(ctx.db, ctx.clock), environments_(ctx.db, ctx.clock) {}

  Result<Reply> show_hold(http::Request& req) {
    const std::string project_id = req.param("id");
    const std::string name = req.param("name");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY_STATUS(environments_.find(project_id, name));
    OPZ_TRY(auto hold, deployments_.active_hold(project_id, name));
    if (!hold) return Error::not_found(name + " has no active hold");
    return Reply{200, to_json(*hold)};
  }

  Result<Reply> release_hold(http::Request& req, const auth::Principal& p) {
    const std::string project_id = req.param("id");
    const std::string name = req.param("name");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY_STATUS(environments_.find(project_id, name));
    OPZ_TRY_STATUS(check_environment_role(ctx_, p, project_id, name, auth::Role::kOperator,
                                          "release holds"));
    OPZ_TRY(auto hold, deployments_.active_hold(project_id, name));
    if (!hold) return Error::not_found(name + " has no active hold");
    OPZ_TRY(auto released,
            deployments_.release_hold(
                project_id, name, p.user_id,
                audit_in(ctx_, req, p, "deployment_hold.released", "deployment_hold", hold->id,
                         Json{{"project_id", project_id},
                              {"environment", name},
                              {"version_tag", hold->version_tag},
                              {"deployment_id", hold->deployment_id}})));
    reevaluate();
    return Reply{200, to_json(released)};
  }

  Result<Reply> list_holds(http::Request& req) {
    const std::string project_id = req.param("id");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    const std::string active = req.query_or("active");
    if (!active.empty()) OPZ_TRY_STATUS(check_one_of("active", active, {"true", "false"}));
    OPZ_TRY_STATUS(ctx_.projects.find_project(project_id));
    OPZ_TRY(auto holds, deployments_.holds(project_id, active == "true"));
    Json items = Json::array();
    for (const auto& h : holds) items.push_back(to_json(h));
    return Reply{200, list_body(std::move(items), std::nullopt)};
  }

  Result<Reply> show_lifecycle(http::Request& req) {
    const std::string project_id = req.param("id");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY_STATUS(ctx_.projects.find_project(project_id));
    OPZ_TRY(auto phases, deployments_.lifecycle(project_id));
    return Reply{200, lifecycle_json(project_id, phases)};
  }

  Result<Reply> set_lifecycle(http::Request& req, const auth::Principal& p) {
    const std::string project_id = req.param("id");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY(Json body, parse_json_body(req));
    FieldReader f(body);
    OPZ_TRY_STATUS(f.expect_object());
    OPZ_TRY_STATUS(f.reject_unknown({"phases"}));
    OPZ_TRY(auto states, environments_.load(project_id));
    std::set<std::string> known;
    for (const auto& s : states) known.insert(s.environment.name);
    OPZ_TRY(auto phases, read_phases(f, known));
    Json details = {{"project_id", project_id}, {"phases", lifecycle_json(project_id, phases)["phases"]}};
    OPZ_TRY_STATUS(deployments_.set_lifecycle(
        project_id, phases,
        audit_in(ctx_, req, p, "lifecycle.updated", "project", project_id, std::move(details))));
    reevaluate();
    OPZ_TRY(auto stored, deployments_.lifecycle(project_id));
    return Reply{200, lifecycle_json(project_id, stored)};
  }

 private:
  // [{"environment", "soak_seconds"?}], each environment of the project and
  // at most once; positions are the array's order.
  static Result<std::vector<store::LifecyclePhaseRecord>> read_phases(
      const FieldReader& f, const std::set<std::string>& known) {
    const Json* phases = f.get("phases");
    if (!phases) return Error::validation("'phases' is required", "phases");
    if (!phases->is_array())
      return Error::validation("phases must be an array of {environment, soak_seconds}", "phases");
    if (phases->size() > kMaxPhases)
      return Error::validation("a lifecycle has at most " + std::to_string(kMaxPhases) + " phases",
                               "phases");
    std::vector<store::LifecyclePhaseRecord> out;
    std::set<std::string> seen;
    for (size_t i = 0; i < phases->size(); ++i) {
      const std::string at = "phases[" + std::to_string(i) + "]";
      FieldReader phase((*phases)[i], at);
      OPZ_TRY_STATUS(phase.expect_object());
      OPZ_TRY_STATUS(phase.reject_unknown({"environment", "soak_seconds"}));
      store::LifecyclePhaseRecord r;
      r.position = static_cast<int>(i);
      OPZ_TRY(r.environment, phase.required_string("environment", 100));
      if (!known.count(r.environment))
        return Error::validation("the project has no environment '" + r.environment + "'",
                                 at + ".environment");
      if (!seen.insert(r.environment).second)
        return Error::validation(r.environment + " appears twice in the lifecycle",
                                 at + ".environment");
      OPZ_TRY(auto soak, phase.optional_int("soak_seconds", 0, int64_t{10} * 365 * 24 * 3600));
      r.soak_seconds = soak.value_or(0);
      out.push_back(std::move(r));
    }
    return out;
  }

  void reevaluate() {
    if (ctx_.admission) ctx_.admission->reevaluate_all();
  }

  ApiContext& ctx_;
  store::DeploymentStore deployments_;
  store::EnvironmentStore environments_;
};

}  // namespace

Status register_deployment_hold_routes(http::Router& r, ApiContext& ctx) {
  auto routes = std::make_shared<HoldRoutes>(ctx);
  const std::string hold = "/api/v1/projects/{id}/environments/{name}/hold";
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", hold, "holds.read",
                              [routes](http::Request& req, const auth::Principal&) {
                                return routes->show_hold(req);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "DELETE", hold, "holds.release",
                              [routes](http::Request& req, const auth::Principal& p) {
                                return routes->release_hold(req, p);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/projects/{id}/holds", "holds.read",
                              [routes](http::Request& req, const auth::Principal&) {
                                return routes->list_holds(req);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/projects/{id}/lifecycle", "lifecycle.read",
                              [routes](http::Request& req, const auth::Principal&) {
                                return routes->show_lifecycle(req);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "PUT", "/api/v1/projects/{id}/lifecycle", "lifecycle.manage",
                              [routes](http::Request& req, const auth::Principal& p) {
                                return routes->set_lifecycle(req, p);
                              }));
  return {};
}

}  // namespace opz::api
