// GithubStore: the per-project GitHub integration (github_integrations):
// which repository a project builds, its webhook secret (SecretBox-sealed
// text), its API token, the workflow file dispatched by github_workflow
// nodes, and the API base URL (GitHub Enterprise). This store never sees a
// secret in clear.
//
// The token lives in github_tokens (migration 019), sealed with the master
// key ring (trigger/github_token.h does the sealing): one row per project.
// Tokens sealed before that with secret.key stay in
// github_integrations.token_encrypted until they are moved (legacy_tokens /
// replace_token). A record's token_sealed says which: "v1:..." (the old
// SecretBox text) or encode_ring_token() of the github_tokens row ("ring1:");
// empty when there is none.
//
// One integration per project; several projects may follow one repository
// (owner, name; a monorepo: migration 024), each with its own secret and
// path filters. Names are matched case-insensitively, as GitHub does. Every
// mutation is one transaction. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

// A github_tokens row: the token sealed by secrets::seal_secret under ring key
// `key_id` (nonce and ciphertext base64), with its last four characters.
struct StoredGithubToken {
  std::string id;
  std::string key_id;
  std::string nonce;
  std::string ciphertext;
  std::string last4;
};

inline constexpr std::string_view kRingTokenPrefix = "ring1:";
// "ring1:<id>:<key_id>:<nonce>:<ciphertext>:<last4>" (no part holds ':').
std::string encode_ring_token(const StoredGithubToken& token);
// nullopt for anything else (a legacy "v1:" text, "").
std::optional<StoredGithubToken> decode_ring_token(std::string_view sealed);

struct GithubIntegrationRecord {
  std::string id;
  std::string project_id;
  std::string repository_owner;
  std::string repository_name;
  std::string webhook_secret_sealed;  // empty: none configured
  std::string token_sealed;           // empty: none; else "v1:..." or "ring1:..." (above)
  std::string workflow_file;          // empty: none
  std::string api_base_url;
  std::string repository_id;  // GitHub's id as decimal text; empty: not configured
  // Globs over the files a push changed (github/path_filter.h); empty: none.
  std::vector<std::string> path_filters;
  std::string created_by;
  std::string created_at;
  std::string updated_at;

  std::string full_name() const { return repository_owner + "/" + repository_name; }
};

// What a PUT sets. token_sealed: nullopt leaves the stored token unchanged,
// "" removes it, an encode_ring_token() text stores that row in github_tokens,
// any other text is kept in the old column (sealed with secret.key: a server
// without a master key ring).
struct GithubIntegrationFields {
  std::string repository_owner;
  std::string repository_name;
  std::string webhook_secret_sealed;
  std::optional<std::string> token_sealed;
  std::string workflow_file;
  std::string api_base_url;
  std::string repository_id;  // "" leaves it unset
  // nullopt keeps the stored filters (none for a new integration).
  std::optional<std::vector<std::string>> path_filters;
};

class GithubStore {
 public:
  GithubStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Creates or replaces the project's integration. kValidation (foreign
  // key) for an unknown project. Other projects may follow the same
  // repository.
  Result<GithubIntegrationRecord> put(const std::string& project_id,
                                      const GithubIntegrationFields& fields,
                                      const std::string& actor);
  Result<GithubIntegrationRecord> find_by_project(const std::string& project_id);
  // The first (by project id) of the projects following "owner/name";
  // kNotFound when none does.
  Result<GithubIntegrationRecord> find_by_repository(const std::string& owner,
                                                     const std::string& name);
  // Every project following "owner/name", by project id; empty when none.
  Result<std::vector<GithubIntegrationRecord>> find_all_by_repository(const std::string& owner,
                                                                      const std::string& name);
  Status remove(const std::string& project_id);  // kNotFound when none

  // A project's token as stored (token_sealed form).
  struct TokenRef {
    std::string project_id;
    std::string sealed;
  };
  // Tokens still sealed the old way, in github_integrations.token_encrypted.
  Result<std::vector<TokenRef>> legacy_tokens();
  // Tokens in github_tokens sealed under another key than `key_id`.
  Result<std::vector<TokenRef>> tokens_not_under(const std::string& key_id);
  // Stores `token` as the project's token (in github_tokens, clearing the old
  // column) when its token is still `expected` (token_sealed form), in one
  // transaction; kConflict when it changed meanwhile (the caller leaves it),
  // kNotFound when the project has no integration.
  Status replace_token(const std::string& project_id, const std::string& expected,
                       const StoredGithubToken& token);

  // Raised after every put(), remove() or replace_token() through this store has committed:
  // a reader that noted it before a find_*() knows its answer is stale once
  // it changes (trigger/integration_cache.h).
  uint64_t generation() const { return generation_.load(); }

 private:
  Database& db_;
  const Clock& clock_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace opz::store
