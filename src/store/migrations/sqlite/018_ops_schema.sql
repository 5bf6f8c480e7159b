-- 018_ops_schema: seed 003's ops.* / registry.* schema (issue 15) as views over
-- Opzenix's own model, so there is one source of truth and nothing to keep in
-- sync; plus the one table the seed has that Opzenix lacks, the build queue.
-- SQLite has no schemas: ops.projects is ops_projects here (the PostgreSQL
-- backend creates real schemas). The view names and columns are a contract
-- for the PostgREST catalog (GET /rest/v1/<table>, Accept-Profile: ops) and
-- store::OpsBackendStore; see docs/ops-backend.md.

-- The seed's ops.projects.runtime_version (e.g. '19.0'): free text, optional.
ALTER TABLE projects ADD COLUMN runtime_version TEXT;

-- registry.orgs: the organizations.
CREATE VIEW registry_orgs AS
SELECT o.id, o.name, o.slug, o.created_at
  FROM organizations o;

-- ops.projects: the projects; repo_url is the GitHub repository URL, else the
-- plain git URL (NULL when the project has neither).
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

-- ops.branches: a project's own branch rules (branch_mappings of ref_type
-- 'branch'; the global default rules, project_id NULL, are not a project's
-- branches). name is the rule's pattern ('main', 'release/*'); stage the
-- lower-case environment name. is_production: the rule's environment is the
-- Production environment, i.e. the seeded environments row
-- 0e000000-…-000000000004 (a rename follows it through ON UPDATE CASCADE) or
-- any environment named 'production' in any case (the name the deploy rules
-- and governance treat as Production).
CREATE VIEW ops_branches AS
SELECT bm.id,
       bm.project_id,
       bm.branch_pattern AS name,
       lower(bm.environment) AS stage,
       CASE WHEN lower(bm.environment) = 'production'
                 OR EXISTS (SELECT 1 FROM environments e
                             WHERE e.name = bm.environment
                               AND e.id = '0e000000-0000-4000-8000-000000000004')
            THEN 1 ELSE 0 END AS is_production,
       bm.created_at
  FROM branch_mappings bm
 WHERE bm.ref_type = 'branch' AND bm.project_id IS NOT NULL;

-- ops.run_queue: builds requested through POST /functions/v1/ops-trigger-build.
-- trigger::RunQueueRunner drains it: each 'queued' row becomes an execution
-- through the one admission path and is marked 'dispatched' with its
-- execution_id, or 'failed' with the reason (e.g. the project has no
-- pipeline), in one transaction per row. dispatched_at is when the runner
-- handled the row (either way).
CREATE TABLE ops_run_queue (
  id            TEXT PRIMARY KEY NOT NULL,
  project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  branch        TEXT NOT NULL,
  commit_sha    TEXT,
  trigger       TEXT NOT NULL DEFAULT 'manual',
  status        TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'dispatched', 'failed')),
  execution_id  TEXT REFERENCES executions (id) ON DELETE SET NULL,
  error         TEXT,
  requested_by  TEXT,
  created_at    TEXT NOT NULL,
  dispatched_at TEXT
);
CREATE INDEX ops_run_queue_status_idx ON ops_run_queue (status, created_at);
CREATE INDEX ops_run_queue_project_idx ON ops_run_queue (project_id, created_at);
CREATE INDEX ops_run_queue_execution_idx ON ops_run_queue (execution_id);

-- ops.builds: one row per queue entry (id = the queue id). status:
--   queue 'queued'                      -> 'queued'
--   queue 'failed' (never dispatched)   -> 'failed'
--   queue 'dispatched', by execution status:
--     idle                              -> 'queued'    (created, not started)
--     paused, never started             -> 'queued'    (held by governance)
--     paused after starting, running    -> 'running'   (paused = waiting on a gate)
--     success, warning                  -> 'success'   (warning: finished, some
--                                                       allowed failures)
--     failed                            -> 'failed'
--     cancelled                         -> 'cancelled'
--     execution deleted (id NULL)       -> 'cancelled'
-- started_at / finished_at are the execution's started_at / completed_at (a
-- queue row that failed to dispatch finished when the runner refused it).
-- branch_id: the project's ops_branches row named like the queued branch
-- (exact pattern text), NULL when there is none.
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
