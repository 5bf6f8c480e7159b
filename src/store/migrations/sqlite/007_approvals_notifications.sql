-- 007_approvals_notifications: N-of-M approvals bound to a commit, per-user
-- notifications, outgoing project webhooks (issue 8; docs/schema.md).
--
-- approval_requests.status gains 'expired' and 'superseded', and the request
-- carries what governance::check_voter needs (commit, expiry, self-approval
-- rule, named reviewers, the pusher). SQLite cannot change a CHECK, so the
-- table is rebuilt. approval_votes references it: renaming approval_requests
-- would rewrite that reference to the renamed table (legacy_alter_table is
-- off), and dropping the old table with foreign_keys on would cascade-delete
-- the votes. So the votes are copied aside and their table dropped first, then
-- approval_requests is rebuilt, then approval_votes is recreated pointing at
-- the new table and refilled.
CREATE TABLE approval_votes_006 AS SELECT * FROM approval_votes;
DROP TABLE approval_votes;

ALTER TABLE approval_requests RENAME TO approval_requests_006;
CREATE TABLE approval_requests (
  id                    TEXT PRIMARY KEY NOT NULL,
  execution_id          TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  node_id               TEXT,  -- NULL: an environment's protection, not an approval node
  environment           TEXT,
  status                TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'approved', 'rejected', 'expired',
                                          'superseded')),
  required_approvals    INTEGER NOT NULL DEFAULT 1 CHECK (required_approvals >= 1),
  requested_by          TEXT,
  title                 TEXT,
  description           TEXT,
  wait_until            TEXT,
  resolved_at           TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  commit_sha            TEXT,  -- NULL: the execution's commit_hash
  expires_at            TEXT,  -- NULL: never
  decided_at            TEXT,
  decided_by            TEXT,  -- the deciding voter; NULL for expiry and supersession
  prevent_self_approval INTEGER NOT NULL DEFAULT 1 CHECK (prevent_self_approval IN (0, 1)),
  reviewers             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reviewers)),
  pusher_user_id        TEXT,
  notified_at           TEXT   -- when its eligible approvers were notified (trigger::Notifier)
);
INSERT INTO approval_requests (id, execution_id, node_id, environment, status, required_approvals,
                               requested_by, title, description, wait_until, resolved_at,
                               created_at, updated_at, commit_sha, decided_at)
  SELECT a.id, a.execution_id, a.node_id, a.environment, a.status, a.required_approvals,
         a.requested_by, a.title, a.description, a.wait_until, a.resolved_at, a.created_at,
         a.updated_at, (SELECT e.commit_hash FROM executions e WHERE e.id = a.execution_id),
         a.resolved_at
  FROM approval_requests_006 a;
DROP TABLE approval_requests_006;
CREATE INDEX approval_requests_status_idx ON approval_requests (status, created_at, id);
CREATE INDEX approval_requests_unnotified_idx ON approval_requests (created_at)
  WHERE notified_at IS NULL AND status = 'pending';
CREATE INDEX approval_requests_execution_idx ON approval_requests (execution_id, node_id);
-- At most one open request per gate: per approval node, and per environment
-- for protection requests (node_id NULL).
CREATE UNIQUE INDEX approval_requests_pending_idx ON approval_requests (execution_id, node_id)
  WHERE status = 'pending';
CREATE UNIQUE INDEX approval_requests_pending_env_idx
  ON approval_requests (execution_id, environment)
  WHERE status = 'pending' AND node_id IS NULL;

-- user_id has no foreign key: votes are history and outlive their voter's account.
-- commit_sha: the commit the voter saw (NULL: the request's).
CREATE TABLE approval_votes (
  id                  TEXT PRIMARY KEY NOT NULL,
  approval_request_id TEXT NOT NULL REFERENCES approval_requests (id) ON DELETE CASCADE,
  user_id             TEXT NOT NULL,
  vote                INTEGER NOT NULL CHECK (vote IN (0, 1)),
  comment             TEXT,
  created_at          TEXT NOT NULL,
  commit_sha          TEXT,
  UNIQUE (approval_request_id, user_id)
);
INSERT INTO approval_votes (id, approval_request_id, user_id, vote, comment, created_at)
  SELECT id, approval_request_id, user_id, vote, comment, created_at FROM approval_votes_006;
DROP TABLE approval_votes_006;

-- Notifications for one user (the seeds' `target` stays as given).
ALTER TABLE notification_events ADD COLUMN target_user_id TEXT;
ALTER TABLE notification_events ADD COLUMN project_id TEXT;
CREATE INDEX notification_events_user_idx
  ON notification_events (target_user_id, created_at, id);

-- Outgoing webhooks of a project. secret_sealed: secrets::SecretBox text.
-- events: JSON array of notification types; [] means every event.
CREATE TABLE project_webhooks (
  id            TEXT PRIMARY KEY NOT NULL,
  project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  url           TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  format        TEXT NOT NULL DEFAULT 'opzenix' CHECK (format IN ('opzenix', 'slack')),
  events        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(events)),
  enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_by    TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX project_webhooks_project_idx ON project_webhooks (project_id, created_at);

-- One row per (webhook, event); attempts counts tries, each logged here.
CREATE TABLE project_webhook_deliveries (
  id               TEXT PRIMARY KEY NOT NULL,
  webhook_id       TEXT NOT NULL REFERENCES project_webhooks (id) ON DELETE CASCADE,
  event            TEXT NOT NULL,
  payload          TEXT NOT NULL CHECK (json_valid(payload)),
  status           TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  last_status_code INTEGER,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  delivered_at     TEXT
);
CREATE INDEX project_webhook_deliveries_due_idx
  ON project_webhook_deliveries (status, next_attempt_at);
CREATE INDEX project_webhook_deliveries_webhook_idx
  ON project_webhook_deliveries (webhook_id, created_at, id);
