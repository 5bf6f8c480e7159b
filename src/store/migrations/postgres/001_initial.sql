-- 001_initial (PostgreSQL 15): the whole schema SQLite reaches after its migrations 001..021,
-- in one file. The PostgreSQL backend starts at schema 021; 002..021 exist here only as
-- comments so both dialects record the same migration names. docs/postgres.md has the type
-- mapping every later migration follows:
--   ids TEXT (not uuid: some ids are not UUIDs); times timestamptz (read back as the store's
--   ISO text); 0/1 flags boolean; JSON documents json (not jsonb: json keeps the text byte for
--   byte, and the audit chain hashes the stored text); other INTEGER bigint; REAL double
--   precision; BLOB bytea (but webhook bodies, bound as text, are text); INTEGER PRIMARY KEY
--   AUTOINCREMENT an identity column.
-- Column names, nullability, defaults, uniques, foreign keys and CHECKs are SQLite's.

-- SQLite's COLLATE NOCASE: case-insensitive equality and ordering. Named "nocase" so the
-- store's "ORDER BY name COLLATE NOCASE" runs unchanged on both dialects.
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2',
                                       deterministic = false);

-- A time as the store writes it in SQLite ("2026-02-12T17:30:00.000Z"): the shape event
-- records carry on both dialects.
CREATE FUNCTION opz_iso_time(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- ===== Users and sessions ====================================================
CREATE TABLE profiles (
  id            text PRIMARY KEY NOT NULL,
  email         text COLLATE nocase NOT NULL UNIQUE,
  full_name     text,
  avatar_url    text,
  password_hash text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE user_roles (
  id         text PRIMARY KEY NOT NULL,
  user_id    text NOT NULL UNIQUE REFERENCES profiles (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  created_at timestamptz NOT NULL
);

CREATE TABLE user_preferences (
  id             text PRIMARY KEY NOT NULL,
  user_id        text NOT NULL UNIQUE REFERENCES profiles (id) ON DELETE CASCADE,
  default_mode   text NOT NULL DEFAULT 'control-tower',
  ui_preferences json NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);

CREATE TABLE sessions (
  id           text PRIMARY KEY NOT NULL,
  user_id      text NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  last_used_at timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
  id           text PRIMARY KEY NOT NULL,
  user_id      text NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  token_prefix text NOT NULL,
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz,
  expires_at   timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);

-- ===== Organizations and projects ============================================
CREATE TABLE organizations (
  id         text PRIMARY KEY NOT NULL,
  name       text NOT NULL,
  slug       text NOT NULL UNIQUE,
  owner_id   text REFERENCES profiles (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE organization_members (
  id              text PRIMARY KEY NOT NULL,
  organization_id text NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id         text NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  role            text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
  created_at      timestamptz NOT NULL,
  UNIQUE (organization_id, user_id)
);
CREATE INDEX organization_members_user_idx ON organization_members (user_id);

CREATE TABLE projects (
  id                    text PRIMARY KEY NOT NULL,
  organization_id       text REFERENCES organizations (id) ON DELETE CASCADE,
  name                  text NOT NULL,
  slug                  text NOT NULL,
  description           text,
  github_repo_url       text,
  git_url               text,
  poll_interval_seconds bigint NOT NULL DEFAULT 0 CHECK (poll_interval_seconds >= 0),
  default_branch        text NOT NULL DEFAULT 'main',
  created_by            text,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  runtime_version       text,
  UNIQUE (organization_id, slug)
);
CREATE UNIQUE INDEX projects_slug_no_org_idx ON projects (slug) WHERE organization_id IS NULL;

-- ===== Environments and governance ===========================================
CREATE TABLE environments (
  id                  text PRIMARY KEY NOT NULL,
  name                text NOT NULL UNIQUE,
  position            bigint NOT NULL DEFAULT 0,
  requires_approval   boolean NOT NULL DEFAULT false,
  required_approvals  bigint NOT NULL DEFAULT 0 CHECK (required_approvals >= 0),
  lock_default        boolean NOT NULL DEFAULT false,
  allowed_roles       json NOT NULL DEFAULT '["admin","operator","viewer"]'
                      CHECK (json_typeof(allowed_roles) = 'array'),
  auto_deploy         boolean NOT NULL DEFAULT false,
  wait_timer_seconds  bigint NOT NULL DEFAULT 0 CHECK (wait_timer_seconds >= 0),
  deployment_branches json NOT NULL DEFAULT '[]'
                      CHECK (json_typeof(deployment_branches) = 'array'),
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX environments_position_idx ON environments (position);

CREATE TABLE project_environments (
  id                      text PRIMARY KEY NOT NULL,
  project_id              text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name                    text NOT NULL,
  position                bigint NOT NULL DEFAULT 0,
  requires_approval       boolean NOT NULL DEFAULT false,
  required_approvals      bigint NOT NULL DEFAULT 0 CHECK (required_approvals >= 0),
  required_role           text NOT NULL DEFAULT 'operator'
                          CHECK (required_role IN ('admin', 'operator', 'viewer')),
  -- [{"kind": "user" | "role", "id": "..."}]
  reviewers               json NOT NULL DEFAULT '[]' CHECK (json_typeof(reviewers) = 'array'),
  prevent_self_approval   boolean NOT NULL DEFAULT true,
  wait_timer_seconds      bigint NOT NULL DEFAULT 0 CHECK (wait_timer_seconds >= 0),
  restrict_refs           boolean NOT NULL DEFAULT false,
  allowed_branches        json NOT NULL DEFAULT '[]'
                          CHECK (json_typeof(allowed_branches) = 'array'),
  allowed_tags            json NOT NULL DEFAULT '[]' CHECK (json_typeof(allowed_tags) = 'array'),
  auto_deploy             boolean NOT NULL DEFAULT false,
  approval_expiry_seconds bigint NOT NULL DEFAULT 2592000 CHECK (approval_expiry_seconds > 0),
  queue_mode              text NOT NULL DEFAULT 'oldest_first'
                          CHECK (queue_mode IN ('oldest_first', 'newest_ready_first')),
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL
);
-- SQLite: UNIQUE (project_id, name COLLATE NOCASE).
CREATE UNIQUE INDEX project_environments_name_idx
  ON project_environments (project_id, name COLLATE nocase);
CREATE INDEX project_environments_position_idx ON project_environments (project_id, position);

CREATE TABLE environment_locks (
  id                text PRIMARY KEY NOT NULL,
  project_id        text REFERENCES projects (id) ON DELETE CASCADE,
  environment       text NOT NULL,
  is_locked         boolean NOT NULL DEFAULT false,
  lock_reason       text,
  required_role     text CHECK (required_role IN ('admin', 'operator', 'viewer')),
  requires_approval boolean NOT NULL DEFAULT false,
  locked_by         text,
  locked_at         timestamptz,
  unlocked_by       text,
  unlocked_at       timestamptz,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  UNIQUE (project_id, environment)
);
CREATE UNIQUE INDEX environment_locks_global_idx ON environment_locks (environment)
  WHERE project_id IS NULL;

-- start_local / end_local are wall-clock times in `timezone` ("2026-12-24T18:00"), not
-- instants: text, as start_time / end_time ("18:00").
CREATE TABLE freeze_windows (
  id               text PRIMARY KEY NOT NULL,
  project_id       text REFERENCES projects (id) ON DELETE CASCADE,
  environment      text,
  kind             text NOT NULL CHECK (kind IN ('absolute', 'weekly', 'cron')),
  start_local      text,
  end_local        text,
  weekdays         json NOT NULL DEFAULT '[]' CHECK (json_typeof(weekdays) = 'array'),
  start_time       text,
  end_time         text,
  cron             text,
  duration_seconds bigint CHECK (duration_seconds IS NULL OR duration_seconds > 0),
  timezone         text NOT NULL DEFAULT 'UTC',
  reason           text NOT NULL,
  created_by       text,
  created_at       timestamptz NOT NULL,
  CHECK (environment IS NULL OR project_id IS NOT NULL)
);
CREATE INDEX freeze_windows_scope_idx ON freeze_windows (project_id, environment);

CREATE TABLE emergency_stops (
  id           text PRIMARY KEY NOT NULL,
  reason       text NOT NULL,
  mode         text NOT NULL DEFAULT 'let_finish' CHECK (mode IN ('let_finish', 'cancel')),
  activated_by text,
  activated_at timestamptz NOT NULL,
  lifted_by    text,
  lifted_at    timestamptz
);
CREATE UNIQUE INDEX emergency_stops_active_idx ON emergency_stops ((lifted_at IS NULL))
  WHERE lifted_at IS NULL;
CREATE INDEX emergency_stops_activated_idx ON emergency_stops (activated_at);

CREATE TABLE lifecycle_phases (
  project_id   text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  position     bigint NOT NULL CHECK (position >= 0),
  environment  text NOT NULL,
  soak_seconds bigint NOT NULL DEFAULT 0 CHECK (soak_seconds >= 0),
  PRIMARY KEY (project_id, position),
  UNIQUE (project_id, environment)
);

-- ===== Pipelines =============================================================
CREATE TABLE flow_templates (
  id          text PRIMARY KEY NOT NULL,
  project_id  text REFERENCES projects (id) ON DELETE CASCADE,
  name        text NOT NULL,
  description text,
  type        text NOT NULL DEFAULT 'cicd'
              CHECK (type IN ('cicd', 'mlops', 'llmops', 'infrastructure', 'security')),
  nodes       json NOT NULL DEFAULT '[]',
  edges       json NOT NULL DEFAULT '[]',
  created_by  text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX flow_templates_project_idx ON flow_templates (project_id, created_at);

CREATE TABLE pipeline_templates (
  id          text PRIMARY KEY NOT NULL,
  name        text NOT NULL,
  description text,
  category    text NOT NULL DEFAULT 'cicd',
  nodes       json NOT NULL DEFAULT '[]',
  edges       json NOT NULL DEFAULT '[]',
  popularity  bigint NOT NULL DEFAULT 0,
  tags        json NOT NULL DEFAULT '[]',
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  flow_type   text NOT NULL DEFAULT 'cicd'
              CHECK (flow_type IN ('cicd', 'mlops', 'llmops', 'infrastructure', 'security'))
);
CREATE INDEX pipeline_templates_category_idx ON pipeline_templates (category, popularity);
CREATE INDEX pipeline_templates_popularity_idx ON pipeline_templates (popularity DESC, name);

-- ===== Executions ============================================================
-- rerun_checkpoint_id's foreign key is added after checkpoints (the two reference each other).
CREATE TABLE executions (
  id                  text PRIMARY KEY NOT NULL,
  name                text NOT NULL,
  project_id          text REFERENCES projects (id) ON DELETE CASCADE,
  flow_template_id    text REFERENCES flow_templates (id) ON DELETE SET NULL,
  pipeline            json,
  status              text NOT NULL DEFAULT 'idle'
                      CHECK (status IN ('idle', 'running', 'paused', 'success', 'warning',
                                        'failed', 'cancelled')),
  environment         text,
  branch              text,
  commit_hash         text,
  progress            bigint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  governance_status   text
                      CHECK (governance_status IN ('allowed', 'blocked', 'pending_approval',
                                                   'approved', 'rejected', 'waiting')),
  blocked_reason      text,
  started_by          text,
  trigger_type        text DEFAULT 'manual'
                      CHECK (trigger_type IN ('manual', 'push', 'pull_request', 'tag', 'release',
                                              'poll', 'rerun', 'replay', 'cli', 'rollback',
                                              'promotion')),
  parent_execution_id text REFERENCES executions (id) ON DELETE SET NULL,
  rerun_checkpoint_id text,
  cancel_reason       text,
  metadata            json NOT NULL DEFAULT '{}',
  started_at          timestamptz,
  completed_at        timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
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
  id              text PRIMARY KEY NOT NULL,
  execution_id    text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id         text NOT NULL,
  name            text,
  type            text,
  status          text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'queued', 'running', 'success', 'failed',
                                    'skipped', 'cancelled', 'waiting')),
  attempt         bigint NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  max_attempts    bigint NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
  exit_code       bigint,
  signal          bigint,
  error           text,
  outputs         json NOT NULL DEFAULT '{}',
  logs            text,
  log_bytes       bigint NOT NULL DEFAULT 0 CHECK (log_bytes >= 0),
  log_truncated   boolean NOT NULL DEFAULT false,
  started_at      timestamptz,
  completed_at    timestamptz,
  duration_ms     bigint CHECK (duration_ms >= 0),
  next_attempt_at timestamptz,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  position        bigint NOT NULL DEFAULT 0,
  UNIQUE (execution_id, node_id)
);
CREATE INDEX execution_nodes_status_idx ON execution_nodes (status, next_attempt_at);
CREATE INDEX execution_nodes_execution_idx ON execution_nodes (execution_id, position);

CREATE TABLE execution_logs (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  execution_id text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id      text,
  attempt      bigint NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  stream       text NOT NULL DEFAULT 'stdout' CHECK (stream IN ('stdout', 'stderr', 'system')),
  level        text NOT NULL DEFAULT 'info' CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message      text NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX execution_logs_node_idx ON execution_logs (execution_id, node_id, id);
CREATE INDEX execution_logs_execution_idx ON execution_logs (execution_id, id);

CREATE TABLE execution_state_events (
  id           text PRIMARY KEY NOT NULL,
  execution_id text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id      text,
  old_state    text,
  new_state    text NOT NULL,
  reason       text,
  created_at   timestamptz NOT NULL,
  -- Recording order, where SQLite has its rowid (lists order by created_at, then this).
  seq          bigint GENERATED BY DEFAULT AS IDENTITY
);
CREATE INDEX execution_state_events_execution_idx
  ON execution_state_events (execution_id, created_at);

CREATE TABLE checkpoints (
  id           text PRIMARY KEY NOT NULL,
  execution_id text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id      text NOT NULL,
  name         text NOT NULL,
  state        json NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL,
  -- Recording order, where SQLite has its rowid (lists order by created_at, then this).
  seq          bigint GENERATED BY DEFAULT AS IDENTITY
);
CREATE INDEX checkpoints_execution_idx ON checkpoints (execution_id, created_at);

ALTER TABLE executions ADD CONSTRAINT executions_rerun_checkpoint_id_fkey
  FOREIGN KEY (rerun_checkpoint_id) REFERENCES checkpoints (id) ON DELETE SET NULL;

-- Success count and total seconds of successful executions (one row), kept exact by the
-- triggers at the end: the dashboard's average deployment time is one row read.
CREATE TABLE execution_stats (
  id              bigint PRIMARY KEY CHECK (id = 1),
  success_count   bigint NOT NULL DEFAULT 0,
  success_seconds double precision NOT NULL DEFAULT 0
);

CREATE TABLE artifacts (
  id           text PRIMARY KEY NOT NULL,
  name         text NOT NULL,
  execution_id text REFERENCES executions (id) ON DELETE SET NULL,
  node_id      text,
  image_digest text,
  image_tag    text,
  registry_url text,
  type         text NOT NULL DEFAULT 'docker',
  size_bytes   bigint CHECK (size_bytes >= 0),
  metadata     json NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL,
  -- Recording order, where SQLite has its rowid (lists order by created_at, then this).
  seq          bigint GENERATED BY DEFAULT AS IDENTITY
);
CREATE INDEX artifacts_execution_idx ON artifacts (execution_id);
CREATE INDEX artifacts_digest_idx ON artifacts (image_digest);

-- ===== Approvals and notifications ===========================================
CREATE TABLE approval_requests (
  id                    text PRIMARY KEY NOT NULL,
  execution_id          text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id               text,  -- NULL: an environment's protection, not an approval node
  environment           text,
  status                text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'approved', 'rejected', 'expired',
                                          'superseded')),
  required_approvals    bigint NOT NULL DEFAULT 1 CHECK (required_approvals >= 1),
  requested_by          text,
  title                 text,
  description           text,
  wait_until            timestamptz,
  resolved_at           timestamptz,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  commit_sha            text,  -- NULL: the execution's commit_hash
  expires_at            timestamptz,  -- NULL: never
  decided_at            timestamptz,
  decided_by            text,  -- the deciding voter; NULL for expiry and supersession
  prevent_self_approval boolean NOT NULL DEFAULT true,
  reviewers             json NOT NULL DEFAULT '[]',
  pusher_user_id        text,
  notified_at           timestamptz,  -- when its eligible approvers were notified
  -- Recording order, where SQLite has its rowid (lists order by created_at, then this).
  seq                   bigint GENERATED BY DEFAULT AS IDENTITY
);
CREATE INDEX approval_requests_status_idx ON approval_requests (status, created_at, id);
CREATE INDEX approval_requests_unnotified_idx ON approval_requests (created_at)
  WHERE notified_at IS NULL AND status = 'pending';
CREATE INDEX approval_requests_execution_idx ON approval_requests (execution_id, node_id);
CREATE UNIQUE INDEX approval_requests_pending_idx ON approval_requests (execution_id, node_id)
  WHERE status = 'pending';
CREATE UNIQUE INDEX approval_requests_pending_env_idx
  ON approval_requests (execution_id, environment)
  WHERE status = 'pending' AND node_id IS NULL;

CREATE TABLE approval_votes (
  id                  text PRIMARY KEY NOT NULL,
  approval_request_id text NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
  user_id             text NOT NULL,
  vote                boolean NOT NULL,
  comment             text,
  created_at          timestamptz NOT NULL,
  commit_sha          text,
  -- Recording order, where SQLite has its rowid (votes list by created_at, then this).
  seq                 bigint GENERATED BY DEFAULT AS IDENTITY,
  UNIQUE (approval_request_id, user_id)
);

CREATE TABLE notification_events (
  id             text PRIMARY KEY NOT NULL,
  type           text NOT NULL,
  target         text,
  payload        json NOT NULL DEFAULT '{}',
  read_at        timestamptz,
  created_at     timestamptz NOT NULL,
  target_user_id text,
  project_id     text
);
CREATE INDEX notification_events_target_idx ON notification_events (target, created_at);
CREATE INDEX notification_events_user_idx
  ON notification_events (target_user_id, created_at, id);

CREATE TABLE project_webhooks (
  id            text PRIMARY KEY NOT NULL,
  project_id    text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  url           text NOT NULL,
  secret_sealed text NOT NULL,
  format        text NOT NULL DEFAULT 'opzenix' CHECK (format IN ('opzenix', 'slack')),
  events        json NOT NULL DEFAULT '[]',
  enabled       boolean NOT NULL DEFAULT true,
  created_by    text,
  created_at    timestamptz NOT NULL
);
CREATE INDEX project_webhooks_project_idx ON project_webhooks (project_id, created_at);

CREATE TABLE project_webhook_deliveries (
  id               text PRIMARY KEY NOT NULL,
  webhook_id       text NOT NULL REFERENCES project_webhooks (id) ON DELETE CASCADE,
  event            text NOT NULL,
  payload          json NOT NULL,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         bigint NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  last_status_code bigint,
  last_error       text,
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz
);
CREATE INDEX project_webhook_deliveries_due_idx
  ON project_webhook_deliveries (status, next_attempt_at);
CREATE INDEX project_webhook_deliveries_webhook_idx
  ON project_webhook_deliveries (webhook_id, created_at, id);

-- ===== Connections, GitHub, polling ==========================================
CREATE TABLE connections (
  id                text PRIMARY KEY NOT NULL,
  type              text NOT NULL,
  name              text NOT NULL,
  status            text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'active', 'degraded', 'failed', 'disabled')),
  config            json NOT NULL DEFAULT '{}',
  validated         boolean NOT NULL DEFAULT false,
  last_validated_at timestamptz,
  created_by        text,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  secret_sealed     text
);
CREATE INDEX connections_type_idx ON connections (type, status);

CREATE TABLE connection_health_events (
  id               text PRIMARY KEY NOT NULL,
  connection_id    text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  status           text NOT NULL CHECK (status IN ('healthy', 'degraded', 'unhealthy')),
  response_time_ms bigint CHECK (response_time_ms >= 0),
  message          text,
  created_at       timestamptz NOT NULL
);
CREATE INDEX connection_health_events_connection_idx
  ON connection_health_events (connection_id, created_at);

CREATE TABLE github_integrations (
  id                       text PRIMARY KEY NOT NULL,
  project_id               text NOT NULL UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
  repository_owner         text NOT NULL,
  repository_name          text NOT NULL,
  webhook_secret_encrypted text,
  token_encrypted          text,
  workflow_file            text,
  api_base_url             text NOT NULL DEFAULT 'https://api.github.com',
  created_by               text,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  repository_id            text,
  UNIQUE (repository_owner, repository_name)
);

CREATE TABLE github_tokens (
  id              text PRIMARY KEY NOT NULL,
  user_id         text REFERENCES profiles (id) ON DELETE CASCADE,
  project_id      text REFERENCES projects (id) ON DELETE CASCADE,
  encrypted_token text NOT NULL,
  nonce           text,
  key_id          text,
  last4           text,
  scopes          json NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz,
  CHECK (user_id IS NOT NULL OR project_id IS NOT NULL)
);
CREATE INDEX github_tokens_user_idx ON github_tokens (user_id);
CREATE UNIQUE INDEX github_tokens_project_idx ON github_tokens (project_id)
  WHERE project_id IS NOT NULL;

CREATE TABLE branch_mappings (
  id                 text PRIMARY KEY NOT NULL,
  project_id         text REFERENCES projects (id) ON DELETE CASCADE,
  position           bigint NOT NULL DEFAULT 0,
  branch_pattern     text NOT NULL,
  ref_type           text NOT NULL DEFAULT 'branch' CHECK (ref_type IN ('branch', 'tag')),
  environment        text NOT NULL
                     REFERENCES environments (name) ON UPDATE CASCADE ON DELETE CASCADE,
  is_deployable      boolean NOT NULL DEFAULT true,
  image_tag_template text NOT NULL DEFAULT '{sha7}',
  replicas           bigint NOT NULL DEFAULT 1 CHECK (replicas >= 0),
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  UNIQUE (project_id, ref_type, branch_pattern)
);
CREATE INDEX branch_mappings_project_idx ON branch_mappings (project_id, position);
CREATE UNIQUE INDEX branch_mappings_global_idx ON branch_mappings (ref_type, branch_pattern)
  WHERE project_id IS NULL;

CREATE TABLE git_poll_refs (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  ref        text NOT NULL,
  last_sha   text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (project_id, ref)
);

CREATE TABLE git_poll_state (
  project_id       text PRIMARY KEY NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  git_url          text NOT NULL,
  first_scanned_at timestamptz NOT NULL,
  last_polled_at   timestamptz NOT NULL,
  last_error       text,
  updated_at       timestamptz NOT NULL
);

CREATE TABLE commit_status_reports (
  id              text PRIMARY KEY NOT NULL,
  project_id      text REFERENCES projects (id) ON DELETE CASCADE,
  execution_id    text REFERENCES executions (id) ON DELETE CASCADE,
  commit_sha      text NOT NULL,
  state           text NOT NULL CHECK (state IN ('error', 'failure', 'pending', 'success')),
  target_url      text,
  description     text,
  context         text NOT NULL DEFAULT 'opzenix',
  attempts        bigint NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz,
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL
);
CREATE INDEX commit_status_reports_due_idx ON commit_status_reports (delivered_at, next_attempt_at);
CREATE INDEX commit_status_reports_execution_idx ON commit_status_reports (execution_id);

CREATE TABLE webhook_deliveries (
  id              text PRIMARY KEY NOT NULL,
  delivery_guid   text NOT NULL UNIQUE,
  project_id      text REFERENCES projects (id) ON DELETE SET NULL,
  event           text NOT NULL,
  action          text,
  signature_valid boolean NOT NULL DEFAULT false,
  headers         json NOT NULL DEFAULT '{}',
  received_at     timestamptz NOT NULL,
  processed_at    timestamptz,
  outcome         text NOT NULL DEFAULT 'pending'
                  CHECK (outcome IN ('pending', 'processed', 'ignored', 'rejected', 'failed')),
  outcome_reason  text,
  execution_id    text REFERENCES executions (id) ON DELETE SET NULL,
  replay_of       text REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
  trigger_key     text,
  body_bytes      bigint NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);
CREATE INDEX webhook_deliveries_project_idx ON webhook_deliveries (project_id, received_at);
CREATE INDEX webhook_deliveries_outcome_idx ON webhook_deliveries (outcome, received_at);
CREATE INDEX webhook_deliveries_trigger_key_idx ON webhook_deliveries (trigger_key)
  WHERE trigger_key IS NOT NULL;

-- body: text, not bytea. The store binds the body as a text parameter (SQLite keeps it as
-- text in its BLOB column), and bytea's text input would read the backslashes of a JSON body
-- as escapes. A webhook body is UTF-8 JSON or form-encoded ASCII.
CREATE TABLE webhook_delivery_bodies (
  delivery_id text PRIMARY KEY NOT NULL
              REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  body        text NOT NULL
);

-- ===== Telemetry, audit, dashboards ==========================================
CREATE TABLE telemetry_signals (
  id            text PRIMARY KEY NOT NULL,
  signal_type   text NOT NULL CHECK (signal_type IN ('trace', 'span', 'metric', 'log', 'event')),
  execution_id  text,
  node_id       text,
  otel_trace_id text,
  otel_span_id  text,
  duration_ms   bigint,
  status_code   text,
  severity      text,
  environment   text,
  payload       json NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL
);
CREATE INDEX telemetry_signals_execution_idx ON telemetry_signals (execution_id, created_at);
CREATE INDEX telemetry_signals_type_idx ON telemetry_signals (signal_type, created_at);
CREATE INDEX telemetry_signals_trace_idx ON telemetry_signals (otel_trace_id);

-- The hash chain covers details as stored: json (not jsonb) keeps its text byte for byte.
CREATE TABLE audit_logs (
  id            text PRIMARY KEY NOT NULL,
  action        text NOT NULL,
  resource_type text NOT NULL,
  resource_id   text,
  user_id       text,
  details       json NOT NULL DEFAULT '{}',
  ip_address    text,
  created_at    timestamptz NOT NULL,
  seq           bigint,
  user_agent    text,
  prev_hash     text,
  hash          text
);
CREATE INDEX audit_logs_created_idx ON audit_logs (created_at, id);
CREATE INDEX audit_logs_resource_idx ON audit_logs (resource_type, resource_id, created_at);
CREATE INDEX audit_logs_user_idx ON audit_logs (user_id, created_at);
CREATE UNIQUE INDEX audit_logs_seq_idx ON audit_logs (seq);

CREATE TABLE widget_metrics (
  id           text PRIMARY KEY NOT NULL,
  widget_type  text NOT NULL,
  metric_name  text NOT NULL,
  metric_value double precision NOT NULL,
  dimensions   json NOT NULL DEFAULT '{}',
  recorded_at  timestamptz NOT NULL
);
CREATE INDEX widget_metrics_lookup_idx ON widget_metrics (widget_type, metric_name, recorded_at);

CREATE TABLE dashboard_layouts (
  id         text PRIMARY KEY NOT NULL,
  user_id    text NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  name       text NOT NULL,
  layout     json NOT NULL DEFAULT '{}',
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX dashboard_layouts_user_idx ON dashboard_layouts (user_id);
CREATE UNIQUE INDEX dashboard_layouts_default_idx ON dashboard_layouts (user_id)
  WHERE is_default;

-- ===== Secrets and environment configuration =================================
CREATE TABLE secret_references (
  id          text PRIMARY KEY NOT NULL,
  ref_key     text NOT NULL UNIQUE,
  provider    text NOT NULL DEFAULT 'local',
  scope       text,
  description text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  project_id  text REFERENCES projects (id) ON DELETE CASCADE,
  environment text,
  name        text NOT NULL DEFAULT '',
  ciphertext  text,
  nonce       text,
  key_id      text,
  updated_by  text
);
CREATE UNIQUE INDEX secret_references_address_idx
  ON secret_references (COALESCE(project_id, ''), COALESCE(environment, ''), name);
CREATE INDEX secret_references_key_idx ON secret_references (key_id);

CREATE TABLE environment_configs (
  id          text PRIMARY KEY NOT NULL,
  project_id  text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  environment text NOT NULL,
  variables   json NOT NULL DEFAULT '{}' CHECK (json_typeof(variables) = 'object'),
  secrets_ref text,
  updated_by  text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  UNIQUE (project_id, environment)
);

-- ===== Deployments ===========================================================
CREATE TABLE deployments (
  id            text PRIMARY KEY NOT NULL DEFAULT gen_random_uuid()::text,
  execution_id  text REFERENCES executions (id) ON DELETE SET NULL,
  node_id       text,
  project_id    text REFERENCES projects (id) ON DELETE CASCADE,
  environment   text NOT NULL,
  version       text NOT NULL,
  commit_sha    text,
  image_tag     text,
  artifact_id   text REFERENCES artifacts (id) ON DELETE SET NULL,
  status        text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'running', 'success', 'failed', 'rolled_back',
                                  'cancelled', 'blocked')),
  strategy      text NOT NULL DEFAULT 'rolling'
                CHECK (strategy IN ('rolling', 'recreate', 'blue_green', 'canary')),
  phase         text,
  slot          text CHECK (slot IN ('blue', 'green')),
  canary_weight bigint NOT NULL DEFAULT 0 CHECK (canary_weight BETWEEN 0 AND 100),
  deployed_by   text,
  -- The seeds' column: when the deployment succeeded (= completed_at then).
  deployed_at   timestamptz,
  started_at    timestamptz,
  completed_at  timestamptz,
  rollback_of   text REFERENCES deployments (id) ON DELETE SET NULL,
  reason        text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deployments_project_env_idx ON deployments (project_id, environment, created_at, id);
CREATE INDEX deployments_environment_idx ON deployments (environment, created_at);
CREATE INDEX deployments_execution_node_idx ON deployments (execution_id, node_id);

CREATE TABLE deployment_versions (
  id                text PRIMARY KEY NOT NULL DEFAULT gen_random_uuid()::text,
  project_id        text REFERENCES projects (id) ON DELETE CASCADE,
  deployment_id     text REFERENCES deployments (id) ON DELETE CASCADE,
  environment       text NOT NULL,
  version_tag       text NOT NULL,
  commit_sha        text,
  image_tag         text,
  artifact_id       text REFERENCES artifacts (id) ON DELETE SET NULL,
  is_current        boolean NOT NULL DEFAULT false,
  marked_bad        boolean NOT NULL DEFAULT false,
  marked_bad_reason text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deployment_versions_project_env_idx
  ON deployment_versions (project_id, environment, created_at);
CREATE INDEX deployment_versions_deployment_idx ON deployment_versions (deployment_id);
CREATE UNIQUE INDEX deployment_versions_current_idx ON deployment_versions (project_id, environment)
  WHERE is_current;

CREATE TABLE deployment_probes (
  id            text PRIMARY KEY NOT NULL,
  deployment_id text NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  kind          text NOT NULL DEFAULT 'health' CHECK (kind IN ('health', 'analysis')),
  target        text,
  ok            boolean NOT NULL,
  latency_ms    bigint NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
  status_code   bigint,
  value         double precision,
  error         text,
  created_at    timestamptz NOT NULL,
  -- Recording order, where SQLite has its rowid (probes list newest first, ties by this).
  seq           bigint GENERATED BY DEFAULT AS IDENTITY
);
CREATE INDEX deployment_probes_deployment_idx ON deployment_probes (deployment_id, created_at);

CREATE TABLE deployment_holds (
  id            text PRIMARY KEY NOT NULL,
  project_id    text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  environment   text NOT NULL,
  deployment_id text REFERENCES deployments (id) ON DELETE SET NULL,
  version_tag   text,
  reason        text,
  created_by    text,
  created_at    timestamptz NOT NULL,
  released_by   text,
  released_at   timestamptz
);
CREATE UNIQUE INDEX deployment_holds_active_idx ON deployment_holds (project_id, environment)
  WHERE released_at IS NULL;
CREATE INDEX deployment_holds_project_idx ON deployment_holds (project_id, created_at);

-- ===== Ops metrics, advisories, the build queue (seed 003) ===================
CREATE TABLE ops_metrics (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  metric     text NOT NULL,
  value      double precision NOT NULL,
  ts         timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX ops_metrics_project_metric_ts_idx ON ops_metrics (project_id, metric, ts);

-- bucket: the start of the minute / hour (SQLite stores it as the store's ISO text).
CREATE TABLE ops_metric_rollups_1m (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  metric     text NOT NULL,
  bucket     timestamptz NOT NULL,
  samples    bigint NOT NULL,
  sum        double precision NOT NULL,
  min        double precision NOT NULL,
  max        double precision NOT NULL,
  PRIMARY KEY (project_id, metric, bucket)
);

CREATE TABLE ops_metric_rollups_1h (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  metric     text NOT NULL,
  bucket     timestamptz NOT NULL,
  samples    bigint NOT NULL,
  sum        double precision NOT NULL,
  min        double precision NOT NULL,
  max        double precision NOT NULL,
  PRIMARY KEY (project_id, metric, bucket)
);

CREATE TABLE ops_rollup_state (
  name           text PRIMARY KEY NOT NULL,
  last_metric_id bigint NOT NULL DEFAULT 0,
  refreshed_at   timestamptz
);

CREATE TABLE ops_advisories (
  id          text PRIMARY KEY NOT NULL,
  project_id  text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  rule        text NOT NULL,
  severity    text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  title       text NOT NULL,
  message     text NOT NULL,
  observed    double precision,
  threshold   double precision,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  resolved_at timestamptz
);
CREATE UNIQUE INDEX ops_advisories_open_idx ON ops_advisories (project_id, rule)
  WHERE status = 'open';
CREATE INDEX ops_advisories_project_idx ON ops_advisories (project_id, created_at);

CREATE TABLE advisory_rule_settings (
  id             text PRIMARY KEY NOT NULL,
  rule           text NOT NULL,
  project_id     text REFERENCES projects (id) ON DELETE CASCADE,
  threshold      double precision,
  window_seconds bigint CHECK (window_seconds IS NULL OR window_seconds > 0),
  severity       text CHECK (severity IS NULL OR severity IN ('info', 'warning', 'critical')),
  enabled        boolean,
  updated_by     text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX advisory_rule_settings_scope_idx
  ON advisory_rule_settings (rule, coalesce(project_id, ''));

CREATE TABLE ops_run_queue (
  id            text PRIMARY KEY NOT NULL,
  project_id    text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  branch        text NOT NULL,
  commit_sha    text,
  trigger       text NOT NULL DEFAULT 'manual',
  status        text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'dispatched', 'failed')),
  execution_id  text REFERENCES executions (id) ON DELETE SET NULL,
  error         text,
  requested_by  text,
  created_at    timestamptz NOT NULL,
  dispatched_at timestamptz
);
CREATE INDEX ops_run_queue_status_idx ON ops_run_queue (status, created_at);
CREATE INDEX ops_run_queue_project_idx ON ops_run_queue (project_id, created_at);
CREATE INDEX ops_run_queue_execution_idx ON ops_run_queue (execution_id);

-- ===== The event log =========================================================
CREATE TABLE realtime_events (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  topic        text NOT NULL,
  table_name   text NOT NULL,
  type         text NOT NULL CHECK (type IN ('INSERT', 'UPDATE', 'DELETE')),
  execution_id text,
  project_id   text,
  user_id      text,
  record_id    text,
  record       json,
  old          json,
  created_at   timestamptz NOT NULL
);
CREATE INDEX realtime_events_created_idx ON realtime_events (created_at);

-- ===== Seed rows (as SQLite's 001, 013, 014, 017) =============================
-- Fixed ids (docs/schema.md):
--   environments 0e000000-0000-4000-8000-00000000000N, environment_locks 0c…, branch_mappings 0b…
INSERT INTO environments (id, name, position, requires_approval, required_approvals,
                          lock_default, allowed_roles, auto_deploy, wait_timer_seconds,
                          deployment_branches, created_at, updated_at)
VALUES
  ('0e000000-0000-4000-8000-000000000001', 'Development', 1, false, 0, false,
   '["admin","operator","viewer"]', true, 0, '[]', now(), now()),
  ('0e000000-0000-4000-8000-000000000002', 'Staging', 2, false, 0, false,
   '["admin","operator"]', true, 0, '[]', now(), now()),
  ('0e000000-0000-4000-8000-000000000003', 'PreProd', 3, true, 1, true,
   '["admin","operator"]', false, 0, '[]', now(), now()),
  ('0e000000-0000-4000-8000-000000000004', 'Production', 4, true, 2, true,
   '["admin"]', false, 300, '["main","master","v*"]', now(), now());

INSERT INTO environment_locks (id, project_id, environment, is_locked, lock_reason,
                               required_role, requires_approval, created_at, updated_at)
VALUES
  ('0c000000-0000-4000-8000-000000000001', NULL, 'Development', false, NULL, 'operator', false,
   now(), now()),
  ('0c000000-0000-4000-8000-000000000002', NULL, 'Staging', false, NULL, 'operator', false,
   now(), now()),
  ('0c000000-0000-4000-8000-000000000003', NULL, 'PreProd', true, 'Locked by default',
   'operator', true, now(), now()),
  ('0c000000-0000-4000-8000-000000000004', NULL, 'Production', true, 'Locked by default',
   'admin', true, now(), now());

INSERT INTO branch_mappings (id, project_id, position, branch_pattern, ref_type, environment,
                             is_deployable, image_tag_template, replicas, created_at,
                             updated_at)
VALUES
  ('0b000000-0000-4000-8000-000000000001', NULL, 1, 'main', 'branch', 'Production', true,
   'prod-{sha7}', 3, now(), now()),
  ('0b000000-0000-4000-8000-000000000002', NULL, 2, 'master', 'branch', 'Production', true,
   'prod-{sha7}', 3, now(), now()),
  ('0b000000-0000-4000-8000-000000000003', NULL, 3, 'release/*', 'branch', 'PreProd', true,
   'preprod-{sha7}', 2, now(), now()),
  ('0b000000-0000-4000-8000-000000000004', NULL, 4, 'staging', 'branch', 'Staging', true,
   'staging-{sha7}', 2, now(), now()),
  ('0b000000-0000-4000-8000-000000000005', NULL, 5, 'develop', 'branch', 'Development', true,
   'dev-{sha7}', 1, now(), now()),
  ('0b000000-0000-4000-8000-000000000006', NULL, 6, 'feature/*', 'branch', 'Development', false,
   'dev-{sha7}', 1, now(), now()),
  ('0b000000-0000-4000-8000-000000000007', NULL, 7, 'v*', 'tag', 'Production', true,
   '{tag}', 3, now(), now());

INSERT INTO execution_stats (id, success_count, success_seconds) VALUES (1, 0, 0);

INSERT INTO ops_rollup_state (name, last_metric_id) VALUES ('ops_metrics', 0);

-- The five starter pipeline templates of SQLite's 014, verbatim.
INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000001',
        'Build, test and deploy a web service',
        'Compile and package a web service, run its tests, deploy it to the execution''s environment and announce it. A starting point for any service built from one repository.',
        'web-service',
        'cicd',
        '["web", "build", "test", "deploy"]',
        50,
        '[{"id": "trigger", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {"label": "Push to main", "description": "Runs on every push to the default branch"}}, {"id": "build", "type": "build", "position": {"x": 220, "y": 0}, "data": {"label": "Build", "steps": [{"name": "compile", "run": "mkdir -p dist && echo \"built ${OPZENIX_COMMIT_SHA:-local}\" > dist/app.txt && echo compiled"}, {"name": "package", "run": "test -s dist/app.txt && echo \"version=1.0.0\" >> \"$OPZENIX_OUTPUT\" && echo packaged"}]}}, {"id": "test", "type": "test", "position": {"x": 440, "y": 0}, "data": {"label": "Unit tests", "run": "for t in unit integration; do echo \"ok - $t tests\"; done; test 1 -eq 1"}}, {"id": "deploy", "type": "deploy", "position": {"x": 660, "y": 0}, "data": {"label": "Deploy", "run": "echo \"deploying version ${version:-1.0.0} to ${OPZENIX_ENVIRONMENT:-local} (rolling)\""}}, {"id": "notify", "type": "notify", "position": {"x": 880, "y": 0}, "data": {"label": "Announce", "run": "echo \"web service deployed\""}}]',
        '[{"id": "e-trigger-build", "source": "trigger", "target": "build"}, {"id": "e-build-test", "source": "build", "target": "test"}, {"id": "e-test-deploy", "source": "test", "target": "deploy"}, {"id": "e-deploy-notify", "source": "deploy", "target": "notify"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');

INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000002',
        'Container image with scan and staged promotion',
        'Build a container image, scan it for vulnerabilities, deploy it to Staging, and promote the same image to Production after an approval.',
        'containers',
        'security',
        '["container", "scan", "promotion", "approval"]',
        40,
        '[{"id": "build", "type": "build", "position": {"x": 0, "y": 0}, "data": {"label": "Build image", "run": "echo \"image=registry.local/app:${OPZENIX_COMMIT_SHA:-dev}\" >> \"$OPZENIX_OUTPUT\" && echo \"image built\""}}, {"id": "scan", "type": "scan", "position": {"x": 220, "y": 0}, "data": {"label": "Vulnerability scan", "run": "critical=0; high=0; echo \"scan: $critical critical, $high high\"; test \"$critical\" -eq 0"}}, {"id": "staging", "type": "deploy", "position": {"x": 440, "y": 0}, "data": {"label": "Deploy to Staging", "environment": "Staging", "run": "echo \"deploying ${image:-app} to Staging\""}}, {"id": "approve", "type": "approval", "position": {"x": 660, "y": 0}, "data": {"label": "Approve promotion", "with": {"required_approvals": 1}}}, {"id": "production", "type": "deploy", "position": {"x": 880, "y": 0}, "data": {"label": "Promote to Production", "environment": "Production", "run": "echo \"promoting ${image:-app} to Production\""}}]',
        '[{"id": "e-build-scan", "source": "build", "target": "scan"}, {"id": "e-scan-staging", "source": "scan", "target": "staging"}, {"id": "e-staging-approve", "source": "staging", "target": "approve"}, {"id": "e-approve-production", "source": "approve", "target": "production"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');

INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000003',
        'Train, evaluate, register a model',
        'Prepare a training set, train a model, gate it on an evaluation score and register the version that passed.',
        'machine-learning',
        'mlops',
        '["ml", "training", "evaluation", "model-registry"]',
        30,
        '[{"id": "prepare", "type": "build", "position": {"x": 0, "y": 0}, "data": {"label": "Prepare data", "run": "mkdir -p data && printf \"x,y\\n1,2\\n2,4\\n3,6\\n\" > data/train.csv && test -s data/train.csv && echo \"rows=3\" >> \"$OPZENIX_OUTPUT\" && echo \"training set ready\""}}, {"id": "train", "type": "build", "position": {"x": 220, "y": 0}, "data": {"label": "Train", "run": "echo \"training on ${rows:-3} rows\" && echo \"model_version=0.1.0\" >> \"$OPZENIX_OUTPUT\""}}, {"id": "evaluate", "type": "test", "position": {"x": 440, "y": 0}, "data": {"label": "Evaluate", "run": "score=93; threshold=90; echo \"accuracy ${score}% (threshold ${threshold}%)\"; test \"$score\" -ge \"$threshold\""}}, {"id": "register", "type": "deploy", "position": {"x": 660, "y": 0}, "data": {"label": "Register model", "run": "echo \"registering model ${model_version:-0.1.0}\""}}]',
        '[{"id": "e-prepare-train", "source": "prepare", "target": "train"}, {"id": "e-train-evaluate", "source": "train", "target": "evaluate"}, {"id": "e-evaluate-register", "source": "evaluate", "target": "register"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');

INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000004',
        'Prompt evaluation and LLM app deploy',
        'Check the prompt files, run the evaluation set and a safety scan in parallel, then deploy the LLM application when both pass.',
        'llm-apps',
        'llmops',
        '["llm", "prompts", "evaluation", "safety"]',
        20,
        '[{"id": "prompts", "type": "test", "position": {"x": 0, "y": 0}, "data": {"label": "Lint prompts", "run": "mkdir -p prompts && printf \"You are a helpful assistant.\\n\" > prompts/system.txt && test -s prompts/system.txt && echo \"prompts ok\""}}, {"id": "evaluate", "type": "test", "position": {"x": 220, "y": 0}, "data": {"label": "Evaluate prompts", "run": "passed=48; total=50; echo \"evaluation: $passed/$total cases passed\"; test \"$passed\" -ge 45"}}, {"id": "safety", "type": "scan", "position": {"x": 220, "y": 0}, "data": {"label": "Safety scan", "run": "findings=0; echo \"jailbreak and PII checks: $findings findings\"; test \"$findings\" -eq 0"}}, {"id": "deploy", "type": "deploy", "position": {"x": 440, "y": 0}, "data": {"label": "Deploy LLM app", "run": "echo \"deploying the LLM app to ${OPZENIX_ENVIRONMENT:-local}\""}}]',
        '[{"id": "e-prompts-evaluate", "source": "prompts", "target": "evaluate"}, {"id": "e-prompts-safety", "source": "prompts", "target": "safety"}, {"id": "e-evaluate-deploy", "source": "evaluate", "target": "deploy"}, {"id": "e-safety-deploy", "source": "safety", "target": "deploy"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');

INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, popularity,
                                nodes, edges, created_at, updated_at)
VALUES ('5eed7e00-0000-4000-8000-000000000005',
        'Terraform plan, approve, apply',
        'Plan an infrastructure change, wait for a person to approve the plan, apply it and report. The commands are placeholders: replace them with terraform plan and terraform apply.',
        'infrastructure',
        'infrastructure',
        '["terraform", "iac", "approval"]',
        10,
        '[{"id": "plan", "type": "build", "position": {"x": 0, "y": 0}, "data": {"label": "terraform plan", "run": "echo \"Plan: 2 to add, 1 to change, 0 to destroy.\" && echo \"plan_summary=2 to add, 1 to change\" >> \"$OPZENIX_OUTPUT\""}}, {"id": "approve", "type": "approval", "position": {"x": 220, "y": 0}, "data": {"label": "Approve the plan", "with": {"required_approvals": 1}}}, {"id": "apply", "type": "deploy", "position": {"x": 440, "y": 0}, "data": {"label": "terraform apply", "run": "echo \"applying: ${plan_summary:-the plan}\" && echo \"Apply complete.\""}}, {"id": "notify", "type": "notify", "position": {"x": 660, "y": 0}, "data": {"label": "Report", "run": "echo \"infrastructure change applied\""}}]',
        '[{"id": "e-plan-approve", "source": "plan", "target": "approve"}, {"id": "e-approve-apply", "source": "approve", "target": "apply"}, {"id": "e-apply-notify", "source": "apply", "target": "notify"}]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z');

-- ===== Event triggers ========================================================
-- Every watched change writes a realtime_events row in the same transaction (SQLite: one
-- trigger per table and operation; here one PL/pgSQL function per table, attached by
-- triggers of the same names and WHEN conditions). record / old carry the same keys and
-- values as SQLite's json_object: flags as 0/1, times as the store's ISO text, so the web
-- UI sees one shape on both dialects.

-- Appends one event. Ids come from a sequence, and a reader tails by id: if two
-- transactions could commit their events out of id order, a reader that saw id 10 would miss
-- 9 committed later. The transaction-scoped advisory lock (a fixed key, released at commit or
-- rollback) serialises event-writing transactions from the moment they write their first
-- event, across connections and servers, so ids commit in order as they do with SQLite's one
-- writer. It is taken before the id is drawn.
CREATE FUNCTION opz_emit_event(p_topic text, p_table text, p_type text, p_execution_id text,
                               p_project_id text, p_user_id text, p_record_id text,
                               p_record json, p_old json) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7262737);
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES (p_topic, p_table, p_type, p_execution_id, p_project_id, p_user_id, p_record_id,
          p_record, p_old, now());
  -- Wakes every server's event stream at commit (several in one transaction
  -- arrive as one: PostgreSQL folds identical notifications).
  PERFORM pg_notify('opz_events', '');
END
$$;

CREATE FUNCTION realtime_executions() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed json;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT json_object_agg(k, v ORDER BY n) INTO changed FROM (VALUES
      (1, 'status', to_json(OLD.status), OLD.status IS DISTINCT FROM NEW.status),
      (2, 'progress', to_json(OLD.progress), OLD.progress IS DISTINCT FROM NEW.progress),
      (3, 'governance_status', to_json(OLD.governance_status),
          OLD.governance_status IS DISTINCT FROM NEW.governance_status),
      (4, 'blocked_reason', to_json(OLD.blocked_reason),
          OLD.blocked_reason IS DISTINCT FROM NEW.blocked_reason),
      (5, 'completed_at', to_json(opz_iso_time(OLD.completed_at)),
          OLD.completed_at IS DISTINCT FROM NEW.completed_at),
      (6, 'cancel_reason', to_json(OLD.cancel_reason),
          OLD.cancel_reason IS DISTINCT FROM NEW.cancel_reason)
    ) AS c (n, k, v, differs) WHERE differs;
  END IF;
  PERFORM opz_emit_event('executions', 'executions', TG_OP, NEW.id, NEW.project_id,
    NEW.started_by, NEW.id,
    json_build_object('id', NEW.id, 'name', NEW.name, 'project_id', NEW.project_id,
                      'status', NEW.status, 'environment', NEW.environment,
                      'branch', NEW.branch, 'commit_hash', NEW.commit_hash,
                      'progress', NEW.progress, 'governance_status', NEW.governance_status,
                      'blocked_reason', NEW.blocked_reason, 'started_by', NEW.started_by,
                      'trigger_type', NEW.trigger_type,
                      'parent_execution_id', NEW.parent_execution_id,
                      'cancel_reason', NEW.cancel_reason,
                      'started_at', opz_iso_time(NEW.started_at),
                      'completed_at', opz_iso_time(NEW.completed_at),
                      'created_at', opz_iso_time(NEW.created_at),
                      'updated_at', opz_iso_time(NEW.updated_at)),
    changed);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_executions_insert AFTER INSERT ON executions
  FOR EACH ROW EXECUTE FUNCTION realtime_executions();
CREATE TRIGGER realtime_executions_update AFTER UPDATE ON executions
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.progress IS DISTINCT FROM NEW.progress
        OR OLD.governance_status IS DISTINCT FROM NEW.governance_status
        OR OLD.blocked_reason IS DISTINCT FROM NEW.blocked_reason
        OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
        OR OLD.cancel_reason IS DISTINCT FROM NEW.cancel_reason)
  EXECUTE FUNCTION realtime_executions();

CREATE FUNCTION realtime_nodes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed json;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT json_object_agg(k, v ORDER BY n) INTO changed FROM (VALUES
      (1, 'status', to_json(OLD.status), OLD.status IS DISTINCT FROM NEW.status),
      (2, 'attempt', to_json(OLD.attempt), OLD.attempt IS DISTINCT FROM NEW.attempt)
    ) AS c (n, k, v, differs) WHERE differs;
  END IF;
  PERFORM opz_emit_event('nodes', 'execution_nodes', TG_OP, NEW.execution_id,
    (SELECT project_id FROM executions WHERE id = NEW.execution_id), NULL, NEW.id,
    json_build_object('id', NEW.id, 'execution_id', NEW.execution_id, 'node_id', NEW.node_id,
                      'name', NEW.name, 'type', NEW.type, 'status', NEW.status,
                      'attempt', NEW.attempt, 'max_attempts', NEW.max_attempts,
                      'exit_code', NEW.exit_code, 'error', NEW.error,
                      'started_at', opz_iso_time(NEW.started_at),
                      'completed_at', opz_iso_time(NEW.completed_at),
                      'duration_ms', NEW.duration_ms,
                      'next_attempt_at', opz_iso_time(NEW.next_attempt_at),
                      'position', NEW.position),
    changed);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_nodes_insert AFTER INSERT ON execution_nodes
  FOR EACH ROW EXECUTE FUNCTION realtime_nodes();
CREATE TRIGGER realtime_nodes_update AFTER UPDATE ON execution_nodes
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.attempt IS DISTINCT FROM NEW.attempt)
  EXECUTE FUNCTION realtime_nodes();

CREATE FUNCTION realtime_logs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM opz_emit_event('logs', 'execution_logs', 'INSERT', NEW.execution_id,
    (SELECT project_id FROM executions WHERE id = NEW.execution_id), NULL,
    CAST(NEW.id AS text), NULL, NULL);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_logs_insert AFTER INSERT ON execution_logs
  FOR EACH ROW EXECUTE FUNCTION realtime_logs();

CREATE FUNCTION realtime_approval_requests() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM opz_emit_event('approvals', 'approval_requests', TG_OP, NEW.execution_id,
    (SELECT project_id FROM executions WHERE id = NEW.execution_id),
    CASE WHEN TG_OP = 'INSERT' THEN NEW.requested_by ELSE NEW.decided_by END,
    NEW.id,
    json_build_object('id', NEW.id, 'execution_id', NEW.execution_id, 'node_id', NEW.node_id,
                      'environment', NEW.environment, 'status', NEW.status,
                      'required_approvals', NEW.required_approvals,
                      'requested_by', NEW.requested_by, 'title', NEW.title,
                      'commit_sha', NEW.commit_sha,
                      'expires_at', opz_iso_time(NEW.expires_at),
                      'decided_at', opz_iso_time(NEW.decided_at), 'decided_by', NEW.decided_by,
                      'created_at', opz_iso_time(NEW.created_at),
                      'updated_at', opz_iso_time(NEW.updated_at)),
    CASE WHEN TG_OP = 'UPDATE' THEN json_build_object('status', OLD.status) END);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_approval_requests_insert AFTER INSERT ON approval_requests
  FOR EACH ROW EXECUTE FUNCTION realtime_approval_requests();
CREATE TRIGGER realtime_approval_requests_update AFTER UPDATE ON approval_requests
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION realtime_approval_requests();

CREATE FUNCTION realtime_approval_votes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM opz_emit_event('approvals', 'approval_votes', 'INSERT',
    (SELECT execution_id FROM approval_requests WHERE id = NEW.approval_request_id),
    (SELECT e.project_id FROM approval_requests r JOIN executions e ON e.id = r.execution_id
      WHERE r.id = NEW.approval_request_id),
    NEW.user_id, NEW.id,
    json_build_object('id', NEW.id, 'approval_request_id', NEW.approval_request_id,
                      'user_id', NEW.user_id, 'vote', NEW.vote::int, 'comment', NEW.comment,
                      'commit_sha', NEW.commit_sha, 'created_at', opz_iso_time(NEW.created_at)),
    NULL);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_approval_votes_insert AFTER INSERT ON approval_votes
  FOR EACH ROW EXECUTE FUNCTION realtime_approval_votes();

CREATE FUNCTION realtime_deployments() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed json;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT json_object_agg(k, v ORDER BY n) INTO changed FROM (VALUES
      (1, 'status', to_json(OLD.status), OLD.status IS DISTINCT FROM NEW.status),
      (2, 'phase', to_json(OLD.phase), OLD.phase IS DISTINCT FROM NEW.phase),
      (3, 'slot', to_json(OLD.slot), OLD.slot IS DISTINCT FROM NEW.slot),
      (4, 'canary_weight', to_json(OLD.canary_weight),
          OLD.canary_weight IS DISTINCT FROM NEW.canary_weight),
      (5, 'completed_at', to_json(opz_iso_time(OLD.completed_at)),
          OLD.completed_at IS DISTINCT FROM NEW.completed_at)
    ) AS c (n, k, v, differs) WHERE differs;
  END IF;
  PERFORM opz_emit_event('deployments', 'deployments', TG_OP, NEW.execution_id, NEW.project_id,
    NEW.deployed_by, NEW.id,
    json_build_object('id', NEW.id, 'execution_id', NEW.execution_id, 'node_id', NEW.node_id,
                      'project_id', NEW.project_id, 'environment', NEW.environment,
                      'version', NEW.version, 'commit_sha', NEW.commit_sha,
                      'image_tag', NEW.image_tag, 'status', NEW.status,
                      'strategy', NEW.strategy, 'phase', NEW.phase, 'slot', NEW.slot,
                      'canary_weight', NEW.canary_weight, 'deployed_by', NEW.deployed_by,
                      'deployed_at', opz_iso_time(NEW.deployed_at),
                      'started_at', opz_iso_time(NEW.started_at),
                      'completed_at', opz_iso_time(NEW.completed_at),
                      'rollback_of', NEW.rollback_of, 'reason', NEW.reason,
                      'created_at', opz_iso_time(NEW.created_at),
                      'updated_at', opz_iso_time(NEW.updated_at)),
    changed);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_deployments_insert AFTER INSERT ON deployments
  FOR EACH ROW EXECUTE FUNCTION realtime_deployments();
CREATE TRIGGER realtime_deployments_update AFTER UPDATE ON deployments
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.phase IS DISTINCT FROM NEW.phase
        OR OLD.slot IS DISTINCT FROM NEW.slot
        OR OLD.canary_weight IS DISTINCT FROM NEW.canary_weight
        OR OLD.completed_at IS DISTINCT FROM NEW.completed_at)
  EXECUTE FUNCTION realtime_deployments();

CREATE FUNCTION realtime_deployment_holds() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM opz_emit_event('deployments', 'deployment_holds', TG_OP, NULL, NEW.project_id,
    CASE WHEN TG_OP = 'INSERT' THEN NEW.created_by ELSE NEW.released_by END, NEW.id,
    json_build_object('id', NEW.id, 'project_id', NEW.project_id,
                      'environment', NEW.environment, 'deployment_id', NEW.deployment_id,
                      'version_tag', NEW.version_tag, 'reason', NEW.reason,
                      'created_by', NEW.created_by, 'created_at', opz_iso_time(NEW.created_at),
                      'released_by', NEW.released_by,
                      'released_at', opz_iso_time(NEW.released_at)),
    CASE WHEN TG_OP = 'UPDATE'
         THEN json_build_object('released_at', opz_iso_time(OLD.released_at)) END);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_deployment_holds_insert AFTER INSERT ON deployment_holds
  FOR EACH ROW EXECUTE FUNCTION realtime_deployment_holds();
CREATE TRIGGER realtime_deployment_holds_update AFTER UPDATE ON deployment_holds
  FOR EACH ROW WHEN (OLD.released_at IS DISTINCT FROM NEW.released_at)
  EXECUTE FUNCTION realtime_deployment_holds();

CREATE FUNCTION realtime_environment_locks() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM opz_emit_event('environments', 'environment_locks', 'DELETE', NULL, OLD.project_id,
      NULL, OLD.id,
      json_build_object('id', OLD.id, 'project_id', OLD.project_id,
                        'environment', OLD.environment),
      NULL);
    RETURN NULL;
  END IF;
  PERFORM opz_emit_event('environments', 'environment_locks', TG_OP, NULL, NEW.project_id,
    CASE WHEN TG_OP = 'INSERT' OR NEW.is_locked THEN NEW.locked_by ELSE NEW.unlocked_by END,
    NEW.id,
    json_build_object('id', NEW.id, 'project_id', NEW.project_id,
                      'environment', NEW.environment, 'is_locked', NEW.is_locked::int,
                      'lock_reason', NEW.lock_reason, 'required_role', NEW.required_role,
                      'requires_approval', NEW.requires_approval::int,
                      'locked_by', NEW.locked_by, 'locked_at', opz_iso_time(NEW.locked_at),
                      'unlocked_by', NEW.unlocked_by,
                      'unlocked_at', opz_iso_time(NEW.unlocked_at),
                      'updated_at', opz_iso_time(NEW.updated_at)),
    CASE WHEN TG_OP = 'UPDATE'
         THEN json_build_object('is_locked', OLD.is_locked::int,
                                'lock_reason', OLD.lock_reason) END);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_environment_locks_insert AFTER INSERT ON environment_locks
  FOR EACH ROW EXECUTE FUNCTION realtime_environment_locks();
CREATE TRIGGER realtime_environment_locks_update AFTER UPDATE ON environment_locks
  FOR EACH ROW EXECUTE FUNCTION realtime_environment_locks();
CREATE TRIGGER realtime_environment_locks_delete AFTER DELETE ON environment_locks
  FOR EACH ROW EXECUTE FUNCTION realtime_environment_locks();

CREATE FUNCTION realtime_project_environments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM opz_emit_event('environments', 'project_environments', 'DELETE', NULL,
      OLD.project_id, NULL, OLD.id,
      json_build_object('id', OLD.id, 'project_id', OLD.project_id, 'name', OLD.name), NULL);
    RETURN NULL;
  END IF;
  PERFORM opz_emit_event('environments', 'project_environments', TG_OP, NULL, NEW.project_id,
    NULL, NEW.id,
    json_build_object('id', NEW.id, 'project_id', NEW.project_id, 'name', NEW.name,
                      'position', NEW.position,
                      'requires_approval', NEW.requires_approval::int,
                      'required_approvals', NEW.required_approvals,
                      'required_role', NEW.required_role,
                      'wait_timer_seconds', NEW.wait_timer_seconds,
                      'auto_deploy', NEW.auto_deploy::int,
                      'updated_at', opz_iso_time(NEW.updated_at)),
    NULL);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_project_environments_insert AFTER INSERT ON project_environments
  FOR EACH ROW EXECUTE FUNCTION realtime_project_environments();
CREATE TRIGGER realtime_project_environments_update AFTER UPDATE ON project_environments
  FOR EACH ROW EXECUTE FUNCTION realtime_project_environments();
CREATE TRIGGER realtime_project_environments_delete AFTER DELETE ON project_environments
  FOR EACH ROW EXECUTE FUNCTION realtime_project_environments();

CREATE FUNCTION realtime_freeze_windows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM opz_emit_event('environments', 'freeze_windows', 'DELETE', NULL, OLD.project_id,
      NULL, OLD.id,
      json_build_object('id', OLD.id, 'project_id', OLD.project_id,
                        'environment', OLD.environment, 'reason', OLD.reason),
      NULL);
    RETURN NULL;
  END IF;
  PERFORM opz_emit_event('environments', 'freeze_windows', TG_OP, NULL, NEW.project_id,
    NEW.created_by, NEW.id,
    json_build_object('id', NEW.id, 'project_id', NEW.project_id,
                      'environment', NEW.environment, 'kind', NEW.kind,
                      'start_local', NEW.start_local, 'end_local', NEW.end_local,
                      'weekdays', NEW.weekdays, 'start_time', NEW.start_time,
                      'end_time', NEW.end_time, 'cron', NEW.cron,
                      'duration_seconds', NEW.duration_seconds, 'timezone', NEW.timezone,
                      'reason', NEW.reason, 'created_by', NEW.created_by,
                      'created_at', opz_iso_time(NEW.created_at)),
    NULL);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_freeze_windows_insert AFTER INSERT ON freeze_windows
  FOR EACH ROW EXECUTE FUNCTION realtime_freeze_windows();
CREATE TRIGGER realtime_freeze_windows_update AFTER UPDATE ON freeze_windows
  FOR EACH ROW EXECUTE FUNCTION realtime_freeze_windows();
CREATE TRIGGER realtime_freeze_windows_delete AFTER DELETE ON freeze_windows
  FOR EACH ROW EXECUTE FUNCTION realtime_freeze_windows();

CREATE FUNCTION realtime_emergency_stops() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM opz_emit_event('environments', 'emergency_stops', TG_OP, NULL, NULL,
    CASE WHEN TG_OP = 'INSERT' THEN NEW.activated_by ELSE NEW.lifted_by END, NEW.id,
    json_build_object('id', NEW.id, 'reason', NEW.reason, 'mode', NEW.mode,
                      'activated_by', NEW.activated_by,
                      'activated_at', opz_iso_time(NEW.activated_at),
                      'lifted_by', NEW.lifted_by, 'lifted_at', opz_iso_time(NEW.lifted_at)),
    CASE WHEN TG_OP = 'UPDATE'
         THEN json_build_object('lifted_at', opz_iso_time(OLD.lifted_at)) END);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_emergency_stops_insert AFTER INSERT ON emergency_stops
  FOR EACH ROW EXECUTE FUNCTION realtime_emergency_stops();
CREATE TRIGGER realtime_emergency_stops_update AFTER UPDATE ON emergency_stops
  FOR EACH ROW EXECUTE FUNCTION realtime_emergency_stops();

CREATE FUNCTION realtime_audit_logs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM opz_emit_event('audit', 'audit_logs', 'INSERT',
    CASE WHEN NEW.resource_type = 'execution' THEN NEW.resource_id END,
    CASE WHEN NEW.resource_type = 'project' THEN NEW.resource_id END,
    NEW.user_id, NEW.id,
    json_build_object('id', NEW.id, 'seq', NEW.seq, 'action', NEW.action,
                      'resource_type', NEW.resource_type, 'resource_id', NEW.resource_id,
                      'user_id', NEW.user_id, 'details', NEW.details,
                      'ip_address', NEW.ip_address, 'created_at', opz_iso_time(NEW.created_at)),
    NULL);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_audit_logs_insert AFTER INSERT ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION realtime_audit_logs();

CREATE FUNCTION realtime_notifications() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM opz_emit_event('notifications', 'notification_events', TG_OP, NULL, NEW.project_id,
    NEW.target_user_id, NEW.id,
    json_build_object('id', NEW.id, 'type', NEW.type, 'target', NEW.target,
                      'target_user_id', NEW.target_user_id, 'project_id', NEW.project_id,
                      'payload', NEW.payload, 'read_at', opz_iso_time(NEW.read_at),
                      'created_at', opz_iso_time(NEW.created_at)),
    CASE WHEN TG_OP = 'UPDATE'
         THEN json_build_object('read_at', opz_iso_time(OLD.read_at)) END);
  RETURN NULL;
END
$$;
CREATE TRIGGER realtime_notifications_insert AFTER INSERT ON notification_events
  FOR EACH ROW EXECUTE FUNCTION realtime_notifications();
CREATE TRIGGER realtime_notifications_update AFTER UPDATE ON notification_events
  FOR EACH ROW EXECUTE FUNCTION realtime_notifications();

-- ===== execution_stats: exact under insert, update and delete ================
-- The old row's contribution is taken out and the new one's put in (two triggers on update),
-- so the totals stay exact whatever columns an UPDATE writes.
CREATE FUNCTION execution_stats_add_new() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE execution_stats
     SET success_count = success_count + 1,
         success_seconds = success_seconds +
             EXTRACT(EPOCH FROM (NEW.completed_at - NEW.started_at))::double precision
   WHERE id = 1;
  RETURN NULL;
END
$$;
CREATE FUNCTION execution_stats_remove_old() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE execution_stats
     SET success_count = success_count - 1,
         success_seconds = success_seconds -
             EXTRACT(EPOCH FROM (OLD.completed_at - OLD.started_at))::double precision
   WHERE id = 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER execution_stats_insert AFTER INSERT ON executions
  FOR EACH ROW
  WHEN (NEW.status = 'success' AND NEW.started_at IS NOT NULL AND NEW.completed_at IS NOT NULL)
  EXECUTE FUNCTION execution_stats_add_new();
CREATE TRIGGER execution_stats_update_old AFTER UPDATE OF status, started_at, completed_at
  ON executions FOR EACH ROW
  WHEN (OLD.status = 'success' AND OLD.started_at IS NOT NULL AND OLD.completed_at IS NOT NULL)
  EXECUTE FUNCTION execution_stats_remove_old();
CREATE TRIGGER execution_stats_update_new AFTER UPDATE OF status, started_at, completed_at
  ON executions FOR EACH ROW
  WHEN (NEW.status = 'success' AND NEW.started_at IS NOT NULL AND NEW.completed_at IS NOT NULL)
  EXECUTE FUNCTION execution_stats_add_new();
CREATE TRIGGER execution_stats_delete AFTER DELETE ON executions
  FOR EACH ROW
  WHEN (OLD.status = 'success' AND OLD.started_at IS NOT NULL AND OLD.completed_at IS NOT NULL)
  EXECUTE FUNCTION execution_stats_remove_old();

-- ===== A project environment's scoped configuration follows it ===============
CREATE FUNCTION project_environments_delete_scoped() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM environment_configs WHERE project_id = OLD.project_id AND environment = OLD.name;
  DELETE FROM secret_references WHERE project_id = OLD.project_id AND environment = OLD.name;
  RETURN NULL;
END
$$;
CREATE FUNCTION project_environments_rename_scoped() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE environment_configs SET environment = NEW.name
   WHERE project_id = OLD.project_id AND environment = OLD.name;
  UPDATE secret_references
     SET environment = NEW.name,
         ref_key = 'environment/' || OLD.project_id || '/' || NEW.name || '/' || name
   WHERE project_id = OLD.project_id AND environment = OLD.name;
  RETURN NULL;
END
$$;
CREATE TRIGGER project_environments_delete_scoped AFTER DELETE ON project_environments
  FOR EACH ROW EXECUTE FUNCTION project_environments_delete_scoped();
CREATE TRIGGER project_environments_rename_scoped AFTER UPDATE OF name ON project_environments
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION project_environments_rename_scoped();

-- ===== Seed 003's ops.* / registry.* ==========================================
-- Views over Opzenix's own model (one source of truth; docs/ops-backend.md). The main-schema
-- names are the ones the store reads on both dialects; the ops and registry schemas carry the
-- seed's own names over them, its RPCs, and INSTEAD OF triggers so the seed's "Seed Initial
-- Data" inserts land in the model.
CREATE VIEW registry_orgs AS
SELECT o.id, o.name, o.slug, o.created_at
  FROM organizations o;

-- repo_url: the GitHub repository URL, else the plain git URL.
CREATE VIEW ops_projects AS
SELECT p.id,
       p.organization_id AS org_id,
       p.name,
       p.slug,
       COALESCE(NULLIF(p.github_repo_url, ''), NULLIF(p.git_url, '')) AS repo_url,
       p.runtime_version,
       p.created_at,
       p.updated_at
  FROM projects p;

-- A project's own branch rules; stage = the lower-case environment; is_production: the seeded
-- Production environment (renames follow it) or any environment named production.
CREATE VIEW ops_branches AS
SELECT bm.id,
       bm.project_id,
       bm.branch_pattern AS name,
       lower(bm.environment) AS stage,
       (lower(bm.environment) = 'production'
        OR EXISTS (SELECT 1 FROM environments e
                    WHERE e.name = bm.environment
                      AND e.id = '0e000000-0000-4000-8000-000000000004')) AS is_production,
       bm.created_at
  FROM branch_mappings bm
 WHERE bm.ref_type = 'branch' AND bm.project_id IS NOT NULL;

-- One row per queue row; the status follows the execution (docs/ops-backend.md).
CREATE VIEW ops_builds AS
SELECT q.id,
       q.project_id,
       (SELECT b.id FROM ops_branches b
         WHERE b.project_id = q.project_id AND b.name = q.branch) AS branch_id,
       CASE q.status
         WHEN 'queued' THEN 'queued'
         WHEN 'failed' THEN 'failed'
         ELSE CASE
           WHEN x.id IS NULL THEN 'cancelled'
           WHEN x.status = 'idle' THEN 'queued'
           WHEN x.status = 'paused' AND x.started_at IS NULL THEN 'queued'
           WHEN x.status IN ('paused', 'running') THEN 'running'
           WHEN x.status IN ('success', 'warning') THEN 'success'
           WHEN x.status = 'failed' THEN 'failed'
           ELSE 'cancelled'
         END
       END AS status,
       q.trigger,
       q.commit_sha,
       q.execution_id,
       q.created_at,
       x.started_at,
       CASE WHEN q.status = 'failed' THEN q.dispatched_at ELSE x.completed_at END AS finished_at
  FROM ops_run_queue q
  LEFT JOIN executions x ON x.id = q.execution_id;

CREATE SCHEMA IF NOT EXISTS ops;
CREATE SCHEMA IF NOT EXISTS registry;

CREATE VIEW registry.orgs AS SELECT * FROM registry_orgs;
CREATE VIEW ops.projects AS SELECT * FROM ops_projects;
CREATE VIEW ops.branches AS SELECT * FROM ops_branches;
CREATE VIEW ops.builds AS SELECT * FROM ops_builds;
CREATE VIEW ops.run_queue AS SELECT * FROM ops_run_queue;
CREATE VIEW ops.metrics AS SELECT * FROM ops_metrics;
CREATE VIEW ops.metric_rollups_1m AS SELECT * FROM ops_metric_rollups_1m;
CREATE VIEW ops.metric_rollups_1h AS SELECT * FROM ops_metric_rollups_1h;
CREATE VIEW ops.advisories AS SELECT * FROM ops_advisories;
CREATE VIEW ops.advisory_rules AS SELECT * FROM advisory_rule_settings;
CREATE VIEW ops.rollup_state AS SELECT * FROM ops_rollup_state;

-- A URL-safe slug of a name: 'InsightPulse AI' -> 'insightpulse-ai'.
CREATE FUNCTION opz_slug(name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT trim(BOTH '-' FROM lower(regexp_replace($1, '[^A-Za-z0-9]+', '-', 'g')))
$$;

-- What store::insert_default_environments does for a new project (000 §4.1): the global
-- environments become the project's own, each with its lock row.
CREATE FUNCTION opz_insert_default_environments(project_id text, at timestamptz) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $$
  INSERT INTO project_environments (id, project_id, name, position, requires_approval,
                                    required_approvals, required_role, prevent_self_approval,
                                    wait_timer_seconds, restrict_refs, allowed_branches,
                                    allowed_tags, auto_deploy, created_at, updated_at)
  SELECT gen_random_uuid()::text, $1, e.name,
         (SELECT count(*) FROM environments o
           WHERE o.position < e.position OR (o.position = e.position AND o.name < e.name)),
         e.requires_approval, e.required_approvals,
         CASE WHEN EXISTS (SELECT 1 FROM json_array_elements_text(e.allowed_roles) r
                            WHERE r = 'viewer') THEN 'viewer'
              WHEN EXISTS (SELECT 1 FROM json_array_elements_text(e.allowed_roles) r
                            WHERE r = 'operator') THEN 'operator'
              ELSE 'admin' END,
         true, e.wait_timer_seconds, json_array_length(e.deployment_branches) > 0,
         (SELECT COALESCE(json_agg(v), '[]') FROM json_array_elements_text(e.deployment_branches) v
           WHERE NOT (v LIKE 'v%' AND strpos(v, '*') > 0)),
         (SELECT COALESCE(json_agg(v), '[]') FROM json_array_elements_text(e.deployment_branches) v
           WHERE v LIKE 'v%' AND strpos(v, '*') > 0),
         e.auto_deploy, $2, $2
    FROM environments e;
  INSERT INTO environment_locks (id, project_id, environment, is_locked, lock_reason,
                                 required_role, requires_approval, created_at, updated_at)
  SELECT gen_random_uuid()::text, pe.project_id, pe.name, e.lock_default,
         CASE WHEN e.lock_default THEN 'Locked by default (000 §4.1): unlock to deploy' END,
         CASE WHEN pe.required_role = 'admin' THEN 'admin' ELSE 'operator' END,
         pe.requires_approval, $2, $2
    FROM project_environments pe JOIN environments e ON e.name = pe.name
   WHERE pe.project_id = $1
  ON CONFLICT (project_id, environment) DO UPDATE SET
    required_role = excluded.required_role, requires_approval = excluded.requires_approval;
$$;

-- insert into registry.orgs (name): an organization (slug from the name unless given).
CREATE FUNCTION registry.orgs_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  NEW.id := COALESCE(NEW.id, gen_random_uuid()::text);
  NEW.slug := COALESCE(NEW.slug, opz_slug(NEW.name));
  NEW.created_at := COALESCE(NEW.created_at, now());
  INSERT INTO organizations (id, name, slug, owner_id, created_at, updated_at)
  VALUES (NEW.id, NEW.name, NEW.slug, NULL, NEW.created_at, NEW.created_at);
  RETURN NEW;
END
$$;
CREATE TRIGGER orgs_insert INSTEAD OF INSERT ON registry.orgs
  FOR EACH ROW EXECUTE FUNCTION registry.orgs_insert();

-- insert into ops.projects: a project (repo_url as its GitHub URL) with the default
-- environments, as POST /api/v1/projects makes it.
CREATE FUNCTION ops.projects_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  NEW.id := COALESCE(NEW.id, gen_random_uuid()::text);
  NEW.slug := COALESCE(NEW.slug, opz_slug(NEW.name));
  NEW.created_at := COALESCE(NEW.created_at, now());
  NEW.updated_at := COALESCE(NEW.updated_at, NEW.created_at);
  INSERT INTO projects (id, organization_id, name, slug, github_repo_url, runtime_version,
                        created_at, updated_at)
  VALUES (NEW.id, NEW.org_id, NEW.name, NEW.slug, NEW.repo_url, NEW.runtime_version,
          NEW.created_at, NEW.updated_at);
  PERFORM opz_insert_default_environments(NEW.id, NEW.created_at);
  RETURN NEW;
END
$$;
CREATE TRIGGER projects_insert INSTEAD OF INSERT ON ops.projects
  FOR EACH ROW EXECUTE FUNCTION ops.projects_insert();

-- insert into ops.branches: a branch rule of the project mapping the branch to the
-- environment named like stage (any case); with no such environment, is_production picks the
-- Production one. Deployable, default image tag and replicas, after the project's other rules.
CREATE FUNCTION ops.branches_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  env text;
BEGIN
  SELECT e.name INTO env FROM environments e
   WHERE lower(e.name) = lower(NEW.stage) ORDER BY e.position, e.name LIMIT 1;
  IF env IS NULL AND NEW.is_production THEN
    SELECT e.name INTO env FROM environments e
     WHERE e.id = '0e000000-0000-4000-8000-000000000004';
  END IF;
  IF env IS NULL THEN
    RAISE EXCEPTION 'ops.branches: no environment named "%"', NEW.stage
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  NEW.id := COALESCE(NEW.id, gen_random_uuid()::text);
  NEW.created_at := COALESCE(NEW.created_at, now());
  INSERT INTO branch_mappings (id, project_id, position, branch_pattern, ref_type, environment,
                               created_at, updated_at)
  VALUES (NEW.id, NEW.project_id,
          (SELECT COALESCE(max(position) + 1, 0) FROM branch_mappings
            WHERE project_id = NEW.project_id),
          NEW.name, 'branch', env, NEW.created_at, NEW.created_at);
  SELECT b.stage, b.is_production INTO NEW.stage, NEW.is_production
    FROM ops_branches b WHERE b.id = NEW.id;
  RETURN NEW;
END
$$;
CREATE TRIGGER branches_insert INSTEAD OF INSERT ON ops.branches
  FOR EACH ROW EXECUTE FUNCTION ops.branches_insert();

-- insert into ops.builds: a 'queued' build (the default) joins the run queue and the runner
-- starts it; a 'failed' one is a refused queue row; a finished one ('success', 'cancelled')
-- records an execution with that outcome (metadata.ops_build_id = the build's id, so the
-- runner never starts it again) and a dispatched queue row. 'running' cannot be inserted: a
-- build runs only through the runner. The branch is branch_id's, else the project's default.
CREATE FUNCTION ops.builds_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  branch_name text;
  exec_id text;
BEGIN
  NEW.id := COALESCE(NEW.id, gen_random_uuid()::text);
  NEW.status := COALESCE(NEW.status, 'queued');
  NEW.trigger := COALESCE(NEW.trigger, 'manual');
  NEW.created_at := COALESCE(NEW.created_at, now());
  IF NEW.branch_id IS NOT NULL THEN
    SELECT b.name INTO branch_name FROM ops_branches b
     WHERE b.id = NEW.branch_id AND b.project_id = NEW.project_id;
    IF branch_name IS NULL THEN
      RAISE EXCEPTION 'ops.builds: branch_id % is not a branch of project %',
        NEW.branch_id, NEW.project_id USING ERRCODE = 'foreign_key_violation';
    END IF;
  ELSE
    SELECT p.default_branch INTO branch_name FROM projects p WHERE p.id = NEW.project_id;
    IF branch_name IS NULL THEN
      RAISE EXCEPTION 'ops.builds: no project with id %', NEW.project_id
        USING ERRCODE = 'foreign_key_violation';
    END IF;
  END IF;
  IF NEW.status = 'queued' THEN
    INSERT INTO ops_run_queue (id, project_id, branch, commit_sha, trigger, status, created_at)
    VALUES (NEW.id, NEW.project_id, branch_name, NEW.commit_sha, NEW.trigger, 'queued',
            NEW.created_at);
  ELSIF NEW.status = 'failed' THEN
    NEW.finished_at := COALESCE(NEW.finished_at, NEW.created_at);
    INSERT INTO ops_run_queue (id, project_id, branch, commit_sha, trigger, status, error,
                               created_at, dispatched_at)
    VALUES (NEW.id, NEW.project_id, branch_name, NEW.commit_sha, NEW.trigger, 'failed',
            'recorded as failed', NEW.created_at, NEW.finished_at);
  ELSIF NEW.status IN ('success', 'cancelled') THEN
    exec_id := gen_random_uuid()::text;
    NEW.started_at := COALESCE(NEW.started_at, NEW.created_at);
    NEW.finished_at := COALESCE(NEW.finished_at, NEW.started_at);
    INSERT INTO executions (id, name, project_id, status, branch, commit_hash, progress,
                            trigger_type, metadata, started_at, completed_at, created_at,
                            updated_at)
    VALUES (exec_id, 'build ' || branch_name, NEW.project_id, NEW.status, branch_name,
            NEW.commit_sha, CASE WHEN NEW.status = 'success' THEN 100 ELSE 0 END, 'manual',
            json_build_object('ops_build_id', NEW.id), NEW.started_at, NEW.finished_at,
            NEW.created_at, NEW.created_at);
    INSERT INTO ops_run_queue (id, project_id, branch, commit_sha, trigger, status,
                               execution_id, created_at, dispatched_at)
    VALUES (NEW.id, NEW.project_id, branch_name, NEW.commit_sha, NEW.trigger, 'dispatched',
            exec_id, NEW.created_at, NEW.created_at);
    NEW.execution_id := exec_id;
  ELSE
    RAISE EXCEPTION 'ops.builds: insert a build as queued (the runner starts it), success, '
                    'failed or cancelled, not %', NEW.status USING ERRCODE = 'check_violation';
  END IF;
  NEW.branch_id := (SELECT b.id FROM ops_branches b
                     WHERE b.project_id = NEW.project_id AND b.name = branch_name);
  RETURN NEW;
END
$$;
CREATE TRIGGER builds_insert INSTEAD OF INSERT ON ops.builds
  FOR EACH ROW EXECUTE FUNCTION ops.builds_insert();

-- The seed's RPCs (the rows of POST /rest/v1/rpc/list_projects and .../project_branches).
-- A project's or branch's last build is its newest build by created_at, then id.
CREATE FUNCTION ops.list_projects()
RETURNS TABLE (id text, org_id text, name text, slug text, repo_url text, runtime_version text,
               created_at timestamptz, branch_count bigint, last_build_status text,
               last_build_at timestamptz)
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT p.id, p.org_id, p.name, p.slug, p.repo_url, p.runtime_version, p.created_at,
         (SELECT count(*) FROM ops_branches br WHERE br.project_id = p.id),
         (SELECT b.status FROM ops_builds b WHERE b.project_id = p.id
           ORDER BY b.created_at DESC, b.id DESC LIMIT 1),
         (SELECT b.created_at FROM ops_builds b WHERE b.project_id = p.id
           ORDER BY b.created_at DESC, b.id DESC LIMIT 1)
    FROM ops_projects p
   ORDER BY p.name COLLATE nocase, p.id
$$;

CREATE FUNCTION ops.project_branches(project_id text)
RETURNS TABLE (id text, project_id text, name text, stage text, is_production boolean,
               created_at timestamptz, last_build_status text, last_build_at timestamptz)
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT br.id, br.project_id, br.name, br.stage, br.is_production, br.created_at,
         (SELECT b.status FROM ops_builds b WHERE b.branch_id = br.id
           ORDER BY b.created_at DESC, b.id DESC LIMIT 1),
         (SELECT b.created_at FROM ops_builds b WHERE b.branch_id = br.id
           ORDER BY b.created_at DESC, b.id DESC LIMIT 1)
    FROM ops_branches br
   WHERE br.project_id = $1
   ORDER BY br.name, br.id
$$;

-- ===== Seed 000's roles check and Supabase's auth.uid() =======================
-- public.has_role(user, role): the user holds exactly that role (user_roles: one per user).
CREATE FUNCTION public.has_role(user_id text, role text) RETURNS boolean
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = $1 AND r.role = $2)
$$;

-- auth.uid(): the caller's user id as Supabase/PostgREST pass it (request.jwt.claim.sub or
-- the sub of request.jwt.claims); NULL outside such a request, so the seed's
-- "public.has_role(auth.uid(), 'operator')" runs and is false.
CREATE SCHEMA IF NOT EXISTS auth;
CREATE FUNCTION auth.uid() RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('request.jwt.claim.sub', true), ''),
                  NULLIF(current_setting('request.jwt.claims', true), '')::json ->> 'sub')
$$;

-- ===== Row level security (seed 000 §1.3 checks rowsecurity) ===================
-- On for every table of this schema. No policies: other roles see nothing; Opzenix connects
-- as the owner of its tables, which RLS does not restrict. A later migration that creates
-- tables ends with "SELECT opz_enable_row_level_security();".
CREATE FUNCTION opz_enable_row_level_security() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables
            WHERE schemaname = current_schema() AND NOT rowsecurity LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
  END LOOP;
END
$$;
SELECT opz_enable_row_level_security();
