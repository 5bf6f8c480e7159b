// Branch mapping rules between their two shapes: store rows
// (store::BranchMappingRecord, what branch_mappings holds) and governance
// rules (governance::BranchRule, what BranchMapper evaluates), and the mapper
// that applies to a project (its own rules, else the global defaults).
// Pure conversions; load_mapper reads the store. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "governance/branch_mapper.h"
#include "store/branch_mapping_store.h"

namespace opz::trigger {

governance::BranchRule to_rule(const store::BranchMappingRecord& record);
store::BranchMappingRecord to_record(const governance::BranchRule& rule);
std::vector<governance::BranchRule> to_rules(const std::vector<store::BranchMappingRecord>& rows);

struct ProjectMapper {
  governance::BranchMapper mapper;
  std::string source;  // "project" | "global"
};

Result<ProjectMapper> load_mapper(store::BranchMappingStore& mappings,
                                  const std::string& project_id);

}  // namespace opz::trigger
