-- 010_deployments: what a deployment did and which version each environment
-- runs (issue 9; store::DeploymentStore, docs/schema.md).
--
-- deployments gains the attempt's node, commit, image and artifact, its
-- progress (phase, blue-green slot, canary weight), start and completion
-- times, and the status 'blocked' (a pre-deploy hook failed; nothing
-- changed). deployment_versions gains marked_bad. Both keep every column the
-- seeds write (000 §2.2 step 8), and id/created_at/updated_at now default, so
-- the seeds' inserts run as they are written there.
--
-- SQLite cannot change a CHECK constraint, so both tables are rebuilt. The
-- migrator runs this inside a transaction with foreign keys ON, where
-- PRAGMA foreign_keys cannot be switched off, hence the order:
--   1. rename the old tables out of the way (SQLite rewrites the references:
--      deployment_versions_009 and deployments_009.rollback_of now point at
--      deployments_009, so nothing references the name `deployments`);
--   2. create the new tables under the real names and copy the rows (one
--      INSERT ... SELECT each: rollback_of's self-references are checked at
--      the end of the statement);
--   3. drop the old child table, then the old parent: DROP runs an implicit
--      DELETE whose ON DELETE actions can then only reach the old tables
--      themselves, never a copied row;
--   4. recreate the indexes (they went with the old tables).

ALTER TABLE deployment_versions RENAME TO deployment_versions_009;
ALTER TABLE deployments RENAME TO deployments_009;

CREATE TABLE deployments (
  id            TEXT PRIMARY KEY NOT NULL
                DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
                         substr(lower(hex(randomblob(2))), 2) || '-' ||
                         substr('89ab', 1 + (abs(random()) % 4), 1) ||
                         substr(lower(hex(randomblob(2))), 2) || '-' ||
                         lower(hex(randomblob(6)))),
  execution_id  TEXT REFERENCES executions (id) ON DELETE SET NULL,
  node_id       TEXT,
  project_id    TEXT REFERENCES projects (id) ON DELETE CASCADE,
  environment   TEXT NOT NULL,
  version       TEXT NOT NULL,
  commit_sha    TEXT,
  image_tag     TEXT,
  artifact_id   TEXT REFERENCES artifacts (id) ON DELETE SET NULL,
  status        TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'running', 'success', 'failed', 'rolled_back',
                                  'cancelled', 'blocked')),
  strategy      TEXT NOT NULL DEFAULT 'rolling'
                CHECK (strategy IN ('rolling', 'recreate', 'blue_green', 'canary')),
  phase         TEXT,
  slot          TEXT CHECK (slot IN ('blue', 'green')),
  canary_weight INTEGER NOT NULL DEFAULT 0 CHECK (canary_weight BETWEEN 0 AND 100),
  deployed_by   TEXT,
  -- The seeds' column: when the deployment succeeded (= completed_at then).
  deployed_at   TEXT,
  started_at    TEXT,
  completed_at  TEXT,
  rollback_of   TEXT REFERENCES deployments (id) ON DELETE SET NULL,
  reason        TEXT,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Rows written before 010: a finished one completed when it was deployed,
-- and takes commit, image and artifact from its (newest) version row.
INSERT INTO deployments (id, execution_id, project_id, environment, version, commit_sha,
                         image_tag, artifact_id, status, strategy, deployed_by, deployed_at,
                         completed_at, rollback_of, reason, created_at, updated_at)
  SELECT d.id, d.execution_id, d.project_id, d.environment, d.version,
         (SELECT v.commit_sha FROM deployment_versions_009 v WHERE v.deployment_id = d.id
          ORDER BY v.created_at DESC, v.id DESC LIMIT 1),
         (SELECT v.image_tag FROM deployment_versions_009 v WHERE v.deployment_id = d.id
          ORDER BY v.created_at DESC, v.id DESC LIMIT 1),
         (SELECT v.artifact_id FROM deployment_versions_009 v WHERE v.deployment_id = d.id
          ORDER BY v.created_at DESC, v.id DESC LIMIT 1),
         d.status, d.strategy, d.deployed_by, d.deployed_at,
         CASE WHEN d.status IN ('pending', 'running') THEN NULL ELSE d.deployed_at END,
         d.rollback_of, d.reason, d.created_at, d.updated_at
  FROM deployments_009 d;

CREATE TABLE deployment_versions (
  id                TEXT PRIMARY KEY NOT NULL
                    DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) ||
                             '-4' || substr(lower(hex(randomblob(2))), 2) || '-' ||
                             substr('89ab', 1 + (abs(random()) % 4), 1) ||
                             substr(lower(hex(randomblob(2))), 2) || '-' ||
                             lower(hex(randomblob(6)))),
  project_id        TEXT REFERENCES projects (id) ON DELETE CASCADE,
  deployment_id     TEXT REFERENCES deployments (id) ON DELETE CASCADE,
  environment       TEXT NOT NULL,
  version_tag       TEXT NOT NULL,
  commit_sha        TEXT,
  image_tag         TEXT,
  artifact_id       TEXT REFERENCES artifacts (id) ON DELETE SET NULL,
  is_current        INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
  marked_bad        INTEGER NOT NULL DEFAULT 0 CHECK (marked_bad IN (0, 1)),
  marked_bad_reason TEXT,
  created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO deployment_versions (id, project_id, deployment_id, environment, version_tag,
                                 commit_sha, image_tag, artifact_id, is_current, created_at)
  SELECT id, project_id, deployment_id, environment, version_tag, commit_sha, image_tag,
         artifact_id, is_current, created_at
  FROM deployment_versions_009;

DROP TABLE deployment_versions_009;
DROP TABLE deployments_009;

CREATE INDEX deployments_project_env_idx ON deployments (project_id, environment, created_at, id);
CREATE INDEX deployments_environment_idx ON deployments (environment, created_at);
-- A deploy node attempt finds its deployment by (execution, node).
CREATE INDEX deployments_execution_node_idx ON deployments (execution_id, node_id);

CREATE INDEX deployment_versions_project_env_idx
  ON deployment_versions (project_id, environment, created_at);
CREATE INDEX deployment_versions_deployment_idx ON deployment_versions (deployment_id);
-- One current version per (project, environment): clear the old one first.
CREATE UNIQUE INDEX deployment_versions_current_idx ON deployment_versions (project_id, environment)
  WHERE is_current = 1;

-- Every health-check or analysis probe of a deployment, shown with it.
-- status_code: HTTP probes; value: analysis samples (the number compared
-- with the threshold).
CREATE TABLE deployment_probes (
  id            TEXT PRIMARY KEY NOT NULL,
  deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  kind          TEXT NOT NULL DEFAULT 'health' CHECK (kind IN ('health', 'analysis')),
  target        TEXT,
  ok            INTEGER NOT NULL CHECK (ok IN (0, 1)),
  latency_ms    INTEGER NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
  status_code   INTEGER,
  value         REAL,
  error         TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX deployment_probes_deployment_idx ON deployment_probes (deployment_id, created_at);

-- A hold stops automatic deploys to (project, environment) after a rollback
-- marked a version bad, until someone releases it. The active hold has no
-- released_at (at most one per environment).
CREATE TABLE deployment_holds (
  id            TEXT PRIMARY KEY NOT NULL,
  project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  environment   TEXT NOT NULL,
  deployment_id TEXT REFERENCES deployments (id) ON DELETE SET NULL,
  version_tag   TEXT,
  reason        TEXT,
  created_by    TEXT,
  created_at    TEXT NOT NULL,
  released_by   TEXT,
  released_at   TEXT
);
CREATE UNIQUE INDEX deployment_holds_active_idx ON deployment_holds (project_id, environment)
  WHERE released_at IS NULL;
CREATE INDEX deployment_holds_project_idx ON deployment_holds (project_id, created_at);

-- A project's lifecycle (Octopus-style): a version enters the environment of
-- position n > 0 only after it succeeded in position n-1's environment at
-- least soak_seconds ago. No rows: no lifecycle.
CREATE TABLE lifecycle_phases (
  project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL CHECK (position >= 0),
  environment  TEXT NOT NULL,
  soak_seconds INTEGER NOT NULL DEFAULT 0 CHECK (soak_seconds >= 0),
  PRIMARY KEY (project_id, position),
  UNIQUE (project_id, environment)
);
