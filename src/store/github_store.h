// GithubStore: the per-project GitHub integration (github_integrations):
// which repository a project builds, its webhook secret and API token (both
// stored only as SecretBox-sealed text; this store never sees plaintext), the
// workflow file dispatched by github_workflow nodes, and the API base URL
// (GitHub Enterprise).
//
// One integration per project and per repository (owner, name); names are
// matched case-insensitively, as GitHub does. Every mutation is one
// transaction. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct GithubIntegrationRecord {
  std::string id;
  std::string project_id;
  std::string repository_owner;
  std::string repository_name;
  std::string webhook_secret_sealed;  // empty: none configured
  std::string token_sealed;           // empty: none configured
  std::string workflow_file;          // empty: none
  std::string api_base_url;
  std::string repository_id;  // GitHub's id as decimal text; empty: not configured
  std::string created_by;
  std::string created_at;
  std::string updated_at;

  std::string full_name() const { return repository_owner + "/" + repository_name; }
};

// What a PUT sets. token: nullopt leaves the stored token unchanged, "" removes it.
struct GithubIntegrationFields {
  std::string repository_owner;
  std::string repository_name;
  std::string webhook_secret_sealed;
  std::optional<std::string> token_sealed;
  std::string workflow_file;
  std::string api_base_url;
  std::string repository_id;  // "" leaves it unset
};

class GithubStore {
 public:
  GithubStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Creates or replaces the project's integration. kConflict when another
  // project already integrates that repository; kValidation (foreign key)
  // for an unknown project.
  Result<GithubIntegrationRecord> put(const std::string& project_id,
                                      const GithubIntegrationFields& fields,
                                      const std::string& actor);
  Result<GithubIntegrationRecord> find_by_project(const std::string& project_id);
  // kNotFound when no project integrates "owner/name".
  Result<GithubIntegrationRecord> find_by_repository(const std::string& owner,
                                                     const std::string& name);
  Status remove(const std::string& project_id);  // kNotFound when none

  // Raised after every put() or remove() through this store has committed:
  // a reader that noted it before a find_*() knows its answer is stale once
  // it changes (trigger/integration_cache.h).
  uint64_t generation() const { return generation_.load(); }

 private:
  Database& db_;
  const Clock& clock_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace opz::store
