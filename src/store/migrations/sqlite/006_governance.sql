-- 006_governance: per-project environments and their protection rules,
-- per-project locks, freeze windows and the emergency stop (issue 8; see
-- docs/governance.md "Storage and API" and docs/schema.md).

-- The environments of one project, each with its protection rules
-- (governance::EnvironmentProtection). Names are unique per project without
-- regard to ASCII case; lookups are exact. The global `environments` rows are
-- the template a new project's environments are copied from.
CREATE TABLE project_environments (
  id                      TEXT PRIMARY KEY NOT NULL,
  project_id              TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name                    TEXT NOT NULL,
  position                INTEGER NOT NULL DEFAULT 0,
  requires_approval       INTEGER NOT NULL DEFAULT 0 CHECK (requires_approval IN (0, 1)),
  required_approvals      INTEGER NOT NULL DEFAULT 0 CHECK (required_approvals >= 0),
  required_role           TEXT NOT NULL DEFAULT 'operator'
                          CHECK (required_role IN ('admin', 'operator', 'viewer')),
  -- [{"kind": "user" | "role", "id": "..."}]
  reviewers               TEXT NOT NULL DEFAULT '[]'
                          CHECK (json_valid(reviewers) AND json_type(reviewers) = 'array'),
  prevent_self_approval   INTEGER NOT NULL DEFAULT 1 CHECK (prevent_self_approval IN (0, 1)),
  wait_timer_seconds      INTEGER NOT NULL DEFAULT 0 CHECK (wait_timer_seconds >= 0),
  restrict_refs           INTEGER NOT NULL DEFAULT 0 CHECK (restrict_refs IN (0, 1)),
  allowed_branches        TEXT NOT NULL DEFAULT '[]'
                          CHECK (json_valid(allowed_branches)
                                 AND json_type(allowed_branches) = 'array'),
  allowed_tags            TEXT NOT NULL DEFAULT '[]'
                          CHECK (json_valid(allowed_tags) AND json_type(allowed_tags) = 'array'),
  auto_deploy             INTEGER NOT NULL DEFAULT 0 CHECK (auto_deploy IN (0, 1)),
  approval_expiry_seconds INTEGER NOT NULL DEFAULT 2592000 CHECK (approval_expiry_seconds > 0),
  queue_mode              TEXT NOT NULL DEFAULT 'oldest_first'
                          CHECK (queue_mode IN ('oldest_first', 'newest_ready_first')),
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL,
  UNIQUE (project_id, name COLLATE NOCASE)
);
CREATE INDEX project_environments_position_idx ON project_environments (project_id, position);

-- environment_locks keeps the seeds' columns but loses its foreign key to the
-- global environments(name): a project's lock row names one of ITS
-- environments. SQLite cannot drop a foreign key, so the table is rebuilt
-- (nothing references it). project_id NULL rows stay the global locks.
-- required_role is the role that may lock and unlock (the seeds' unlock
-- check): admin for an environment only admins deploy to, else operator.
ALTER TABLE environment_locks RENAME TO environment_locks_005;
CREATE TABLE environment_locks (
  id                TEXT PRIMARY KEY NOT NULL,
  project_id        TEXT REFERENCES projects (id) ON DELETE CASCADE,
  environment       TEXT NOT NULL,
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
INSERT INTO environment_locks (id, project_id, environment, is_locked, lock_reason, required_role,
                               requires_approval, locked_by, locked_at, unlocked_by, unlocked_at,
                               created_at, updated_at)
  SELECT id, project_id, environment, is_locked, lock_reason, required_role, requires_approval,
         locked_by, locked_at, unlocked_by, unlocked_at, created_at, updated_at
  FROM environment_locks_005;
DROP TABLE environment_locks_005;
CREATE UNIQUE INDEX environment_locks_global_idx ON environment_locks (environment)
  WHERE project_id IS NULL;

-- Existing projects get the global environments as their own, with the same
-- mapping store::insert_default_environments applies to a new project:
-- position = rank of the global position (0-based); required_role = the least
-- role in allowed_roles; deployment_branches restrict refs when non-empty,
-- entries starting with 'v' and holding a wildcard being tag globs (the
-- seeds' 'v*'), the others branch globs; defaults locked by 000 §4.1 carry
-- governance's default reason.
INSERT INTO project_environments (id, project_id, name, position, requires_approval,
                                  required_approvals, required_role, prevent_self_approval,
                                  wait_timer_seconds, restrict_refs, allowed_branches,
                                  allowed_tags, auto_deploy, created_at, updated_at)
  SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
           substr(lower(hex(randomblob(2))), 2) || '-' ||
           substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) ||
           '-' || lower(hex(randomblob(6))),
         p.id, e.name,
         (SELECT count(*) FROM environments o
          WHERE o.position < e.position OR (o.position = e.position AND o.name < e.name)),
         e.requires_approval, e.required_approvals,
         CASE WHEN EXISTS (SELECT 1 FROM json_each(e.allowed_roles) WHERE value = 'viewer')
                THEN 'viewer'
              WHEN EXISTS (SELECT 1 FROM json_each(e.allowed_roles) WHERE value = 'operator')
                THEN 'operator'
              ELSE 'admin' END,
         1, e.wait_timer_seconds, json_array_length(e.deployment_branches) > 0,
         (SELECT json_group_array(value) FROM json_each(e.deployment_branches)
          WHERE NOT (value LIKE 'v%' AND instr(value, '*') > 0)),
         (SELECT json_group_array(value) FROM json_each(e.deployment_branches)
          WHERE value LIKE 'v%' AND instr(value, '*') > 0),
         e.auto_deploy,
         strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM projects p CROSS JOIN environments e;

INSERT INTO environment_locks (id, project_id, environment, is_locked, lock_reason, required_role,
                               requires_approval, created_at, updated_at)
  SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
           substr(lower(hex(randomblob(2))), 2) || '-' ||
           substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) ||
           '-' || lower(hex(randomblob(6))),
         pe.project_id, pe.name, e.lock_default,
         CASE WHEN e.lock_default = 1 THEN 'Locked by default (000 §4.1): unlock to deploy' END,
         CASE WHEN pe.required_role = 'admin' THEN 'admin' ELSE 'operator' END,
         pe.requires_approval,
         strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM project_environments pe JOIN environments e ON e.name = pe.name
  WHERE true
  ON CONFLICT (project_id, environment) DO UPDATE SET
    required_role = excluded.required_role, requires_approval = excluded.requires_approval;

-- Freeze windows (governance::FreezeWindow). Scope: project_id NULL = global;
-- environment NULL = every environment of the project. Local times are
-- wall-clock text in `timezone`: start_local/end_local "YYYY-MM-DDTHH:MM:SS"
-- (absolute), start_time/end_time "HH:MM" with weekdays ["mon", ...]
-- (weekly), cron + duration_seconds (cron).
CREATE TABLE freeze_windows (
  id               TEXT PRIMARY KEY NOT NULL,
  project_id       TEXT REFERENCES projects (id) ON DELETE CASCADE,
  environment      TEXT,
  kind             TEXT NOT NULL CHECK (kind IN ('absolute', 'weekly', 'cron')),
  start_local      TEXT,
  end_local        TEXT,
  weekdays         TEXT NOT NULL DEFAULT '[]'
                   CHECK (json_valid(weekdays) AND json_type(weekdays) = 'array'),
  start_time       TEXT,
  end_time         TEXT,
  cron             TEXT,
  duration_seconds INTEGER CHECK (duration_seconds IS NULL OR duration_seconds > 0),
  timezone         TEXT NOT NULL DEFAULT 'UTC',
  reason           TEXT NOT NULL,
  created_by       TEXT,
  created_at       TEXT NOT NULL,
  CHECK (environment IS NULL OR project_id IS NOT NULL)
);
CREATE INDEX freeze_windows_scope_idx ON freeze_windows (project_id, environment);

-- The emergency stop: one row per activation; the active one has no
-- lifted_at (at most one at a time).
CREATE TABLE emergency_stops (
  id           TEXT PRIMARY KEY NOT NULL,
  reason       TEXT NOT NULL,
  mode         TEXT NOT NULL DEFAULT 'let_finish' CHECK (mode IN ('let_finish', 'cancel')),
  activated_by TEXT,
  activated_at TEXT NOT NULL,
  lifted_by    TEXT,
  lifted_at    TEXT
);
CREATE UNIQUE INDEX emergency_stops_active_idx ON emergency_stops ((lifted_at IS NULL))
  WHERE lifted_at IS NULL;
CREATE INDEX emergency_stops_activated_idx ON emergency_stops (activated_at);
