-- 024_path_filters: monorepos (issue 14, "Git at scale"; docs/webhooks.md).
-- Several projects may follow one repository, so (repository_owner,
-- repository_name) is no longer unique; path_filters: the integration's
-- ordered globs over the files a push changed (github/path_filter.h), a JSON
-- array of strings; [] = no filter.
ALTER TABLE github_integrations
  DROP CONSTRAINT IF EXISTS github_integrations_repository_owner_repository_name_key;
ALTER TABLE github_integrations ADD COLUMN path_filters json NOT NULL DEFAULT '[]';
-- The by-repository lookup of every delivery to the generic URLs.
CREATE INDEX github_integrations_repository_idx
  ON github_integrations (lower(repository_owner), lower(repository_name));
