-- 001_initial: the whole initial Opzenix schema (see docs/schema.md).
--
-- Conventions (a PostgreSQL twin maps them 1:1):
--   ids         TEXT UUID v4, lower-case               (PG: uuid / text)
--   times       TEXT "2024-01-15T10:30:00.123Z" (UTC)    (PG: text, same format)
--   booleans    INTEGER 0/1 with CHECK                 (PG: boolean)
--   JSON        TEXT with CHECK (json_valid(...))      (PG: jsonb)
--   enums       TEXT with CHECK (... IN (...))          (PG: the same CHECKs)
-- Table and column names come from the seed documents (004 "Database Schema",
-- 000 "Deployment Guide"); they are a contract for every repository in store/.
-- Actor columns (started_by, deployed_by, locked_by, ...) hold a profile id or
-- a system actor such as 'system' or 'github:<login>', so they carry no foreign key.

-- ===== Users, roles, sessions =================================================

CREATE TABLE profiles (
  id            TEXT PRIMARY KEY NOT NULL,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  full_name     TEXT,
  avatar_url    TEXT,
  password_hash TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE user_roles (
  id         TEXT PRIMARY KEY NOT NULL,
  user_id    TEXT NOT NULL UNIQUE REFERENCES profiles (id) ON DELETE CASCADE,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  created_at TEXT NOT NULL
);

CREATE TABLE user_preferences (
  id             TEXT PRIMARY KEY NOT NULL,
  user_id        TEXT NOT NULL UNIQUE REFERENCES profiles (id) ON DELETE CASCADE,
  default_mode   TEXT NOT NULL DEFAULT 'control-tower',
  ui_preferences TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(ui_preferences)),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY NOT NULL,
  user_id      TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  last_used_at TEXT
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY NOT NULL,
  user_id      TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  token_prefix TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  expires_at   TEXT,
  revoked_at   TEXT
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);

-- ===== Organizations and projects ============================================

CREATE TABLE organizations (
  id         TEXT PRIMARY KEY NOT NULL,
  name       TEXT NOT NULL,
  slug       TEXT NOT NULL UNIQUE,
  owner_id   TEXT REFERENCES profiles (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE organization_members (
  id              TEXT PRIMARY KEY NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id         TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  role            TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
  created_at      TEXT NOT NULL,
  UNIQUE (organization_id, user_id)
);
CREATE INDEX organization_members_user_idx ON organization_members (user_id);

CREATE TABLE projects (
  id                    TEXT PRIMARY KEY NOT NULL,
  organization_id       TEXT REFERENCES organizations (id) ON DELETE CASCADE,
  name                  TEXT NOT NULL,
  slug                  TEXT NOT NULL,
  description           TEXT,
  github_repo_url       TEXT,
  git_url               TEXT,
  poll_interval_seconds INTEGER NOT NULL DEFAULT 0 CHECK (poll_interval_seconds >= 0),
  default_branch        TEXT NOT NULL DEFAULT 'main',
  created_by            TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  UNIQUE (organization_id, slug)
);
-- UNIQUE treats NULLs as distinct: projects outside any organization need their own rule.
CREATE UNIQUE INDEX projects_slug_no_org_idx ON projects (slug) WHERE organization_id IS NULL;

-- ===== Environments and governance ===========================================

CREATE TABLE environments (
  id                  TEXT PRIMARY KEY NOT NULL,
  name                TEXT NOT NULL UNIQUE,
  position            INTEGER NOT NULL DEFAULT 0,
  requires_approval   INTEGER NOT NULL DEFAULT 0 CHECK (requires_approval IN (0, 1)),
  required_approvals  INTEGER NOT NULL DEFAULT 0 CHECK (required_approvals >= 0),
  lock_default        INTEGER NOT NULL DEFAULT 0 CHECK (lock_default IN (0, 1)),
  allowed_roles       TEXT NOT NULL DEFAULT '["admin","operator","viewer"]'
                      CHECK (json_valid(allowed_roles) AND json_type(allowed_roles) = 'array'),
  auto_deploy         INTEGER NOT NULL DEFAULT 0 CHECK (auto_deploy IN (0, 1)),
  wait_timer_seconds  INTEGER NOT NULL DEFAULT 0 CHECK (wait_timer_seconds >= 0),
  deployment_branches TEXT NOT NULL DEFAULT '[]'
                      CHECK (json_valid(deployment_branches)
                             AND json_type(deployment_branches) = 'array'),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL
);
CREATE INDEX environments_position_idx ON environments (position);

CREATE TABLE environment_configs (
  id          TEXT PRIMARY KEY NOT NULL,
  project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  environment TEXT NOT NULL REFERENCES environments (name) ON UPDATE CASCADE ON DELETE CASCADE,
  variables   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(variables)),
  secrets_ref TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (project_id, environment)
);

-- project_id NULL: the global lock of an environment (the seeded rows).
CREATE TABLE environment_locks (
  id                TEXT PRIMARY KEY NOT NULL,
  project_id        TEXT REFERENCES projects (id) ON DELETE CASCADE,
  environment       TEXT NOT NULL
                    REFERENCES environments (name) ON UPDATE CASCADE ON DELETE CASCADE,
  is_locked         INTEGER NOT NULL DEFAULT 0 CHECK (is_locked IN (0, 1)),
  lock_reason       TEXT,
  required_role     TEXT CHECK (required_role IN ('admin', 'operator', 'viewer')),
  requires_approval INTEGER NOT NULL DEFAULT 0 CHECK (requires_approval IN (0, 1)),
  locked_by         TEXT,
  locked_at         TEXT,
  unlocked_by       TEXT,
  unlocked_at       TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (project_id, environment)
);
CREATE UNIQUE INDEX environment_locks_global_idx ON environment_locks (environment)
  WHERE project_id IS NULL;

-- ===== Pipelines and templates ===============================================

CREATE TABLE flow_templates (
  id          TEXT PRIMARY KEY NOT NULL,
  project_id  TEXT REFERENCES projects (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  description TEXT,
  type        TEXT NOT NULL DEFAULT 'cicd'
              CHECK (type IN ('cicd', 'mlops', 'llmops', 'infrastructure', 'security')),
  nodes       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(nodes)),
  edges       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(edges)),
  created_by  TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX flow_templates_project_idx ON flow_templates (project_id, created_at);

CREATE TABLE pipeline_templates (
  id          TEXT PRIMARY KEY NOT NULL,
  name        TEXT NOT NULL,
  description TEXT,
  category    TEXT NOT NULL DEFAULT 'cicd',
  nodes       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(nodes)),
  edges       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(edges)),
  popularity  INTEGER NOT NULL DEFAULT 0,
  tags        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX pipeline_templates_category_idx ON pipeline_templates (category, popularity);

-- ===== Executions ============================================================

CREATE TABLE executions (
  id                  TEXT PRIMARY KEY NOT NULL,
  name                TEXT NOT NULL,
  project_id          TEXT REFERENCES projects (id) ON DELETE CASCADE,
  flow_template_id    TEXT REFERENCES flow_templates (id) ON DELETE SET NULL,
  pipeline            TEXT CHECK (pipeline IS NULL OR json_valid(pipeline)),
  status              TEXT NOT NULL DEFAULT 'idle'
                      CHECK (status IN ('idle', 'running', 'paused', 'success', 'warning',
                                        'failed', 'cancelled')),
  environment         TEXT,
  branch              TEXT,
  commit_hash         TEXT,
  progress            INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  governance_status   TEXT
                      CHECK (governance_status IN ('allowed', 'blocked', 'pending_approval',
                                                   'approved', 'rejected')),
  blocked_reason      TEXT,
  started_by          TEXT,
  trigger_type        TEXT DEFAULT 'manual'
                      CHECK (trigger_type IN ('manual', 'push', 'pull_request', 'tag', 'release',
                                              'poll', 'rerun', 'replay', 'cli')),
  parent_execution_id TEXT REFERENCES executions (id) ON DELETE SET NULL,
  rerun_checkpoint_id TEXT REFERENCES checkpoints (id) ON DELETE SET NULL,
  cancel_reason       TEXT,
  metadata            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  started_at          TEXT,
  completed_at        TEXT,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL
);
CREATE INDEX executions_status_idx ON executions (status, started_at);
CREATE INDEX executions_started_idx ON executions (started_at);
CREATE INDEX executions_created_idx ON executions (created_at, id);
CREATE INDEX executions_project_idx ON executions (project_id, started_at);
CREATE INDEX executions_environment_idx ON executions (environment, started_at);
CREATE INDEX executions_branch_idx ON executions (branch, started_at);
CREATE INDEX executions_parent_idx ON executions (parent_execution_id);
CREATE INDEX executions_template_idx ON executions (flow_template_id);

CREATE TABLE execution_nodes (
  id              TEXT PRIMARY KEY NOT NULL,
  execution_id    TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id         TEXT NOT NULL,
  name            TEXT,
  type            TEXT,
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'queued', 'running', 'success', 'failed',
                                    'skipped', 'cancelled', 'waiting')),
  attempt         INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  max_attempts    INTEGER NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
  exit_code       INTEGER,
  signal          INTEGER,
  error           TEXT,
  outputs         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(outputs)),
  logs            TEXT,
  log_bytes       INTEGER NOT NULL DEFAULT 0 CHECK (log_bytes >= 0),
  log_truncated   INTEGER NOT NULL DEFAULT 0 CHECK (log_truncated IN (0, 1)),
  started_at      TEXT,
  completed_at    TEXT,
  duration_ms     INTEGER CHECK (duration_ms >= 0),
  next_attempt_at TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (execution_id, node_id)
);
CREATE INDEX execution_nodes_status_idx ON execution_nodes (status, next_attempt_at);

-- id is the sequence number clients tail from (?after=<id>): strictly increasing.
CREATE TABLE execution_logs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id      TEXT,
  attempt      INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  stream       TEXT NOT NULL DEFAULT 'stdout' CHECK (stream IN ('stdout', 'stderr', 'system')),
  level        TEXT NOT NULL DEFAULT 'info' CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message      TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX execution_logs_node_idx ON execution_logs (execution_id, node_id, id);
CREATE INDEX execution_logs_execution_idx ON execution_logs (execution_id, id);

-- node_id NULL: a transition of the execution itself.
CREATE TABLE execution_state_events (
  id           TEXT PRIMARY KEY NOT NULL,
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id      TEXT,
  old_state    TEXT,
  new_state    TEXT NOT NULL,
  reason       TEXT,
  created_at   TEXT NOT NULL
);
CREATE INDEX execution_state_events_execution_idx
  ON execution_state_events (execution_id, created_at);

CREATE TABLE checkpoints (
  id           TEXT PRIMARY KEY NOT NULL,
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id      TEXT NOT NULL,
  name         TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(state)),
  created_at   TEXT NOT NULL
);
CREATE INDEX checkpoints_execution_idx ON checkpoints (execution_id, created_at);

CREATE TABLE artifacts (
  id           TEXT PRIMARY KEY NOT NULL,
  name         TEXT NOT NULL,
  execution_id TEXT REFERENCES executions (id) ON DELETE SET NULL,
  node_id      TEXT,
  image_digest TEXT,
  image_tag    TEXT,
  registry_url TEXT,
  type         TEXT NOT NULL DEFAULT 'docker',
  size_bytes   INTEGER CHECK (size_bytes >= 0),
  metadata     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  created_at   TEXT NOT NULL
);
CREATE INDEX artifacts_execution_idx ON artifacts (execution_id);
CREATE INDEX artifacts_digest_idx ON artifacts (image_digest);

-- ===== Approvals =============================================================

CREATE TABLE approval_requests (
  id                 TEXT PRIMARY KEY NOT NULL,
  execution_id       TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id            TEXT,
  environment        TEXT,
  status             TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'approved', 'rejected')),
  required_approvals INTEGER NOT NULL DEFAULT 1 CHECK (required_approvals >= 1),
  requested_by       TEXT,
  title              TEXT,
  description        TEXT,
  wait_until         TEXT,
  resolved_at        TEXT,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);
CREATE INDEX approval_requests_status_idx ON approval_requests (status, created_at);
CREATE INDEX approval_requests_execution_idx ON approval_requests (execution_id, node_id);
-- At most one open request per gate.
CREATE UNIQUE INDEX approval_requests_pending_idx ON approval_requests (execution_id, node_id)
  WHERE status = 'pending';

-- user_id has no foreign key: votes are history and outlive their voter's account.
CREATE TABLE approval_votes (
  id                  TEXT PRIMARY KEY NOT NULL,
  approval_request_id TEXT NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
  user_id             TEXT NOT NULL,
  vote                INTEGER NOT NULL CHECK (vote IN (0, 1)),
  comment             TEXT,
  created_at          TEXT NOT NULL,
  UNIQUE (approval_request_id, user_id)
);

-- ===== Deployments ===========================================================

CREATE TABLE deployments (
  id           TEXT PRIMARY KEY NOT NULL,
  execution_id TEXT REFERENCES executions (id) ON DELETE SET NULL,
  project_id   TEXT REFERENCES projects (id) ON DELETE CASCADE,
  environment  TEXT NOT NULL,
  version      TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'running', 'success', 'failed', 'rolled_back',
                                 'cancelled')),
  strategy     TEXT NOT NULL DEFAULT 'rolling'
               CHECK (strategy IN ('rolling', 'recreate', 'blue_green', 'canary')),
  deployed_by  TEXT,
  deployed_at  TEXT,
  rollback_of  TEXT REFERENCES deployments (id) ON DELETE SET NULL,
  reason       TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX deployments_project_env_idx ON deployments (project_id, environment, created_at);
CREATE INDEX deployments_environment_idx ON deployments (environment, created_at);
CREATE INDEX deployments_execution_idx ON deployments (execution_id);

CREATE TABLE deployment_versions (
  id            TEXT PRIMARY KEY NOT NULL,
  project_id    TEXT REFERENCES projects (id) ON DELETE CASCADE,
  deployment_id TEXT REFERENCES deployments (id) ON DELETE CASCADE,
  environment   TEXT NOT NULL,
  version_tag   TEXT NOT NULL,
  commit_sha    TEXT,
  image_tag     TEXT,
  artifact_id   TEXT REFERENCES artifacts (id) ON DELETE SET NULL,
  is_current    INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
  created_at    TEXT NOT NULL
);
CREATE INDEX deployment_versions_project_env_idx
  ON deployment_versions (project_id, environment, created_at);
-- One current version per (project, environment): clear the old one first.
CREATE UNIQUE INDEX deployment_versions_current_idx ON deployment_versions (project_id, environment)
  WHERE is_current = 1;

-- ===== Connections and GitHub ================================================

CREATE TABLE connections (
  id                TEXT PRIMARY KEY NOT NULL,
  type              TEXT NOT NULL,
  name              TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'active', 'degraded', 'failed', 'disabled')),
  config            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  validated         INTEGER NOT NULL DEFAULT 0 CHECK (validated IN (0, 1)),
  last_validated_at TEXT,
  created_by        TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX connections_type_idx ON connections (type, status);

CREATE TABLE connection_health_events (
  id               TEXT PRIMARY KEY NOT NULL,
  connection_id    TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  status           TEXT NOT NULL CHECK (status IN ('healthy', 'degraded', 'unhealthy')),
  response_time_ms INTEGER CHECK (response_time_ms >= 0),
  message          TEXT,
  created_at       TEXT NOT NULL
);
CREATE INDEX connection_health_events_connection_idx
  ON connection_health_events (connection_id, created_at);

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
  UNIQUE (repository_owner, repository_name)
);

CREATE TABLE github_tokens (
  id              TEXT PRIMARY KEY NOT NULL,
  user_id         TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  encrypted_token TEXT NOT NULL,
  scopes          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scopes)),
  created_at      TEXT NOT NULL
);
CREATE INDEX github_tokens_user_idx ON github_tokens (user_id);

-- project_id NULL: the global default rules (seeded below). Rules are tried in
-- (position, id) order; the first whose pattern matches the ref wins.
CREATE TABLE branch_mappings (
  id                 TEXT PRIMARY KEY NOT NULL,
  project_id         TEXT REFERENCES projects (id) ON DELETE CASCADE,
  position           INTEGER NOT NULL DEFAULT 0,
  branch_pattern     TEXT NOT NULL,
  ref_type           TEXT NOT NULL DEFAULT 'branch' CHECK (ref_type IN ('branch', 'tag')),
  environment        TEXT NOT NULL
                     REFERENCES environments (name) ON UPDATE CASCADE ON DELETE CASCADE,
  is_deployable      INTEGER NOT NULL DEFAULT 1 CHECK (is_deployable IN (0, 1)),
  image_tag_template TEXT NOT NULL DEFAULT '{sha7}',
  replicas           INTEGER NOT NULL DEFAULT 1 CHECK (replicas >= 0),
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  UNIQUE (project_id, ref_type, branch_pattern)
);
CREATE INDEX branch_mappings_project_idx ON branch_mappings (project_id, position);
CREATE UNIQUE INDEX branch_mappings_global_idx ON branch_mappings (ref_type, branch_pattern)
  WHERE project_id IS NULL;

CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY NOT NULL,
  delivery_guid   TEXT NOT NULL UNIQUE,
  project_id      TEXT REFERENCES projects (id) ON DELETE SET NULL,
  event           TEXT NOT NULL,
  action          TEXT,
  signature_valid INTEGER NOT NULL DEFAULT 0 CHECK (signature_valid IN (0, 1)),
  headers         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),
  body            BLOB,
  received_at     TEXT NOT NULL,
  processed_at    TEXT,
  outcome         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (outcome IN ('pending', 'processed', 'ignored', 'failed')),
  outcome_reason  TEXT,
  execution_id    TEXT REFERENCES executions (id) ON DELETE SET NULL,
  replay_of       TEXT REFERENCES webhook_deliveries (id) ON DELETE SET NULL
);
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);
CREATE INDEX webhook_deliveries_project_idx ON webhook_deliveries (project_id, received_at);
CREATE INDEX webhook_deliveries_outcome_idx ON webhook_deliveries (outcome, received_at);

CREATE TABLE git_poll_refs (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  ref        TEXT NOT NULL,
  last_sha   TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (project_id, ref)
);

CREATE TABLE commit_status_reports (
  id              TEXT PRIMARY KEY NOT NULL,
  project_id      TEXT REFERENCES projects (id) ON DELETE CASCADE,
  execution_id    TEXT REFERENCES executions (id) ON DELETE CASCADE,
  commit_sha      TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('error', 'failure', 'pending', 'success')),
  target_url      TEXT,
  description     TEXT,
  context         TEXT NOT NULL DEFAULT 'opzenix',
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT,
  last_error      TEXT,
  delivered_at    TEXT,
  created_at      TEXT NOT NULL
);
-- The outbox scan: undelivered reports due for a (re)try.
CREATE INDEX commit_status_reports_due_idx ON commit_status_reports (delivered_at, next_attempt_at);
CREATE INDEX commit_status_reports_execution_idx ON commit_status_reports (execution_id);

-- ===== Telemetry, audit, dashboards ==========================================

-- execution_id has no foreign key: OTLP signals may name executions we never stored.
CREATE TABLE telemetry_signals (
  id            TEXT PRIMARY KEY NOT NULL,
  signal_type   TEXT NOT NULL CHECK (signal_type IN ('trace', 'span', 'metric', 'log', 'event')),
  execution_id  TEXT,
  node_id       TEXT,
  otel_trace_id TEXT,
  otel_span_id  TEXT,
  duration_ms   INTEGER,
  status_code   TEXT,
  severity      TEXT,
  environment   TEXT,
  payload       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  created_at    TEXT NOT NULL
);
CREATE INDEX telemetry_signals_execution_idx ON telemetry_signals (execution_id, created_at);
CREATE INDEX telemetry_signals_type_idx ON telemetry_signals (signal_type, created_at);
CREATE INDEX telemetry_signals_trace_idx ON telemetry_signals (otel_trace_id);

-- No foreign keys: the audit trail outlives what it talks about.
CREATE TABLE audit_logs (
  id            TEXT PRIMARY KEY NOT NULL,
  action        TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id   TEXT,
  user_id       TEXT,
  details       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  ip_address    TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX audit_logs_created_idx ON audit_logs (created_at, id);
CREATE INDEX audit_logs_resource_idx ON audit_logs (resource_type, resource_id, created_at);
CREATE INDEX audit_logs_user_idx ON audit_logs (user_id, created_at);

CREATE TABLE widget_metrics (
  id           TEXT PRIMARY KEY NOT NULL,
  widget_type  TEXT NOT NULL,
  metric_name  TEXT NOT NULL,
  metric_value REAL NOT NULL,
  dimensions   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(dimensions)),
  recorded_at  TEXT NOT NULL
);
CREATE INDEX widget_metrics_lookup_idx ON widget_metrics (widget_type, metric_name, recorded_at);

CREATE TABLE dashboard_layouts (
  id         TEXT PRIMARY KEY NOT NULL,
  user_id    TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  layout     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(layout)),
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX dashboard_layouts_user_idx ON dashboard_layouts (user_id);
CREATE UNIQUE INDEX dashboard_layouts_default_idx ON dashboard_layouts (user_id)
  WHERE is_default = 1;

-- target: a profile id, or a channel name; no foreign key.
CREATE TABLE notification_events (
  id         TEXT PRIMARY KEY NOT NULL,
  type       TEXT NOT NULL,
  target     TEXT,
  payload    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  read_at    TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX notification_events_target_idx ON notification_events (target, created_at);

CREATE TABLE secret_references (
  id          TEXT PRIMARY KEY NOT NULL,
  ref_key     TEXT NOT NULL UNIQUE,
  provider    TEXT NOT NULL DEFAULT 'local',
  scope       TEXT,
  description TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- ===== Seed rows =============================================================
-- Fixed ids (documented in docs/schema.md) so every installation agrees:
--   environments      0e000000-0000-4000-8000-00000000000N
--   environment_locks 0c000000-0000-4000-8000-00000000000N
--   branch_mappings   0b000000-0000-4000-8000-00000000000N
-- Times are the moment the migration ran, in the store's text format.

-- 000 §4.1 "Environment-Specific Rules" + 001 "Environment Protection Rules".
INSERT INTO environments (id, name, position, requires_approval, required_approvals,
                          lock_default, allowed_roles, auto_deploy, wait_timer_seconds,
                          deployment_branches, created_at, updated_at)
VALUES
  ('0e000000-0000-4000-8000-000000000001', 'Development', 1, 0, 0, 0,
   '["admin","operator","viewer"]', 1, 0, '[]',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0e000000-0000-4000-8000-000000000002', 'Staging', 2, 0, 0, 0,
   '["admin","operator"]', 1, 0, '[]',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0e000000-0000-4000-8000-000000000003', 'PreProd', 3, 1, 1, 1,
   '["admin","operator"]', 0, 0, '[]',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0e000000-0000-4000-8000-000000000004', 'Production', 4, 1, 2, 1,
   '["admin"]', 0, 300, '["main","master","v*"]',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- 000 §4.1 lock defaults and §7.2 (operators manage non-prod locks, admins all).
INSERT INTO environment_locks (id, project_id, environment, is_locked, lock_reason,
                               required_role, requires_approval, created_at, updated_at)
VALUES
  ('0c000000-0000-4000-8000-000000000001', NULL, 'Development', 0, NULL, 'operator', 0,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0c000000-0000-4000-8000-000000000002', NULL, 'Staging', 0, NULL, 'operator', 0,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0c000000-0000-4000-8000-000000000003', NULL, 'PreProd', 1, 'Locked by default',
   'operator', 1,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0c000000-0000-4000-8000-000000000004', NULL, 'Production', 1, 'Locked by default',
   'admin', 1,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- 000 §2.2 step 4, in that order; image tags and replicas from 001's mapping
-- table; the v* tag rule from 001 ("v* (tags) -> prod", image tag = the tag).
INSERT INTO branch_mappings (id, project_id, position, branch_pattern, ref_type, environment,
                             is_deployable, image_tag_template, replicas, created_at,
                             updated_at)
VALUES
  ('0b000000-0000-4000-8000-000000000001', NULL, 1, 'main', 'branch', 'Production', 1,
   'prod-{sha7}', 3,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0b000000-0000-4000-8000-000000000002', NULL, 2, 'master', 'branch', 'Production', 1,
   'prod-{sha7}', 3,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0b000000-0000-4000-8000-000000000003', NULL, 3, 'release/*', 'branch', 'PreProd', 1,
   'preprod-{sha7}', 2,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0b000000-0000-4000-8000-000000000004', NULL, 4, 'staging', 'branch', 'Staging', 1,
   'staging-{sha7}', 2,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0b000000-0000-4000-8000-000000000005', NULL, 5, 'develop', 'branch', 'Development', 1,
   'dev-{sha7}', 1,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0b000000-0000-4000-8000-000000000006', NULL, 6, 'feature/*', 'branch', 'Development', 0,
   'dev-{sha7}', 1,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('0b000000-0000-4000-8000-000000000007', NULL, 7, 'v*', 'tag', 'Production', 1,
   '{tag}', 3,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
