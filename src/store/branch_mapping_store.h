// BranchMappingStore: the ordered branch/tag -> environment rules
// (branch_mappings). Rows with project_id NULL are the global defaults
// (seeded by 001); a project that has rows of its own uses only those.
//
// Contract: rules come back in (position, id) order. replace() swaps a
// project's whole list in one transaction (positions renumbered 1..n in the
// given order); a rule naming an unknown environment fails with kValidation
// naming it and the known ones, unless `create_missing_environments` is set
// (presets whose environments a fresh installation may lack), in which case
// those environments are created with the table's defaults in the same
// transaction and listed in the answer. clear() reverts a project to the
// global defaults. This store does not validate patterns or templates (that is
// governance::validate_rule, called by the API). Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct BranchMappingRecord {
  std::string id;
  std::string project_id;  // empty: a global default
  int position = 0;
  std::string branch_pattern;
  std::string ref_type = "branch";  // branch | tag
  std::string environment;
  bool is_deployable = true;
  std::string image_tag_template;
  int replicas = 1;
  std::string created_at;
  std::string updated_at;
};

struct ProjectMappings {
  std::vector<BranchMappingRecord> rules;
  std::string source;  // "project" (its own rules) or "global" (the defaults)
};

struct ReplacedMappings {
  std::vector<BranchMappingRecord> rules;
  std::vector<std::string> created_environments;
};

class BranchMappingStore {
 public:
  BranchMappingStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The rules that apply to `project_id`: its own, else the global defaults.
  // An empty project_id answers the global defaults.
  Result<ProjectMappings> rules_for(const std::string& project_id);
  Result<std::vector<BranchMappingRecord>> global_rules();
  Result<ReplacedMappings> replace(const std::string& project_id,
                                   const std::vector<BranchMappingRecord>& rules,
                                   bool create_missing_environments = false);
  // Removes the project's own rules; answers how many there were.
  Result<int64_t> clear(const std::string& project_id);

  // Raised after every replace() or clear() through this store has
  // committed: a reader that noted it before rules_for() knows its answer is
  // stale once it changes (trigger/mapper_cache.h).
  uint64_t generation() const { return generation_.load(); }

 private:
  Database& db_;
  const Clock& clock_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace opz::store
