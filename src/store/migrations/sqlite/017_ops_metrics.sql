-- 017_ops_metrics: ingested operational metrics, their 1-minute and 1-hour
-- rollups, and advisories (issue 13; seed 003's ops metrics ingest, metrics
-- rollup and advisory scan; docs/schema.md, docs/api.md "Telemetry,
-- advisories and DORA").
--
-- ops_metrics: one row per sample of POST /functions/v1/ops-metrics-ingest
-- ({"project_id","ts","samples":[{"metric","value"}]}). The id is an
-- INTEGER sequence (like execution_logs) so the rollup refresh can pick up
-- exactly the rows added since its last run.
CREATE TABLE ops_metrics (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  metric      TEXT NOT NULL,
  value       REAL NOT NULL,
  ts          TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX ops_metrics_project_metric_ts_idx ON ops_metrics (project_id, metric, ts);

-- The seed's materialized view as tables: per (project, metric, bucket) the
-- sample count, sum, min and max; bucket is the UTC minute / hour start in
-- the stored time format. Kept by store::OpsMetricsStore::refresh_rollups,
-- which adds the rows past ops_rollup_state.last_metric_id (count, sum, min
-- and max combine exactly, so nothing is recomputed).
CREATE TABLE ops_metric_rollups_1m (
  project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  metric      TEXT NOT NULL,
  bucket      TEXT NOT NULL,
  samples     INTEGER NOT NULL,
  sum         REAL NOT NULL,
  min         REAL NOT NULL,
  max         REAL NOT NULL,
  PRIMARY KEY (project_id, metric, bucket)
);
CREATE TABLE ops_metric_rollups_1h (
  project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  metric      TEXT NOT NULL,
  bucket      TEXT NOT NULL,
  samples     INTEGER NOT NULL,
  sum         REAL NOT NULL,
  min         REAL NOT NULL,
  max         REAL NOT NULL,
  PRIMARY KEY (project_id, metric, bucket)
);
CREATE TABLE ops_rollup_state (
  name            TEXT PRIMARY KEY NOT NULL,
  last_metric_id  INTEGER NOT NULL DEFAULT 0,
  refreshed_at    TEXT
);
INSERT INTO ops_rollup_state (name, last_metric_id) VALUES ('ops_metrics', 0);

-- ops_advisories: what POST /functions/v1/ops-advisory-scan found. At most
-- one open advisory per (project, rule): a scan that finds the condition
-- again updates it; one that finds it cleared resolves it.
CREATE TABLE ops_advisories (
  id           TEXT PRIMARY KEY NOT NULL,
  project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  rule         TEXT NOT NULL,
  severity     TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  title        TEXT NOT NULL,
  message      TEXT NOT NULL,
  observed     REAL,
  threshold    REAL,
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  resolved_at  TEXT
);
CREATE UNIQUE INDEX ops_advisories_open_idx ON ops_advisories (project_id, rule)
  WHERE status = 'open';
CREATE INDEX ops_advisories_project_idx ON ops_advisories (project_id, created_at);
