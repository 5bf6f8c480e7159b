#include "trigger/mapping_rules.h"

namespace opz::trigger {

governance::BranchRule to_rule(const store::BranchMappingRecord& r) {
  governance::BranchRule rule;
  rule.id = r.id;
  rule.pattern = r.branch_pattern;
  auto type = governance::parse_ref_type(r.ref_type);
  rule.ref_type = type ? *type : governance::RefType::kOther;  // never matches
  rule.environment = r.environment;
  rule.deployable = r.is_deployable;
  rule.image_tag_template = r.image_tag_template;
  rule.replicas = r.replicas;
  rule.position = r.position;
  return rule;
}

store::BranchMappingRecord to_record(const governance::BranchRule& rule) {
  store::BranchMappingRecord r;
  r.id = rule.id;
  r.branch_pattern = rule.pattern;
  r.ref_type = std::string(governance::ref_type_name(rule.ref_type));
  r.environment = rule.environment;
  r.is_deployable = rule.deployable;
  r.image_tag_template = rule.image_tag_template;
  r.replicas = rule.replicas;
  r.position = rule.position;
  return r;
}

std::vector<governance::BranchRule> to_rules(const std::vector<store::BranchMappingRecord>& rows) {
  std::vector<governance::BranchRule> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(to_rule(r));
  return out;
}

Result<ProjectMapper> load_mapper(store::BranchMappingStore& mappings,
                                  const std::string& project_id) {
  OPZ_TRY(store::ProjectMappings rows, mappings.rules_for(project_id));
  return ProjectMapper{governance::BranchMapper(to_rules(rows.rules)), rows.source};
}

}  // namespace opz::trigger
