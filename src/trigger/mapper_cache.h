// MapperCache: each project's branch mapper (its own rules, else the global
// defaults), kept in memory so that the webhook receiver can tell a push to
// an unmapped ref without a database read per delivery
// (trigger/intake_outcome.h).
//
// Freshness, as IntegrationCache's (core/generation_cache.h, with
// BranchMappingStore's generation): an answer is reused for at most `ttl`
// (1 s by default), and not at all once this process has replaced or cleared
// any project's rules: a rule added through this server applies to the very
// next delivery; one changed by another server sharing the database applies
// within `ttl`. Errors are not kept. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/generation_cache.h"
#include "core/result.h"
#include "store/branch_mapping_store.h"
#include "trigger/mapping_rules.h"

namespace opz::trigger {

class MapperCache {
 public:
  MapperCache(store::BranchMappingStore& store, const Clock& clock,
              std::chrono::milliseconds ttl = std::chrono::seconds(1))
      : store_(store), entries_(clock, ttl) {}

  // As load_mapper(store, project_id); shared, so a hit copies no rule.
  Result<std::shared_ptr<const ProjectMapper>> for_project(const std::string& project_id);

 private:
  store::BranchMappingStore& store_;
  GenerationCache<std::shared_ptr<const ProjectMapper>> entries_;
};

}  // namespace opz::trigger
