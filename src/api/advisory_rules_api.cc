// The advisory rules' settings (issue 13):
//   GET /api/v1/advisory-rules[?project_id=]   (advisory_rules.read: signed-in)
//       -> {"items":[{"rule","threshold","window_seconds","severity","enabled",
//                     "source":"default|global|project", ...}]}
//       the settings in force globally, or for one project when given
//   PUT /api/v1/advisory-rules/{rule}          (advisory_rules.manage: admin)
//       {"threshold"?, "window_seconds"?, "severity"?, "enabled"?, "project_id"?}
//       -> 200 the rule's settings in force in that scope
// A PUT changes only the fields it names; a field given as null goes back to
// inheriting (project -> global -> default). Unknown rule 404; a bad value
// 422 naming the field; the change and its audit entry are one transaction.
#include <cmath>

#include "api/advisory_settings.h"
#include "api/endpoint.h"
#include "api/json_body.h"
#include "audit/audit_log.h"

namespace opz::api {

namespace {

// Present: set (or cleared with null). Absent: nullopt.
template <typename T, typename Check>
Result<std::optional<std::optional<T>>> nullable_field(const Json& body, const char* key,
                                                       Check check) {
  auto it = body.find(key);
  if (it == body.end()) return std::optional<std::optional<T>>{};
  if (it->is_null()) return std::optional<std::optional<T>>{std::optional<T>{}};
  OPZ_TRY(T value, check(*it));
  return std::optional<std::optional<T>>{std::optional<T>{std::move(value)}};
}

Result<store::AdvisoryRuleSettingChange> read_change(const Json& body, const std::string& rule,
                                                     const std::string& user_id) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(
      f.reject_unknown({"threshold", "window_seconds", "severity", "enabled", "project_id"}));
  store::AdvisoryRuleSettingChange c;
  c.rule = rule;
  c.updated_by = user_id;
  OPZ_TRY(auto project, f.optional_string("project_id", 64));
  c.project_id = project.value_or("");
  OPZ_TRY(c.threshold, nullable_field<double>(body, "threshold", [](const Json& v) -> Result<double> {
            if (!v.is_number() || !std::isfinite(v.get<double>()))
              return Error::validation("threshold must be a finite number or null", "threshold");
            return v.get<double>();
          }));
  OPZ_TRY(c.window_seconds,
          nullable_field<int64_t>(body, "window_seconds", [](const Json& v) -> Result<int64_t> {
            if (!v.is_number_integer())
              return Error::validation("window_seconds must be an integer or null",
                                       "window_seconds");
            return v.get<int64_t>();
          }));
  OPZ_TRY(c.severity,
          nullable_field<std::string>(body, "severity", [](const Json& v) -> Result<std::string> {
            if (!v.is_string())
              return Error::validation("severity must be info, warning, critical or null",
                                       "severity");
            return v.get<std::string>();
          }));
  OPZ_TRY(c.enabled, nullable_field<bool>(body, "enabled", [](const Json& v) -> Result<bool> {
            if (!v.is_boolean())
              return Error::validation("enabled must be true, false or null", "enabled");
            return v.get<bool>();
          }));
  return c;
}

// The values a change sets, checked against the rule's bounds.
Status validate_change(const telemetry::AdvisoryRule& rule,
                       const store::AdvisoryRuleSettingChange& c) {
  telemetry::RuleOverride o;
  if (c.threshold) o.threshold = *c.threshold;
  if (c.window_seconds) o.window_seconds = *c.window_seconds;
  if (c.severity) o.severity = *c.severity;
  return telemetry::validate_override(rule, o);
}

Json change_json(const store::AdvisoryRuleSettingChange& c) {
  Json out = Json::object();
  if (c.threshold) out["threshold"] = *c.threshold ? Json(**c.threshold) : Json();
  if (c.window_seconds) out["window_seconds"] = *c.window_seconds ? Json(**c.window_seconds) : Json();
  if (c.severity) out["severity"] = *c.severity ? Json(**c.severity) : Json();
  if (c.enabled) out["enabled"] = *c.enabled ? Json(**c.enabled) : Json();
  out["project_id"] = c.project_id.empty() ? Json() : Json(c.project_id);
  return out;
}

Result<telemetry::AdvisoryThresholds> settings_in_force(ApiContext& ctx,
                                                         const std::string& project_id) {
  store::AdvisoryStore store(ctx.db, ctx.clock);
  OPZ_TRY(auto rows, store.rule_settings_for(project_id));
  return effective_thresholds(rows, project_id);
}

Status check_project(ApiContext& ctx, const std::string& project_id) {
  if (project_id.empty()) return {};
  auto found = ctx.projects.find_project(project_id);
  if (found.ok()) return {};
  if (found.error().is_not_found())
    return Error::validation("no project with id " + project_id, "project_id");
  return found.error();
}

}  // namespace

Status register_advisory_rule_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/advisory-rules", "advisory_rules.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        const std::string project_id = req.query_or("project_id");
        OPZ_TRY_STATUS(check_project(ctx, project_id));
        OPZ_TRY(telemetry::AdvisoryThresholds t, settings_in_force(ctx, project_id));
        Json items = Json::array();
        for (const auto& rule : t.rules) items.push_back(advisory_rule_json(rule));
        return Reply{200, Json{{"items", std::move(items)}}};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PUT", "/api/v1/advisory-rules/{rule}", "advisory_rules.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        const std::string rule = req.param("rule");
        const telemetry::AdvisoryRule* base = telemetry::find_advisory_rule(rule);
        if (!base) return Error::not_found("no advisory rule named '" + rule + "'");
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(store::AdvisoryRuleSettingChange change, read_change(body, rule, p.user_id));
        OPZ_TRY_STATUS(validate_change(*base, change));
        OPZ_TRY_STATUS(check_project(ctx, change.project_id));
        store::AdvisoryStore store(ctx.db, ctx.clock);
        OPZ_TRY_STATUS(ctx.db.write([&](store::SqlSession& tx) -> Status {
          OPZ_TRY_STATUS(store.change_rule_setting_in(tx, change));
          return ctx.audit.record_in(
              tx, {"advisory_rule.updated", "advisory_rule", rule, p.user_id, change_json(change),
                   req.remote_addr, std::string(req.header("User-Agent"))});
        }));
        OPZ_TRY(telemetry::AdvisoryThresholds t, settings_in_force(ctx, change.project_id));
        for (const auto& in_force : t.rules)
          if (in_force.rule == rule) return Reply{200, advisory_rule_json(in_force)};
        return Error::internal("advisory rule " + rule + " missing from its settings");
      }));
  return {};
}

}  // namespace opz::api
