// IntegrationCache: the GitHub integrations the webhook receiver verifies
// deliveries with, kept in memory so that a flood of deliveries does not cost
// a database read each.
//
// Freshness (core/generation_cache.h, with GithubStore's generation): an
// answer is reused for at most `ttl` (1 s by default), and not at all once
// this process has changed any integration: a secret rotated or an
// integration removed through this server applies to the very next delivery;
// one changed by another process sharing the database applies within `ttl`.
// Only found integrations are kept (so the table holds at most one entry per
// integration and key form, plus one list per followed repository); misses
// always ask the store. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/generation_cache.h"
#include "core/result.h"
#include "store/github_store.h"

namespace opz::trigger {

class IntegrationCache {
 public:
  IntegrationCache(store::GithubStore& store, const Clock& clock,
                   std::chrono::milliseconds ttl = std::chrono::seconds(1))
      : store_(store), entries_(clock, ttl), followers_(clock, ttl) {}

  // As GithubStore::find_by_project / find_by_repository.
  Result<store::GithubIntegrationRecord> by_project(const std::string& project_id);
  Result<store::GithubIntegrationRecord> by_repository(const std::string& owner,
                                                       const std::string& name);
  // As GithubStore::find_all_by_repository, but kNotFound when none follows
  // "owner/name".
  Result<std::vector<store::GithubIntegrationRecord>> all_by_repository(const std::string& owner,
                                                                        const std::string& name);

 private:
  store::GithubStore& store_;
  GenerationCache<store::GithubIntegrationRecord> entries_;
  GenerationCache<std::vector<store::GithubIntegrationRecord>> followers_;
};

}  // namespace opz::trigger
