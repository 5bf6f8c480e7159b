-- 024_path_filters: monorepos (issue 14, "Git at scale"; docs/webhooks.md).
-- Several projects may follow one repository: a push to it starts every
-- project whose integration follows it (and whose path filters and branch
-- mapping match), so (repository_owner, repository_name) is no longer unique.
-- path_filters: the integration's ordered globs over the files a push
-- changed (github/path_filter.h), a JSON array of strings; [] = no filter.
-- SQLite cannot drop a table constraint, so the table is rebuilt (nothing
-- references it; github_tokens joins it by project_id).
ALTER TABLE github_integrations RENAME TO github_integrations_023;
CREATE TABLE github_integrations (
  id                       TEXT PRIMARY KEY NOT NULL,
  project_id               TEXT NOT NULL UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
  repository_owner         TEXT NOT NULL,
  repository_name          TEXT NOT NULL,
  webhook_secret_encrypted TEXT,
  token_encrypted          TEXT,
  workflow_file            TEXT,
  api_base_url             TEXT NOT NULL DEFAULT 'https://api.github.com',
  created_by               TEXT,
  created_at               TEXT NOT NULL,
  updated_at               TEXT NOT NULL,
  repository_id            TEXT,
  path_filters             TEXT NOT NULL DEFAULT '[]'
                           CHECK (json_valid(path_filters) AND json_type(path_filters) = 'array')
);
INSERT INTO github_integrations (id, project_id, repository_owner, repository_name,
                                 webhook_secret_encrypted, token_encrypted, workflow_file,
                                 api_base_url, created_by, created_at, updated_at, repository_id)
  SELECT id, project_id, repository_owner, repository_name, webhook_secret_encrypted,
         token_encrypted, workflow_file, api_base_url, created_by, created_at, updated_at,
         repository_id
  FROM github_integrations_023;
DROP TABLE github_integrations_023;
-- The by-repository lookup of every delivery to the generic URLs.
CREATE INDEX github_integrations_repository_idx
  ON github_integrations (lower(repository_owner), lower(repository_name));
