-- 026_agent_job_log_spool: an agent's log lines reach the server that waits
-- for its job (issue 14, docs/scaling.md "Log lines across servers"). An
-- agent posts its log batches to whichever server it reaches; when that
-- server's runner does not follow the job, the batch waits here, fenced by
-- the lease generation like every report, until the runner named by
-- agent_jobs.runner_id takes it (read and deleted in one transaction) and
-- hands its lines on, in seq order, before the job's exit. Rows of jobs that
-- ended with nobody left to take them are purged after a retention period;
-- rows go with their job (ON DELETE CASCADE).
CREATE TABLE agent_job_log_spool (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id     TEXT NOT NULL REFERENCES agent_jobs (id) ON DELETE CASCADE,
  lines      TEXT NOT NULL CHECK (json_valid(lines) AND json_type(lines) = 'array'),
  created_at TEXT NOT NULL
);
CREATE INDEX agent_job_log_spool_job_idx ON agent_job_log_spool (job_id, seq);
