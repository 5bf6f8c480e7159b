-- 016_secrets: encrypted secrets and per-environment configuration (issue 12;
-- docs/secrets.md, docs/schema.md).
--
-- secret_references keeps the seeds' columns (ref_key, provider, scope,
-- description) and gains where a secret applies and its ciphertext. One row
-- per (project, environment, name): project_id NULL is a global secret,
-- environment NULL a project-wide one. ref_key is the address as text
-- ("global/NAME", "project/<id>/NAME", "environment/<id>/<env>/NAME"); scope
-- is "global", "project" or "environment". The value is never stored in
-- clear: ciphertext and nonce are base64 (secrets::seal_secret, AEAD
-- XChaCha20-Poly1305 with the row's id, scope, project, environment id and name
-- as associated data) under the master key named by key_id. No trigger writes
-- these rows into realtime_events.
ALTER TABLE secret_references ADD COLUMN project_id TEXT REFERENCES projects (id) ON DELETE CASCADE;
ALTER TABLE secret_references ADD COLUMN environment TEXT;
ALTER TABLE secret_references ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE secret_references ADD COLUMN ciphertext TEXT;
ALTER TABLE secret_references ADD COLUMN nonce TEXT;
ALTER TABLE secret_references ADD COLUMN key_id TEXT;
ALTER TABLE secret_references ADD COLUMN updated_by TEXT;
CREATE UNIQUE INDEX secret_references_address_idx
  ON secret_references (COALESCE(project_id, ''), COALESCE(environment, ''), name);
-- What `opzenix secrets rotate-key` looks for: rows not yet under the newest key.
CREATE INDEX secret_references_key_idx ON secret_references (key_id);

-- environment_configs keeps the seeds' columns but loses its foreign key to
-- the global environments(name): a project's row names one of ITS
-- environments (project_environments, checked by the store). SQLite cannot
-- drop a foreign key, so the table is rebuilt (nothing references it).
-- variables: {"KEY": "value"} (non-secret, shown in full); updated_by added.
ALTER TABLE environment_configs RENAME TO environment_configs_015;
CREATE TABLE environment_configs (
  id          TEXT PRIMARY KEY NOT NULL,
  project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  environment TEXT NOT NULL,
  variables   TEXT NOT NULL DEFAULT '{}'
              CHECK (json_valid(variables) AND json_type(variables) = 'object'),
  secrets_ref TEXT,
  updated_by  TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (project_id, environment)
);
INSERT INTO environment_configs (id, project_id, environment, variables, secrets_ref, created_at,
                                 updated_at)
  SELECT id, project_id, environment, variables, secrets_ref, created_at, updated_at
  FROM environment_configs_015;
DROP TABLE environment_configs_015;

-- A project's environment removed: its configuration and secrets go with it.
CREATE TRIGGER project_environments_delete_scoped AFTER DELETE ON project_environments
BEGIN
  DELETE FROM environment_configs WHERE project_id = OLD.project_id AND environment = OLD.name;
  DELETE FROM secret_references WHERE project_id = OLD.project_id AND environment = OLD.name;
END;

-- A project's environment renamed: its configuration and secrets follow (a
-- secret's ciphertext is bound to the environment's id, not its name).
CREATE TRIGGER project_environments_rename_scoped AFTER UPDATE OF name ON project_environments
WHEN OLD.name IS NOT NEW.name
BEGIN
  UPDATE environment_configs SET environment = NEW.name
   WHERE project_id = OLD.project_id AND environment = OLD.name;
  UPDATE secret_references
     SET environment = NEW.name,
         ref_key = 'environment/' || OLD.project_id || '/' || NEW.name || '/' || name
   WHERE project_id = OLD.project_id AND environment = OLD.name;
END;
