#include "store/github_store.h"

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::store {

namespace {

constexpr const char* kColumns =
    "id, project_id, repository_owner, repository_name, webhook_secret_encrypted, "
    "token_encrypted, workflow_file, api_base_url, repository_id, created_by, created_at, "
    "updated_at";

GithubIntegrationRecord from_row(const Row& r) {
  GithubIntegrationRecord g;
  g.id = r["id"].as_text();
  g.project_id = r["project_id"].as_text();
  g.repository_owner = r["repository_owner"].as_text();
  g.repository_name = r["repository_name"].as_text();
  g.webhook_secret_sealed = r["webhook_secret_encrypted"].as_text();
  g.token_sealed = r["token_encrypted"].as_text();
  g.workflow_file = r["workflow_file"].as_text();
  g.api_base_url = r["api_base_url"].as_text();
  g.repository_id = r["repository_id"].as_text();
  g.created_by = r["created_by"].as_text();
  g.created_at = r["created_at"].as_text();
  g.updated_at = r["updated_at"].as_text();
  return g;
}

Result<GithubIntegrationRecord> one(SqlSession& s, const std::string& where, const Params& params,
                                    const std::string& not_found) {
  OPZ_TRY(Rows rows,
          s.query(std::string("SELECT ") + kColumns + " FROM github_integrations WHERE " + where,
                  params));
  if (rows.empty()) return Error::not_found(not_found);
  return from_row(rows[0]);
}

SqlValue text_or_null(const std::string& s) { return s.empty() ? SqlValue() : SqlValue(s); }

}  // namespace

Result<GithubIntegrationRecord> GithubStore::put(const std::string& project_id,
                                                 const GithubIntegrationFields& f,
                                                 const std::string& actor) {
  const std::string now = format_time(clock_.now());
  auto stored = db_.write([&](SqlSession& s) -> Result<GithubIntegrationRecord> {
    OPZ_TRY(Rows taken, s.query("SELECT project_id FROM github_integrations WHERE "
                                "lower(repository_owner) = lower($1) AND "
                                "lower(repository_name) = lower($2) AND project_id <> $3",
                                {f.repository_owner, f.repository_name, project_id}));
    if (!taken.empty()) {
      return Error::conflict("repository " + f.repository_owner + "/" + f.repository_name +
                                 " is already integrated with project " +
                                 taken[0]["project_id"].as_text(),
                             "repository_name");
    }
    OPZ_TRY(Rows existing, s.query("SELECT token_encrypted FROM github_integrations WHERE "
                                   "project_id = $1",
                                   {project_id}));
    std::string token;
    if (f.token_sealed) {
      token = *f.token_sealed;
    } else if (!existing.empty()) {
      token = existing[0]["token_encrypted"].as_text();
    }
    if (existing.empty()) {
      OPZ_TRY_STATUS(s.exec(
          "INSERT INTO github_integrations (id, project_id, repository_owner, repository_name, "
          "webhook_secret_encrypted, token_encrypted, workflow_file, api_base_url, repository_id, "
          "created_by, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
          {new_uuid(), project_id, f.repository_owner, f.repository_name,
           text_or_null(f.webhook_secret_sealed), text_or_null(token),
           text_or_null(f.workflow_file), f.api_base_url, text_or_null(f.repository_id),
           text_or_null(actor), now}));
    } else {
      OPZ_TRY_STATUS(s.exec(
          "UPDATE github_integrations SET repository_owner = $2, repository_name = $3, "
          "webhook_secret_encrypted = $4, token_encrypted = $5, workflow_file = $6, "
          "api_base_url = $7, repository_id = $8, updated_at = $9 WHERE project_id = $1",
          {project_id, f.repository_owner, f.repository_name, text_or_null(f.webhook_secret_sealed),
           text_or_null(token), text_or_null(f.workflow_file), f.api_base_url,
           text_or_null(f.repository_id), now}));
    }
    return one(s, "project_id = $1", {project_id}, "integration vanished");
  });
  if (stored) ++generation_;
  return stored;
}

Result<GithubIntegrationRecord> GithubStore::find_by_project(const std::string& project_id) {
  return db_.read([&](SqlSession& s) {
    return one(s, "project_id = $1", {project_id},
               "project " + project_id + " has no GitHub integration");
  });
}

Result<GithubIntegrationRecord> GithubStore::find_by_repository(const std::string& owner,
                                                                const std::string& name) {
  return db_.read([&](SqlSession& s) {
    return one(s, "lower(repository_owner) = lower($1) AND lower(repository_name) = lower($2)",
               {owner, name}, "no project integrates repository " + owner + "/" + name);
  });
}

Status GithubStore::remove(const std::string& project_id) {
  Status removed = db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(int64_t n,
            s.exec("DELETE FROM github_integrations WHERE project_id = $1", {project_id}));
    if (n == 0) return Error::not_found("project " + project_id + " has no GitHub integration");
    return {};
  });
  if (removed.ok()) ++generation_;
  return removed;
}

}  // namespace opz::store
