// Branch -> environment mapping (docs/webhooks.md "Branch mapping"):
//   GET    /api/v1/branch-mappings                   the global defaults
//   GET    /api/v1/branch-mappings/resolve?project=&ref=[&sha=]
//                                                    which rule matches and why
//   GET    /api/v1/projects/{id}/branch-mappings     the rules that apply
//   PUT    /api/v1/projects/{id}/branch-mappings     a full ordered list
//          ([...] or {"rules": [...]}) or {"preset": "gitops" | "default"}
//   DELETE /api/v1/projects/{id}/branch-mappings     back to the global defaults
// A rule: {"pattern", "ref_type": "branch"|"tag", "environment", "deployable",
// "image_tag_template", "replicas"} (the column names "branch_pattern" and
// "is_deployable" are accepted and answered too).
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "governance/branch_mapper.h"
#include "trigger/mapping_rules.h"
#include "trigger/trigger_service.h"
#include "core/json_optional.h"

namespace opz::api {

namespace {

constexpr size_t kMaxRules = 100;

Json rule_json(const store::BranchMappingRecord& r) {
  return Json{{"id", string_or_null(r.id)},
              {"position", r.position},
              {"pattern", r.branch_pattern},
              {"branch_pattern", r.branch_pattern},
              {"ref_type", r.ref_type},
              {"environment", r.environment},
              {"deployable", r.is_deployable},
              {"is_deployable", r.is_deployable},
              {"image_tag_template", r.image_tag_template},
              {"replicas", r.replicas}};
}

Json rules_json(const std::vector<store::BranchMappingRecord>& rules) {
  Json items = Json::array();
  for (const auto& r : rules) items.push_back(rule_json(r));
  return items;
}

Json mappings_body(const std::string& project_id, const store::ProjectMappings& m) {
  return Json{{"project_id", string_or_null(project_id)},
              {"source", m.source},
              {"rules", rules_json(m.rules)}};
}

Result<governance::BranchRule> read_rule(const Json& j, size_t index) {
  const std::string at = "rules[" + std::to_string(index) + "]";
  FieldReader f(j, at);
  OPZ_TRY_STATUS(
      f.reject_unknown({"pattern", "branch_pattern", "ref_type", "environment", "deployable",
                        "is_deployable", "image_tag_template", "replicas", "id", "position"}));
  governance::BranchRule rule;
  OPZ_TRY(auto pattern, f.optional_string("pattern", 255));
  OPZ_TRY(auto column, f.optional_string("branch_pattern", 255));
  if (!pattern && !column) return Error::validation("'pattern' is required", at + ".pattern");
  rule.pattern = pattern ? *pattern : *column;
  OPZ_TRY(auto type, f.optional_string("ref_type", 16));
  OPZ_TRY(rule.ref_type, governance::parse_ref_type(type.value_or("branch")));
  OPZ_TRY(rule.environment, f.required_string("environment", 100));
  OPZ_TRY(auto deployable, f.optional_bool("deployable"));
  OPZ_TRY(auto is_deployable, f.optional_bool("is_deployable"));
  rule.deployable = deployable.value_or(is_deployable.value_or(true));
  OPZ_TRY(auto tmpl, f.optional_string("image_tag_template", 255));
  rule.image_tag_template = tmpl.value_or("{sha7}");
  OPZ_TRY(auto replicas, f.optional_int("replicas", 0, 1000));
  rule.replicas = static_cast<int>(replicas.value_or(1));
  if (Status st = governance::validate_rule(rule); !st.ok()) {
    Error e = st.error();
    e.field = at + "." + (e.field.empty() ? "pattern" : e.field);
    return e;
  }
  return rule;
}

// The rules a PUT body asks for, and whether they come from a preset.
Result<std::pair<std::vector<governance::BranchRule>, std::string>> read_put_body(
    const Json& body) {
  const Json* list = &body;
  if (body.is_object()) {
    if (body.contains("preset")) {
      FieldReader f(body);
      OPZ_TRY_STATUS(f.reject_unknown({"preset"}));
      OPZ_TRY(std::string name, f.required_string("preset", 32));
      auto rules = governance::preset_rules(name);
      if (!rules) return Error::validation(rules.error().message, "preset");
      return std::make_pair(*rules, name);
    }
    FieldReader f(body);
    OPZ_TRY_STATUS(f.reject_unknown({"rules"}));
    list = f.get("rules");
    if (!list)
      return Error::validation("'rules' (an ordered list) or 'preset' is required", "rules");
  }
  if (!list->is_array())
    return Error::validation("the rules must be a JSON array, in evaluation order", "rules");
  if (list->size() > kMaxRules) return Error::validation("at most 100 rules", "rules");
  std::vector<governance::BranchRule> rules;
  for (size_t i = 0; i < list->size(); ++i) {
    OPZ_TRY(governance::BranchRule rule, read_rule((*list)[i], i));
    rules.push_back(std::move(rule));
  }
  return std::make_pair(std::move(rules), std::string());
}

Result<Reply> resolve(ApiContext& ctx, http::Request& req) {
  const std::string project_id = req.query_or("project", req.query_or("project_id"));
  if (!project_id.empty()) {
    OPZ_TRY_STATUS(check_id(project_id, "project"));
    OPZ_TRY_STATUS(ctx.projects.find_project(project_id));
  }
  const std::string ref = req.query_or("ref");
  if (ref.empty() || ref.size() > 1024)
    return Error::validation("'ref' is required, e.g. refs/heads/release/1.4", "ref");
  const std::string sha = req.query_or("sha");
  OPZ_TRY(trigger::ProjectMapper m, trigger::load_mapper(ctx.triggers->mappings(), project_id));
  governance::MappingDecision d = m.mapper.resolve(ref);
  Json out = {{"project_id", string_or_null(project_id)},
              {"ref", d.ref.full},
              {"ref_type", std::string(governance::ref_type_name(d.ref.type))},
              {"short_name", d.ref.short_name},
              {"source", m.source},
              {"matched", d.matched},
              {"rule_index", d.matched ? Json(d.rule_index) : Json(nullptr)},
              {"rule", d.matched ? rule_json(trigger::to_record(d.rule)) : Json(nullptr)},
              {"environment", d.matched ? Json(d.rule.environment) : Json(nullptr)},
              {"deployable", d.deployable()},
              {"ci_only", d.matched && !d.rule.deployable},
              {"explanation", d.explanation}};
  if (d.matched) {
    auto tag = d.render_image_tag(sha.empty() ? std::string(40, '0') : sha);
    out["image_tag"] = tag ? Json(*tag) : Json(nullptr);
    if (!tag) out["image_tag_error"] = tag.error().message;
  }
  return Reply{200, std::move(out)};
}

}  // namespace

Status register_branch_mapping_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(
      add_endpoint(r, ctx, "GET", "/api/v1/branch-mappings", "branch_mappings.read",
                   [&ctx](http::Request&, const auth::Principal&) -> Result<Reply> {
                     if (!ctx.triggers)
                       return Error::unavailable("branch mappings are not available");
                     OPZ_TRY(auto rules, ctx.triggers->mappings().global_rules());
                     return Reply{200, mappings_body("", store::ProjectMappings{rules, "global"})};
                   }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/branch-mappings/resolve",
                              "branch_mappings.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                if (!ctx.triggers)
                                  return Error::unavailable("branch mappings are not available");
                                return resolve(ctx, req);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/projects/{id}/branch-mappings",
                              "branch_mappings.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                if (!ctx.triggers)
                                  return Error::unavailable("branch mappings are not available");
                                const std::string id = req.param("id");
                                OPZ_TRY_STATUS(check_id(id, "project"));
                                OPZ_TRY_STATUS(ctx.projects.find_project(id));
                                OPZ_TRY(auto m, ctx.triggers->mappings().rules_for(id));
                                return Reply{200, mappings_body(id, m)};
                              }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PUT", "/api/v1/projects/{id}/branch-mappings", "branch_mappings.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        if (!ctx.triggers) return Error::unavailable("branch mappings are not available");
        const std::string id = req.param("id");
        OPZ_TRY_STATUS(check_id(id, "project"));
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(auto wanted, read_put_body(body));
        auto& [rules, preset] = wanted;
        std::vector<store::BranchMappingRecord> records;
        for (const auto& rule : rules) records.push_back(trigger::to_record(rule));
        OPZ_TRY(auto replaced, ctx.triggers->mappings().replace(id, records, !preset.empty()));
        (void)ctx.audit.record({"branch_mappings.replaced", "project", id, p.user_id,
                                Json{{"rules", records.size()},
                                     {"preset", string_or_null(preset)},
                                     {"created_environments", replaced.created_environments}},
                                req.remote_addr});
        Json out = mappings_body(id, store::ProjectMappings{replaced.rules, "project"});
        out["preset"] = string_or_null(preset);
        out["created_environments"] = replaced.created_environments;
        return Reply{200, std::move(out)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/projects/{id}/branch-mappings", "branch_mappings.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        if (!ctx.triggers) return Error::unavailable("branch mappings are not available");
        const std::string id = req.param("id");
        OPZ_TRY_STATUS(check_id(id, "project"));
        OPZ_TRY_STATUS(ctx.projects.find_project(id));
        OPZ_TRY(int64_t removed, ctx.triggers->mappings().clear(id));
        (void)ctx.audit.record({"branch_mappings.reset", "project", id, p.user_id,
                                Json{{"removed", removed}}, req.remote_addr});
        OPZ_TRY(auto m, ctx.triggers->mappings().rules_for(id));
        return Reply{200, mappings_body(id, m)};
      }));
  return {};
}

}  // namespace opz::api
