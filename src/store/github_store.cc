#include "store/github_store.h"

#include "core/ids.h"
#include "core/json.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

// The integration with its token row (github_tokens, by project), if any.
constexpr const char* kGithubColumns =
    "g.id, g.project_id, g.repository_owner, g.repository_name, g.webhook_secret_encrypted, "
    "g.token_encrypted, g.workflow_file, g.api_base_url, g.repository_id, g.path_filters, "
    "g.created_by, "
    "g.created_at, g.updated_at, t.id AS token_id, t.key_id AS token_key_id, "
    "t.nonce AS token_nonce, t.encrypted_token AS token_ciphertext, t.last4 AS token_last4";
constexpr const char* kGithubFrom =
    " FROM github_integrations g LEFT JOIN github_tokens t ON t.project_id = g.project_id ";

// Matches the index of migration 024; names compare case-insensitively.
constexpr const char* kSameRepository =
    "lower(g.repository_owner) = lower($1) AND lower(g.repository_name) = lower($2)";

std::string token_sealed_of(const Row& r) {
  if (r["token_id"].is_null()) return r["token_encrypted"].as_text();
  return encode_ring_token({r["token_id"].as_text(), r["token_key_id"].as_text(),
                            r["token_nonce"].as_text(), r["token_ciphertext"].as_text(),
                            r["token_last4"].as_text()});
}

std::vector<std::string> strings_from_json(const std::string& text) {
  std::vector<std::string> out;
  const Json j = Json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const Json& item : j)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

GithubIntegrationRecord github_from_row(const Row& r) {
  GithubIntegrationRecord g;
  g.id = r["id"].as_text();
  g.project_id = r["project_id"].as_text();
  g.repository_owner = r["repository_owner"].as_text();
  g.repository_name = r["repository_name"].as_text();
  g.webhook_secret_sealed = r["webhook_secret_encrypted"].as_text();
  g.token_sealed = token_sealed_of(r);
  g.workflow_file = r["workflow_file"].as_text();
  g.api_base_url = r["api_base_url"].as_text();
  g.repository_id = r["repository_id"].as_text();
  g.path_filters = strings_from_json(r["path_filters"].as_text());
  g.created_by = r["created_by"].as_text();
  g.created_at = r["created_at"].as_text();
  g.updated_at = r["updated_at"].as_text();
  return g;
}

Result<GithubIntegrationRecord> one(SqlSession& s, const std::string& where, const Params& params,
                                    const std::string& not_found) {
  OPZ_TRY(
      Rows rows,
      s.query(std::string("SELECT ") + kGithubColumns + kGithubFrom + "WHERE " + where, params));
  if (rows.empty()) return Error::not_found(not_found);
  return github_from_row(rows[0]);
}

// Makes `sealed` (token_sealed form) the project's token: a ring token goes
// to github_tokens, anything else to the old column.
Status store_token(SqlSession& s, const std::string& project_id, const std::string& sealed,
                   const std::string& now) {
  OPZ_TRY_STATUS(s.exec("DELETE FROM github_tokens WHERE project_id = $1", {project_id}));
  const auto ring = decode_ring_token(sealed);
  OPZ_TRY_STATUS(s.exec("UPDATE github_integrations SET token_encrypted = $2 WHERE project_id = $1",
                        {project_id, ring ? SqlValue() : text_or_null(sealed)}));
  if (!ring) return {};
  OPZ_TRY_STATUS(
      s.exec("INSERT INTO github_tokens (id, project_id, encrypted_token, nonce, "
             "key_id, last4, created_at, updated_at) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
             {ring->id, project_id, ring->ciphertext, ring->nonce, ring->key_id,
              text_or_null(ring->last4), now}));
  return {};
}

std::vector<std::string> split_colons(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t colon = text.find(':', start);
    parts.emplace_back(text.substr(start, colon - start));
    if (colon == std::string_view::npos) return parts;
    start = colon + 1;
  }
}

}  // namespace

std::string encode_ring_token(const StoredGithubToken& t) {
  return std::string(kRingTokenPrefix) + t.id + ":" + t.key_id + ":" + t.nonce + ":" +
         t.ciphertext + ":" + t.last4;
}

std::optional<StoredGithubToken> decode_ring_token(std::string_view sealed) {
  if (sealed.substr(0, kRingTokenPrefix.size()) != kRingTokenPrefix) return std::nullopt;
  const auto parts = split_colons(sealed.substr(kRingTokenPrefix.size()));
  if (parts.size() != 5 || parts[0].empty() || parts[1].empty() || parts[2].empty() ||
      parts[3].empty())
    return std::nullopt;
  return StoredGithubToken{parts[0], parts[1], parts[2], parts[3], parts[4]};
}

Result<GithubIntegrationRecord> GithubStore::put(const std::string& project_id,
                                                 const GithubIntegrationFields& f,
                                                 const std::string& actor) {
  const std::string now = format_time(clock_.now());
  auto stored = db_.write([&](SqlSession& s) -> Result<GithubIntegrationRecord> {
    OPZ_TRY(Rows existing,
            s.query("SELECT id FROM github_integrations WHERE project_id = $1", {project_id}));
    if (existing.empty()) {
      OPZ_TRY_STATUS(s.exec(
          "INSERT INTO github_integrations (id, project_id, repository_owner, repository_name, "
          "webhook_secret_encrypted, token_encrypted, workflow_file, api_base_url, repository_id, "
          "created_by, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, $10, $10)",
          {new_uuid(), project_id, f.repository_owner, f.repository_name,
           text_or_null(f.webhook_secret_sealed), text_or_null(f.workflow_file), f.api_base_url,
           text_or_null(f.repository_id), text_or_null(actor), now}));
    } else {
      OPZ_TRY_STATUS(s.exec(
          "UPDATE github_integrations SET repository_owner = $2, repository_name = $3, "
          "webhook_secret_encrypted = $4, workflow_file = $5, "
          "api_base_url = $6, repository_id = $7, updated_at = $8 WHERE project_id = $1",
          {project_id, f.repository_owner, f.repository_name, text_or_null(f.webhook_secret_sealed),
           text_or_null(f.workflow_file), f.api_base_url, text_or_null(f.repository_id), now}));
    }
    if (f.token_sealed) OPZ_TRY_STATUS(store_token(s, project_id, *f.token_sealed, now));
    if (f.path_filters) {
      OPZ_TRY_STATUS(
          s.exec("UPDATE github_integrations SET path_filters = $2 WHERE project_id = $1",
                 {project_id, Json(*f.path_filters).dump()}));
    }
    return one(s, "g.project_id = $1", {project_id}, "integration vanished");
  });
  if (stored) ++generation_;
  return stored;
}

Result<GithubIntegrationRecord> GithubStore::find_by_project(const std::string& project_id) {
  return db_.read([&](SqlSession& s) {
    return one(s, "g.project_id = $1", {project_id},
               "project " + project_id + " has no GitHub integration");
  });
}

Result<GithubIntegrationRecord> GithubStore::find_by_repository(const std::string& owner,
                                                                const std::string& name) {
  return db_.read([&](SqlSession& s) {
    return one(s, std::string(kSameRepository) + " ORDER BY g.project_id LIMIT 1", {owner, name},
               "no project integrates repository " + owner + "/" + name);
  });
}

Result<std::vector<GithubIntegrationRecord>> GithubStore::find_all_by_repository(
    const std::string& owner, const std::string& name) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<GithubIntegrationRecord>> {
    OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kGithubColumns + kGithubFrom + "WHERE " +
                                   kSameRepository + " ORDER BY g.project_id",
                               {owner, name}));
    std::vector<GithubIntegrationRecord> out;
    out.reserve(rows.size());
    for (const Row& r : rows) out.push_back(github_from_row(r));
    return out;
  });
}

Status GithubStore::remove(const std::string& project_id) {
  Status removed = db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(int64_t n,
            s.exec("DELETE FROM github_integrations WHERE project_id = $1", {project_id}));
    if (n == 0) return Error::not_found("project " + project_id + " has no GitHub integration");
    OPZ_TRY_STATUS(s.exec("DELETE FROM github_tokens WHERE project_id = $1", {project_id}));
    return {};
  });
  if (removed.ok()) ++generation_;
  return removed;
}

Result<std::vector<GithubStore::TokenRef>> GithubStore::legacy_tokens() {
  return db_.read([&](SqlSession& s) -> Result<std::vector<TokenRef>> {
    OPZ_TRY(Rows rows, s.query("SELECT project_id, token_encrypted FROM github_integrations "
                               "WHERE token_encrypted IS NOT NULL AND token_encrypted <> '' "
                               "ORDER BY project_id"));
    std::vector<TokenRef> out;
    for (const Row& r : rows)
      out.push_back({r["project_id"].as_text(), r["token_encrypted"].as_text()});
    return out;
  });
}

Result<std::vector<GithubStore::TokenRef>> GithubStore::tokens_not_under(
    const std::string& key_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<TokenRef>> {
    OPZ_TRY(Rows rows,
            s.query(std::string("SELECT ") + kGithubColumns + kGithubFrom +
                        "WHERE t.id IS NOT NULL AND t.key_id <> $1 ORDER BY g.project_id",
                    {key_id}));
    std::vector<TokenRef> out;
    for (const Row& r : rows) out.push_back({r["project_id"].as_text(), token_sealed_of(r)});
    return out;
  });
}

Status GithubStore::replace_token(const std::string& project_id, const std::string& expected,
                                  const StoredGithubToken& token) {
  const std::string now = format_time(clock_.now());
  Status replaced = db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(GithubIntegrationRecord current,
            one(s, "g.project_id = $1", {project_id},
                "project " + project_id + " has no GitHub integration"));
    if (current.token_sealed != expected)
      return Error::conflict("the token of project " + project_id + " changed meanwhile");
    return store_token(s, project_id, encode_ring_token(token), now);
  });
  if (replaced.ok()) ++generation_;
  return replaced;
}

}  // namespace opz::store
