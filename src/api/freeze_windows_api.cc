// Freeze windows (issue 8; docs/api.md "Freeze windows"), in three scopes:
//   /api/v1/projects/{id}/environments/{name}/freeze-windows   one environment
//   /api/v1/projects/{id}/freeze-windows                       every environment of a project
//   /api/v1/freeze-windows                                     everything
// each with GET (list), POST (admin: create, 201 with the window) and
// DELETE …/{wid} (admin, 204). A body is one of
//   {"start", "end", "timezone", "reason"}               absolute (ISO 8601 local times)
//   {"cron", "duration", "timezone", "reason"}           duration "2h", "90m" or seconds
//   {"weekdays": ["sat", "sun"], "start_time", "end_time", "timezone", "reason"}
// ("kind" may name the form; "timezone" defaults to UTC). Malformed values
// are 422 naming the field; an absolute window overlapping another absolute
// window of the same scope, or a recurring window identical to one of the
// same scope, is 409 naming "start" / "cron" / "weekdays": nothing is written.
#include "api/endpoint.h"
#include "api/freeze_window_json.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/quantity.h"
#include "governance/reason_length.h"
#include "store/environment_store.h"
#include "store/freeze_window_store.h"
#include "trigger/admission.h"
#include "trigger/governance_records.h"

namespace opz::api {

namespace {

struct Scope {
  std::string project_id;   // empty: global
  std::string environment;  // empty: the whole project (or global)
};

// Seconds of a "duration" value: "2h", "90m", "1h30m", or a number of seconds.
Result<int64_t> read_duration(const Json& j) {
  if (j.is_number_integer()) {
    const int64_t s = j.get<int64_t>();
    if (s <= 0) return Error::validation("duration must be positive", "duration");
    return s;
  }
  if (!j.is_string())
    return Error::validation("duration must be like \"2h\" or a number of seconds", "duration");
  auto d = parse_duration(j.get<std::string>());
  if (!d) return Error::validation("duration: " + d.error().message, "duration");
  return std::chrono::duration_cast<std::chrono::seconds>(*d).count();
}

Result<store::FreezeWindowRecord> read_window(const Json& body, const Scope& scope) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(f.reject_unknown({"kind", "start", "end", "cron", "duration", "weekdays",
                                   "start_time", "end_time", "timezone", "reason"}));
  store::FreezeWindowRecord w;
  w.project_id = scope.project_id;
  w.environment = scope.environment;
  OPZ_TRY(auto kind, f.optional_string("kind", 16));
  w.kind = kind ? *kind : body.contains("cron") ? "cron" : body.contains("weekdays") ? "weekly"
                                                                                     : "absolute";
  OPZ_TRY_STATUS(check_one_of("kind", w.kind, {"absolute", "weekly", "cron"}));
  OPZ_TRY(auto zone, f.optional_string("timezone", 64));
  w.timezone = zone.value_or("UTC");
  OPZ_TRY(w.reason, f.required_string("reason", governance::kMaxGovernanceReasonLength));
  OPZ_TRY_STATUS(check_printable(w.reason, "reason"));
  if (w.kind == "absolute") {
    OPZ_TRY(w.start_local, f.required_string("start", 64));
    OPZ_TRY(w.end_local, f.required_string("end", 64));
  } else if (w.kind == "weekly") {
    const Json* days = f.get("weekdays");
    if (!days || !days->is_array())
      return Error::validation("weekdays must be an array like [\"sat\", \"sun\"]", "weekdays");
    for (size_t i = 0; i < days->size(); ++i) {
      if (!(*days)[i].is_string())
        return Error::validation("weekdays[" + std::to_string(i) + "] must be a string",
                                 "weekdays[" + std::to_string(i) + "]");
      w.weekdays.push_back((*days)[i].get<std::string>());
    }
    OPZ_TRY(w.start_time, f.required_string("start_time", 8));
    OPZ_TRY(w.end_time, f.required_string("end_time", 8));
  } else {
    OPZ_TRY(w.cron, f.required_string("cron", 200));
    const Json* duration = f.get("duration");
    if (!duration) return Error::validation("'duration' is required", "duration");
    OPZ_TRY(w.duration_seconds, read_duration(*duration));
  }
  // Validate with governance's rules, then store the normalised text.
  OPZ_TRY(governance::ZonedFreezeWindow compiled, trigger::compile_freeze_window(w));
  store::FreezeWindowRecord normalised = trigger::to_record(compiled.window());
  normalised.project_id = w.project_id;
  normalised.environment = w.environment;
  return normalised;
}

// 409 when `candidate` overlaps (absolute) or repeats (recurring) a window of
// the same scope.
Status check_overlap(const store::FreezeWindowRecord& candidate,
                     const std::vector<store::FreezeWindowRecord>& same_scope) {
  auto mine = trigger::compile_freeze_window(candidate);
  if (!mine) return mine.error();
  const auto& zone = mine->zone();
  for (const auto& other : same_scope) {
    if (other.kind != candidate.kind) continue;
    if (candidate.kind == "absolute") {
      auto theirs = trigger::compile_freeze_window(other);
      if (!theirs) continue;
      const auto a0 = zone.to_utc(mine->window().start), a1 = zone.to_utc(mine->window().end);
      const auto b0 = theirs->zone().to_utc(theirs->window().start);
      const auto b1 = theirs->zone().to_utc(theirs->window().end);
      if (a0 < b1 && b0 < a1)
        return Error::conflict("overlaps freeze window " + other.id + " (" + other.start_local +
                                   " to " + other.end_local + " " + other.timezone + ": " +
                                   other.reason + ")",
                               "start");
    } else if (other.timezone == candidate.timezone && other.cron == candidate.cron &&
               other.duration_seconds == candidate.duration_seconds &&
               other.weekdays == candidate.weekdays && other.start_time == candidate.start_time &&
               other.end_time == candidate.end_time) {
      return Error::conflict("repeats freeze window " + other.id + " (" + other.reason + ")",
                             candidate.kind == "cron" ? "cron" : "weekdays");
    }
  }
  return {};
}

class FreezeWindowRoutes {
 public:
  explicit FreezeWindowRoutes(ApiContext& ctx)
      : ctx_(ctx), envs_(ctx.db, ctx.clock), windows_(ctx.db, ctx.clock) {}

  Result<Reply> list(http::Request& req) {
    OPZ_TRY(Scope scope, scope_of(req));
    OPZ_TRY(auto windows, windows_.list_scope(scope.project_id, scope.environment));
    Json items = Json::array();
    const TimePoint now = ctx_.clock.now();
    for (const auto& w : windows) items.push_back(freeze_window_json(w, now));
    return Reply{200, Json{{"items", std::move(items)}}};
  }

  Result<Reply> create(http::Request& req, const auth::Principal& p) {
    OPZ_TRY(Scope scope, scope_of(req));
    OPZ_TRY(Json body, parse_json_body(req));
    OPZ_TRY(store::FreezeWindowRecord window, read_window(body, scope));
    window.created_by = p.user_id;
    OPZ_TRY(auto created,
            windows_.create(
                window,
                [&](const std::vector<store::FreezeWindowRecord>& same) {
                  return check_overlap(window, same);
                },
                audit(req, p, "freeze_window.created")));
    reevaluate();
    return Reply{201, freeze_window_json(created, ctx_.clock.now())};
  }

  Result<Reply> remove(http::Request& req, const auth::Principal& p) {
    OPZ_TRY(Scope scope, scope_of(req));
    const std::string id = req.param("wid");
    OPZ_TRY_STATUS(check_id(id, "freeze window"));
    OPZ_TRY_STATUS(windows_.remove(id, scope.project_id, scope.environment,
                                   audit(req, p, "freeze_window.deleted")));
    reevaluate();
    return Reply{204, {}};
  }

 private:
  // The route's scope; 404 for an unknown project or environment.
  Result<Scope> scope_of(const http::Request& req) {
    Scope scope;
    scope.project_id = req.param("id");
    scope.environment = req.param("name");
    if (scope.project_id.empty()) return scope;
    OPZ_TRY_STATUS(check_id(scope.project_id, "project"));
    if (scope.environment.empty()) {
      OPZ_TRY_STATUS(ctx_.projects.find_project(scope.project_id));
    } else {
      OPZ_TRY_STATUS(envs_.find(scope.project_id, scope.environment));
    }
    return scope;
  }

  store::FreezeWindowAlso audit(const http::Request& req, const auth::Principal& p,
                                std::string action) {
    return [this, &req, &p, action = std::move(action)](
               store::SqlSession& tx, const store::FreezeWindowRecord& w) -> Status {
      return ctx_.audit.record_in(
          tx, {action, "freeze_window", w.id, p.user_id, freeze_window_json(w, ctx_.clock.now()),
               req.remote_addr, std::string(req.header("User-Agent"))});
    };
  }

  void reevaluate() {
    if (ctx_.admission) ctx_.admission->reevaluate_all();
  }

  ApiContext& ctx_;
  store::EnvironmentStore envs_;
  store::FreezeWindowStore windows_;
};

}  // namespace

Status register_freeze_window_routes(http::Router& r, ApiContext& ctx) {
  auto routes = std::make_shared<FreezeWindowRoutes>(ctx);
  for (const std::string base : {"/api/v1/projects/{id}/environments/{name}/freeze-windows",
                                 "/api/v1/projects/{id}/freeze-windows", "/api/v1/freeze-windows"}) {
    OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", base, "freeze_windows.read",
                                [routes](http::Request& req, const auth::Principal&) {
                                  return routes->list(req);
                                }));
    OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", base, "freeze_windows.manage",
                                [routes](http::Request& req, const auth::Principal& p) {
                                  return routes->create(req, p);
                                }));
    OPZ_TRY_STATUS(add_endpoint(r, ctx, "DELETE", base + "/{wid}", "freeze_windows.manage",
                                [routes](http::Request& req, const auth::Principal& p) {
                                  return routes->remove(req, p);
                                }));
  }
  return {};
}

}  // namespace opz::api
