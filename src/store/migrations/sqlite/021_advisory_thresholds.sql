-- 021_advisory_thresholds: configurable advisory rules (issue 13; seeds 001
-- "Monitoring & Alerts", 002 "Monitoring & Alerting", 003 "Alerts").
--
-- advisory_rule_settings: an admin's override of one rule's settings, for
-- every project (project_id NULL: global) or for one project. Each setting
-- column is NULL when that scope does not override it: the rule's setting in
-- force is the project row's value, else the global row's, else the default
-- in code (telemetry/advisory_rules.cc). At most one row per (rule, scope).
-- Written by PUT /api/v1/advisory-rules/{rule}, read by the advisory scan.
CREATE TABLE advisory_rule_settings (
  id              TEXT PRIMARY KEY NOT NULL,
  rule            TEXT NOT NULL,
  project_id      TEXT REFERENCES projects (id) ON DELETE CASCADE,
  threshold       REAL,
  window_seconds  INTEGER CHECK (window_seconds IS NULL OR window_seconds > 0),
  severity        TEXT CHECK (severity IS NULL OR severity IN ('info', 'warning', 'critical')),
  enabled         INTEGER CHECK (enabled IS NULL OR enabled IN (0, 1)),
  updated_by      TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX advisory_rule_settings_scope_idx
  ON advisory_rule_settings (rule, coalesce(project_id, ''));
