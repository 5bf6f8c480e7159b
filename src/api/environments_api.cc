// Environments of a project and their locks (issue 8; docs/api.md
// "Environments"):
//   GET    /api/v1/projects/{id}/environments               every environment, in order
//   POST   /api/v1/projects/{id}/environments               add one (admin)
//   PATCH  /api/v1/projects/{id}/environments/{name}        change its rules or name (admin)
//   PUT    /api/v1/projects/{id}/environments/{name}/lock   {"reason"}: lock
//   DELETE /api/v1/projects/{id}/environments/{name}/lock   unlock
//   POST   /functions/v1/create-environment  {"project_id", "name", ...rules}: the
//          seeds' alias of the POST above
// Names are exact in paths (an unknown one is 404); new names pass
// governance::validate_environment_name (look-alikes refused) and are unique
// per project ignoring case (409). Locks follow 000 §7.2: operators lock and
// unlock environments whose required role is not admin, admins all.
#include "api/endpoint.h"
#include "api/freeze_window_json.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/ids.h"
#include "core/json_optional.h"
#include "governance/reason_length.h"
#include "store/environment_store.h"
#include "store/freeze_window_store.h"
#include "trigger/admission.h"
#include "trigger/governance_records.h"

namespace opz::api {

namespace {

Json environment_json(const store::EnvironmentState& s, const Json& freeze_windows) {
  const store::EnvironmentRecord& e = s.environment;
  const store::EnvironmentLockRecord& l = s.lock;
  Json reviewers = Json::array();
  for (const auto& r : e.reviewers) reviewers.push_back(Json{{"kind", r.kind}, {"id", r.id}});
  return Json{{"id", e.id},
              {"project_id", e.project_id},
              {"name", e.name},
              {"position", e.position},
              {"is_locked", l.is_locked},
              {"lock_reason", string_or_null(l.lock_reason)},
              {"locked_by", string_or_null(l.locked_by)},
              {"locked_at", string_or_null(l.locked_at)},
              {"unlocked_by", string_or_null(l.unlocked_by)},
              {"unlocked_at", string_or_null(l.unlocked_at)},
              {"lock_role", string_or_null(l.required_role)},
              {"required_role", e.required_role},
              {"requires_approval", e.requires_approval},
              {"required_approvals", e.required_approvals},
              {"reviewers", std::move(reviewers)},
              {"wait_timer_seconds", e.wait_timer_seconds},
              {"prevent_self_approval", e.prevent_self_approval},
              {"restrict_refs", e.restrict_refs},
              {"allowed_branches", e.allowed_branches},
              {"allowed_tags", e.allowed_tags},
              {"auto_deploy", e.auto_deploy},
              {"approval_expiry_seconds", e.approval_expiry_seconds},
              {"queue_mode", e.queue_mode},
              {"freeze_windows", freeze_windows},
              {"created_at", e.created_at},
              {"updated_at", e.updated_at}};
}

class EnvironmentRoutes {
 public:
  explicit EnvironmentRoutes(ApiContext& ctx)
      : ctx_(ctx), envs_(ctx.db, ctx.clock), windows_(ctx.db, ctx.clock) {}

  Result<Reply> list(http::Request& req) {
    const std::string project_id = req.param("id");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY(auto states, envs_.load(project_id));
    OPZ_TRY(auto windows, windows_.for_project(project_id));
    Json items = Json::array();
    for (const auto& s : states) items.push_back(with_windows(s, windows));
    return Reply{200, Json{{"items", std::move(items)}}};
  }

  Result<Reply> create(http::Request& req, const auth::Principal& p) {
    const std::string project_id = req.param("id");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY(Json body, parse_json_body(req));
    return create_in(project_id, std::move(body), req, p);
  }

  // The seeds' POST /functions/v1/create-environment: the body names the
  // project ({"project_id", "name", ...rules}); curl's default content type
  // is accepted like the other seed aliases.
  Result<Reply> create_from_seed_body(http::Request& req, const auth::Principal& p) {
    OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
    if (!body.is_object()) return Error::validation("the body must be a JSON object", "");
    const auto it = body.find("project_id");
    if (it == body.end() || !it->is_string())
      return Error::validation("'project_id' is required", "project_id");
    const std::string project_id = it->get<std::string>();
    if (!is_uuid(project_id))
      return Error::validation("no project with id " + project_id, "project_id");
    body.erase("project_id");
    return create_in(project_id, std::move(body), req, p);
  }

  Result<Reply> create_in(const std::string& project_id, Json body, http::Request& req,
                          const auth::Principal& p) {
    if (!body.contains("name")) return Error::validation("'name' is required", "name");
    governance::EnvironmentProtection rules;
    OPZ_TRY_STATUS(apply_fields(body, rules));
    OPZ_TRY_STATUS(governance::validate_protection(rules));
    OPZ_TRY_STATUS(check_reviewers_exist(rules.reviewers));
    store::EnvironmentRecord record = trigger::to_record(rules);
    if (!body.contains("position")) record.position = -1;  // after the last
    OPZ_TRY(auto created, envs_.create(project_id, std::move(record),
                                       audit(req, p, "environment.created", changes_of(body))));
    reevaluate();
    return Reply{201, with_windows(created)};
  }

  Result<Reply> patch(http::Request& req, const auth::Principal& p) {
    const std::string project_id = req.param("id");
    const std::string name = req.param("name");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY(Json body, parse_json_body(req));
    OPZ_TRY(auto updated, envs_.update(
                              project_id, name,
                              [&](store::EnvironmentRecord& record) -> Status {
                                // The lock is the lock routes' business: judged unlocked here.
                                auto rules = trigger::to_protection(record, {});
                                OPZ_TRY_STATUS(apply_fields(body, rules));
                                OPZ_TRY_STATUS(governance::validate_protection(rules));
                                OPZ_TRY_STATUS(check_reviewers_exist(rules.reviewers));
                                record = trigger::to_record(rules, record);
                                return {};
                              },
                              audit(req, p, "environment.updated", changes_of(body, name))));
    reevaluate();
    return Reply{200, with_windows(updated)};
  }

  Result<Reply> lock(http::Request& req, const auth::Principal& p) {
    const std::string project_id = req.param("id");
    const std::string name = req.param("name");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY(Json body, parse_json_body(req));
    FieldReader f(body);
    OPZ_TRY_STATUS(f.expect_object());
    OPZ_TRY_STATUS(f.reject_unknown({"reason"}));
    OPZ_TRY(std::string reason,
            f.required_string("reason", governance::kMaxGovernanceReasonLength));
    OPZ_TRY_STATUS(check_printable(reason, "reason"));
    if (reason.find_first_not_of(" \t") == std::string::npos)
      return Error::validation("a lock needs a reason", "reason");
    auto locked = envs_.lock(project_id, name, reason, p.user_id, may_manage_lock(p),
                             audit(req, p, "environment.locked", Json{{"reason", reason}}));
    if (!locked) return refused(req, p, "environment.lock_refused", locked.error());
    reevaluate();
    return Reply{200, with_windows(*locked)};
  }

  Result<Reply> unlock(http::Request& req, const auth::Principal& p) {
    const std::string project_id = req.param("id");
    const std::string name = req.param("name");
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    auto unlocked = envs_.unlock(project_id, name, p.user_id, may_manage_lock(p),
                                 audit(req, p, "environment.unlocked", Json::object()));
    if (!unlocked) return refused(req, p, "environment.unlock_refused", unlocked.error());
    reevaluate();
    return Reply{200, with_windows(*unlocked)};
  }

 private:
  Json with_windows(const store::EnvironmentState& s) {
    auto windows = windows_.for_project(s.environment.project_id);
    return with_windows(s, windows ? *windows : std::vector<store::FreezeWindowRecord>{});
  }
  Json with_windows(const store::EnvironmentState& s,
                    const std::vector<store::FreezeWindowRecord>& windows) {
    return environment_json(s, upcoming_freeze_windows_json(windows, s.environment.project_id,
                                                            s.environment.name, ctx_.clock.now()));
  }

  // The body's fields onto `rules`; kValidation naming the field.
  static Status apply_fields(const Json& body, governance::EnvironmentProtection& rules) {
    FieldReader f(body);
    OPZ_TRY_STATUS(f.expect_object());
    if (body.contains("is_locked") || body.contains("lock_reason"))
      return Error::validation(
          "locks change through PUT/DELETE /api/v1/projects/{id}/environments/{name}/lock",
          body.contains("is_locked") ? "is_locked" : "lock_reason");
    OPZ_TRY_STATUS(f.reject_unknown(
        {"name", "position", "required_role", "requires_approval", "required_approvals",
         "reviewers", "wait_timer_seconds", "prevent_self_approval", "allowed_branches",
         "allowed_tags", "restrict_refs", "auto_deploy", "approval_expiry_seconds", "queue_mode"}));
    OPZ_TRY(auto name, f.optional_string("name", 256));
    if (name) {
      OPZ_TRY(rules.name, governance::validate_environment_name(*name));
    }
    OPZ_TRY(auto position, f.optional_int("position", 0, 1000));
    if (position) rules.position = static_cast<int>(*position);
    OPZ_TRY(auto role, f.optional_string("required_role", 16));
    if (role) {
      auto parsed = auth::parse_role(*role);
      if (!parsed)
        return Error::validation("required_role must be viewer, operator or admin",
                                 "required_role");
      rules.required_role = *parsed;
    }
    OPZ_TRY(auto requires_approval, f.optional_bool("requires_approval"));
    if (requires_approval) rules.requires_approval = *requires_approval;
    OPZ_TRY(auto approvals, f.optional_int("required_approvals", 0, 1000));
    if (approvals) rules.required_approvals = static_cast<int>(*approvals);
    if (requires_approval && *requires_approval && !approvals && rules.required_approvals == 0)
      rules.required_approvals = 1;
    if (requires_approval && !*requires_approval && !approvals) rules.required_approvals = 0;
    if (const Json* reviewers = f.get("reviewers")) {
      OPZ_TRY(rules.reviewers, read_reviewers(*reviewers));
    }
    OPZ_TRY(auto wait, f.optional_int("wait_timer_seconds", 0, INT64_MAX));
    if (wait) rules.wait_timer_seconds = *wait;
    OPZ_TRY(auto self, f.optional_bool("prevent_self_approval"));
    if (self) rules.prevent_self_approval = *self;
    if (const Json* branches = f.get("allowed_branches")) {
      OPZ_TRY(rules.allowed_branches, read_patterns(*branches, "allowed_branches"));
    }
    if (const Json* tags = f.get("allowed_tags")) {
      OPZ_TRY(rules.allowed_tags, read_patterns(*tags, "allowed_tags"));
    }
    OPZ_TRY(auto restrict_refs, f.optional_bool("restrict_refs"));
    if (restrict_refs) rules.restrict_refs = *restrict_refs;
    OPZ_TRY(auto auto_deploy, f.optional_bool("auto_deploy"));
    if (auto_deploy) rules.auto_deploy = *auto_deploy;
    OPZ_TRY(auto expiry, f.optional_int("approval_expiry_seconds", 0, INT64_MAX / 2));
    if (expiry) rules.approval_expiry = std::chrono::seconds(*expiry);
    OPZ_TRY(auto mode, f.optional_string("queue_mode", 32));
    if (mode) {
      auto parsed = governance::parse_queue_mode(*mode);
      if (!parsed) return Error::validation(parsed.error().message, "queue_mode");
      rules.queue_mode = *parsed;
    }
    if (rules.name.empty()) return Error::validation("'name' is required", "name");
    return {};
  }

  static Result<std::vector<std::string>> read_patterns(const Json& j, const std::string& field) {
    if (!j.is_array()) return Error::validation(field + " must be an array of globs", field);
    std::vector<std::string> out;
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string at = field + "[" + std::to_string(i) + "]";
      if (!j[i].is_string()) return Error::validation(at + " must be a string", at);
      out.push_back(j[i].get<std::string>());
      OPZ_TRY_STATUS(check_printable(out.back(), at));
    }
    return out;
  }

  // [{"kind": "user"|"role", "id"}] or plain strings (user ids).
  static Result<std::vector<governance::Reviewer>> read_reviewers(const Json& j) {
    if (!j.is_array())
      return Error::validation("reviewers must be an array of {kind, id}", "reviewers");
    std::vector<governance::Reviewer> out;
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string at = "reviewers[" + std::to_string(i) + "]";
      if (j[i].is_string()) {
        out.push_back({governance::ReviewerKind::kUser, j[i].get<std::string>()});
        continue;
      }
      FieldReader f(j[i], at);
      OPZ_TRY_STATUS(f.expect_object());
      OPZ_TRY_STATUS(f.reject_unknown({"kind", "id"}));
      OPZ_TRY(auto kind_text, f.optional_string("kind", 16));
      auto kind = governance::parse_reviewer_kind(kind_text.value_or("user"));
      if (!kind) return Error::validation(at + ".kind must be user or role", at + ".kind");
      OPZ_TRY(std::string id, f.required_string("id", 256));
      out.push_back({*kind, id});
    }
    return out;
  }

  // Named user reviewers must exist (checked in the API: users are not
  // governance's concern).
  Status check_reviewers_exist(const std::vector<governance::Reviewer>& reviewers) {
    for (size_t i = 0; i < reviewers.size(); ++i) {
      if (reviewers[i].kind != governance::ReviewerKind::kUser) continue;
      auto user = ctx_.users.find(reviewers[i].id);
      if (!user && user.error().is_not_found())
        return Error::validation("reviewers[" + std::to_string(i) + "].id names no user",
                                 "reviewers[" + std::to_string(i) + "].id");
    }
    return {};
  }

  static Json changes_of(const Json& body, const std::string& old_name = {}) {
    Json out = body.is_object() ? body : Json::object();
    if (!old_name.empty()) out["environment"] = old_name;
    return out;
  }

  store::EnvironmentAlso audit(const http::Request& req, const auth::Principal& p,
                               std::string action, Json details) {
    return [this, &req, &p, action = std::move(action), details = std::move(details)](
               store::SqlSession& tx, const store::EnvironmentState& after) -> Status {
      Json d = details;
      d["project_id"] = after.environment.project_id;
      d["name"] = after.environment.name;
      return ctx_.audit.record_in(
          tx, {action, "environment", after.environment.id, p.user_id, std::move(d),
               req.remote_addr, std::string(req.header("User-Agent"))});
    };
  }

  // 000 §7.2: operators manage locks of environments whose required role is
  // not admin; admins all; viewers none (the policy table refuses them first).
  static store::EnvironmentCheck may_manage_lock(const auth::Principal& p) {
    return [role = p.role](const store::EnvironmentState& before) -> Status {
      if (role == auth::Role::kAdmin) return {};
      if (role == auth::Role::kOperator && before.environment.required_role != "admin") return {};
      return Error::forbidden("only an admin may lock or unlock " + before.environment.name +
                              " (its required role is " + before.environment.required_role + ")");
    };
  }

  // A refused lock change is audited too (nothing else was written).
  Result<Reply> refused(const http::Request& req, const auth::Principal& p,
                        const std::string& action, const Error& e) {
    if (e.code == ErrorCode::kForbidden)
      (void)ctx_.audit.record(
          {action, "environment", req.param("name"), p.user_id,
           Json{{"project_id", req.param("id")}, {"name", req.param("name")}, {"error", e.message}},
           req.remote_addr, std::string(req.header("User-Agent"))});
    return e;
  }

  void reevaluate() {
    if (ctx_.admission) ctx_.admission->reevaluate_all();
  }

  ApiContext& ctx_;
  store::EnvironmentStore envs_;
  store::FreezeWindowStore windows_;
};

}  // namespace

Status register_environment_routes(http::Router& r, ApiContext& ctx) {
  auto routes = std::make_shared<EnvironmentRoutes>(ctx);
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/projects/{id}/environments", "environments.read",
      [routes](http::Request& req, const auth::Principal&) { return routes->list(req); }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/projects/{id}/environments", "environments.manage",
      [routes](http::Request& req, const auth::Principal& p) { return routes->create(req, p); }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/functions/v1/create-environment",
                              "environments.manage",
                              [routes](http::Request& req, const auth::Principal& p) {
                                return routes->create_from_seed_body(req, p);
                              }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PATCH", "/api/v1/projects/{id}/environments/{name}", "environments.manage",
      [routes](http::Request& req, const auth::Principal& p) { return routes->patch(req, p); }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PUT", "/api/v1/projects/{id}/environments/{name}/lock", "locks.manage",
      [routes](http::Request& req, const auth::Principal& p) { return routes->lock(req, p); }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/projects/{id}/environments/{name}/lock", "locks.manage",
      [routes](http::Request& req, const auth::Principal& p) { return routes->unlock(req, p); }));
  return {};
}

}  // namespace opz::api
