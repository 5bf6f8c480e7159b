-- 012_event_log: the persisted event log behind GET /api/v1/events (issue 10;
-- store::EventLogStore, src/realtime/, docs/realtime.md).
--
-- Every change a client of the realtime stream may watch writes one row here,
-- from a TRIGGER, in the SAME transaction as the change: the log can never
-- miss a committed change nor hold one that was rolled back, and no code path
-- (engine, API, seeds' raw INSERTs) has to remember to publish.
--
-- Ordering: SQLite has ONE writer connection (store/sqlite_database.h), so
-- ids are handed out and committed in order: a reader whose snapshot holds id
-- N holds every id < N that will ever exist. That is what lets a client resume
-- from its Last-Event-ID with no gap. (PostgreSQL's concurrent writers break
-- this; see docs/realtime.md.)
--
-- Columns:
--   topic        executions | nodes | logs | approvals | deployments |
--                environments | audit | notifications (realtime::Topic)
--   table_name   the table that changed
--   type         INSERT | UPDATE | DELETE
--   execution_id, project_id   what the stream filters on (NULL: none)
--   user_id      audit: the actor; notifications: the target user; else the
--                actor where the row names one (informational)
--   record_id    the changed row's id (logs: execution_logs.id)
--   record       JSON: the row's main columns (DELETE: the deleted row's);
--                NULL for logs, whose record the reader joins from
--                execution_logs so log text is not stored twice
--   old          JSON: UPDATE only, the watched columns that changed, with
--                their old values
--   created_at   when the change committed (SQLite's clock: 'now' is fixed
--                for one statement)
-- AUTOINCREMENT: an id is never reused, even after the rows are pruned
-- (sqlite_sequence keeps the highest id given; EventLogStore::last_id).
CREATE TABLE realtime_events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  topic        TEXT NOT NULL,
  table_name   TEXT NOT NULL,
  type         TEXT NOT NULL CHECK (type IN ('INSERT', 'UPDATE', 'DELETE')),
  execution_id TEXT,
  project_id   TEXT,
  user_id      TEXT,
  record_id    TEXT,
  record       TEXT,
  old          TEXT,
  created_at   TEXT NOT NULL
);
CREATE INDEX realtime_events_created_idx ON realtime_events (created_at);

-- ===== executions → executions ==============================================

CREATE TRIGGER realtime_executions_insert AFTER INSERT ON executions
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('executions', 'executions', 'INSERT', NEW.id, NEW.project_id, NEW.started_by, NEW.id,
          json_object('id', NEW.id, 'name', NEW.name, 'project_id', NEW.project_id,
                      'status', NEW.status, 'environment', NEW.environment,
                      'branch', NEW.branch, 'commit_hash', NEW.commit_hash,
                      'progress', NEW.progress, 'governance_status', NEW.governance_status,
                      'blocked_reason', NEW.blocked_reason, 'started_by', NEW.started_by,
                      'trigger_type', NEW.trigger_type,
                      'parent_execution_id', NEW.parent_execution_id,
                      'cancel_reason', NEW.cancel_reason, 'started_at', NEW.started_at,
                      'completed_at', NEW.completed_at, 'created_at', NEW.created_at,
                      'updated_at', NEW.updated_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_executions_update AFTER UPDATE ON executions
WHEN OLD.status IS NOT NEW.status OR OLD.progress IS NOT NEW.progress
  OR OLD.governance_status IS NOT NEW.governance_status
  OR OLD.blocked_reason IS NOT NEW.blocked_reason OR OLD.completed_at IS NOT NEW.completed_at
  OR OLD.cancel_reason IS NOT NEW.cancel_reason
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('executions', 'executions', 'UPDATE', NEW.id, NEW.project_id, NEW.started_by, NEW.id,
          json_object('id', NEW.id, 'name', NEW.name, 'project_id', NEW.project_id,
                      'status', NEW.status, 'environment', NEW.environment,
                      'branch', NEW.branch, 'commit_hash', NEW.commit_hash,
                      'progress', NEW.progress, 'governance_status', NEW.governance_status,
                      'blocked_reason', NEW.blocked_reason, 'started_by', NEW.started_by,
                      'trigger_type', NEW.trigger_type,
                      'parent_execution_id', NEW.parent_execution_id,
                      'cancel_reason', NEW.cancel_reason, 'started_at', NEW.started_at,
                      'completed_at', NEW.completed_at, 'created_at', NEW.created_at,
                      'updated_at', NEW.updated_at),
          (SELECT json_group_object(k, v) FROM (
             SELECT 'status' AS k, OLD.status AS v WHERE OLD.status IS NOT NEW.status
             UNION ALL SELECT 'progress', OLD.progress WHERE OLD.progress IS NOT NEW.progress
             UNION ALL SELECT 'governance_status', OLD.governance_status
               WHERE OLD.governance_status IS NOT NEW.governance_status
             UNION ALL SELECT 'blocked_reason', OLD.blocked_reason
               WHERE OLD.blocked_reason IS NOT NEW.blocked_reason
             UNION ALL SELECT 'completed_at', OLD.completed_at
               WHERE OLD.completed_at IS NOT NEW.completed_at
             UNION ALL SELECT 'cancel_reason', OLD.cancel_reason
               WHERE OLD.cancel_reason IS NOT NEW.cancel_reason)),
          strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- ===== execution_nodes → nodes ==============================================

CREATE TRIGGER realtime_nodes_insert AFTER INSERT ON execution_nodes
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('nodes', 'execution_nodes', 'INSERT', NEW.execution_id,
          (SELECT project_id FROM executions WHERE id = NEW.execution_id), NULL, NEW.id,
          json_object('id', NEW.id, 'execution_id', NEW.execution_id, 'node_id', NEW.node_id,
                      'name', NEW.name, 'type', NEW.type, 'status', NEW.status,
                      'attempt', NEW.attempt, 'max_attempts', NEW.max_attempts,
                      'exit_code', NEW.exit_code, 'error', NEW.error,
                      'started_at', NEW.started_at, 'completed_at', NEW.completed_at,
                      'duration_ms', NEW.duration_ms, 'next_attempt_at', NEW.next_attempt_at,
                      'position', NEW.position),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_nodes_update AFTER UPDATE ON execution_nodes
WHEN OLD.status IS NOT NEW.status OR OLD.attempt IS NOT NEW.attempt
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('nodes', 'execution_nodes', 'UPDATE', NEW.execution_id,
          (SELECT project_id FROM executions WHERE id = NEW.execution_id), NULL, NEW.id,
          json_object('id', NEW.id, 'execution_id', NEW.execution_id, 'node_id', NEW.node_id,
                      'name', NEW.name, 'type', NEW.type, 'status', NEW.status,
                      'attempt', NEW.attempt, 'max_attempts', NEW.max_attempts,
                      'exit_code', NEW.exit_code, 'error', NEW.error,
                      'started_at', NEW.started_at, 'completed_at', NEW.completed_at,
                      'duration_ms', NEW.duration_ms, 'next_attempt_at', NEW.next_attempt_at,
                      'position', NEW.position),
          (SELECT json_group_object(k, v) FROM (
             SELECT 'status' AS k, OLD.status AS v WHERE OLD.status IS NOT NEW.status
             UNION ALL SELECT 'attempt', OLD.attempt WHERE OLD.attempt IS NOT NEW.attempt)),
          strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- ===== execution_logs → logs (compact: the reader joins the line) ============

CREATE TRIGGER realtime_logs_insert AFTER INSERT ON execution_logs
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('logs', 'execution_logs', 'INSERT', NEW.execution_id,
          (SELECT project_id FROM executions WHERE id = NEW.execution_id), NULL,
          CAST(NEW.id AS TEXT), NULL, NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- ===== approval_requests, approval_votes → approvals =========================

CREATE TRIGGER realtime_approval_requests_insert AFTER INSERT ON approval_requests
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('approvals', 'approval_requests', 'INSERT', NEW.execution_id,
          (SELECT project_id FROM executions WHERE id = NEW.execution_id), NEW.requested_by,
          NEW.id,
          json_object('id', NEW.id, 'execution_id', NEW.execution_id, 'node_id', NEW.node_id,
                      'environment', NEW.environment, 'status', NEW.status,
                      'required_approvals', NEW.required_approvals,
                      'requested_by', NEW.requested_by, 'title', NEW.title,
                      'commit_sha', NEW.commit_sha, 'expires_at', NEW.expires_at,
                      'decided_at', NEW.decided_at, 'decided_by', NEW.decided_by,
                      'created_at', NEW.created_at, 'updated_at', NEW.updated_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_approval_requests_update AFTER UPDATE ON approval_requests
WHEN OLD.status IS NOT NEW.status
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('approvals', 'approval_requests', 'UPDATE', NEW.execution_id,
          (SELECT project_id FROM executions WHERE id = NEW.execution_id), NEW.decided_by,
          NEW.id,
          json_object('id', NEW.id, 'execution_id', NEW.execution_id, 'node_id', NEW.node_id,
                      'environment', NEW.environment, 'status', NEW.status,
                      'required_approvals', NEW.required_approvals,
                      'requested_by', NEW.requested_by, 'title', NEW.title,
                      'commit_sha', NEW.commit_sha, 'expires_at', NEW.expires_at,
                      'decided_at', NEW.decided_at, 'decided_by', NEW.decided_by,
                      'created_at', NEW.created_at, 'updated_at', NEW.updated_at),
          json_object('status', OLD.status), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_approval_votes_insert AFTER INSERT ON approval_votes
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('approvals', 'approval_votes', 'INSERT',
          (SELECT execution_id FROM approval_requests WHERE id = NEW.approval_request_id),
          (SELECT e.project_id FROM approval_requests r JOIN executions e ON e.id = r.execution_id
           WHERE r.id = NEW.approval_request_id),
          NEW.user_id, NEW.id,
          json_object('id', NEW.id, 'approval_request_id', NEW.approval_request_id,
                      'user_id', NEW.user_id, 'vote', NEW.vote, 'comment', NEW.comment,
                      'commit_sha', NEW.commit_sha, 'created_at', NEW.created_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- ===== deployments, deployment_holds → deployments ===========================

CREATE TRIGGER realtime_deployments_insert AFTER INSERT ON deployments
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('deployments', 'deployments', 'INSERT', NEW.execution_id, NEW.project_id,
          NEW.deployed_by, NEW.id,
          json_object('id', NEW.id, 'execution_id', NEW.execution_id, 'node_id', NEW.node_id,
                      'project_id', NEW.project_id, 'environment', NEW.environment,
                      'version', NEW.version, 'commit_sha', NEW.commit_sha,
                      'image_tag', NEW.image_tag, 'status', NEW.status,
                      'strategy', NEW.strategy, 'phase', NEW.phase, 'slot', NEW.slot,
                      'canary_weight', NEW.canary_weight, 'deployed_by', NEW.deployed_by,
                      'deployed_at', NEW.deployed_at, 'started_at', NEW.started_at,
                      'completed_at', NEW.completed_at, 'rollback_of', NEW.rollback_of,
                      'reason', NEW.reason, 'created_at', NEW.created_at,
                      'updated_at', NEW.updated_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_deployments_update AFTER UPDATE ON deployments
WHEN OLD.status IS NOT NEW.status OR OLD.phase IS NOT NEW.phase OR OLD.slot IS NOT NEW.slot
  OR OLD.canary_weight IS NOT NEW.canary_weight OR OLD.completed_at IS NOT NEW.completed_at
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('deployments', 'deployments', 'UPDATE', NEW.execution_id, NEW.project_id,
          NEW.deployed_by, NEW.id,
          json_object('id', NEW.id, 'execution_id', NEW.execution_id, 'node_id', NEW.node_id,
                      'project_id', NEW.project_id, 'environment', NEW.environment,
                      'version', NEW.version, 'commit_sha', NEW.commit_sha,
                      'image_tag', NEW.image_tag, 'status', NEW.status,
                      'strategy', NEW.strategy, 'phase', NEW.phase, 'slot', NEW.slot,
                      'canary_weight', NEW.canary_weight, 'deployed_by', NEW.deployed_by,
                      'deployed_at', NEW.deployed_at, 'started_at', NEW.started_at,
                      'completed_at', NEW.completed_at, 'rollback_of', NEW.rollback_of,
                      'reason', NEW.reason, 'created_at', NEW.created_at,
                      'updated_at', NEW.updated_at),
          (SELECT json_group_object(k, v) FROM (
             SELECT 'status' AS k, OLD.status AS v WHERE OLD.status IS NOT NEW.status
             UNION ALL SELECT 'phase', OLD.phase WHERE OLD.phase IS NOT NEW.phase
             UNION ALL SELECT 'slot', OLD.slot WHERE OLD.slot IS NOT NEW.slot
             UNION ALL SELECT 'canary_weight', OLD.canary_weight
               WHERE OLD.canary_weight IS NOT NEW.canary_weight
             UNION ALL SELECT 'completed_at', OLD.completed_at
               WHERE OLD.completed_at IS NOT NEW.completed_at)),
          strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_deployment_holds_insert AFTER INSERT ON deployment_holds
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('deployments', 'deployment_holds', 'INSERT', NULL, NEW.project_id, NEW.created_by,
          NEW.id,
          json_object('id', NEW.id, 'project_id', NEW.project_id,
                      'environment', NEW.environment, 'deployment_id', NEW.deployment_id,
                      'version_tag', NEW.version_tag, 'reason', NEW.reason,
                      'created_by', NEW.created_by, 'created_at', NEW.created_at,
                      'released_by', NEW.released_by, 'released_at', NEW.released_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_deployment_holds_update AFTER UPDATE ON deployment_holds
WHEN OLD.released_at IS NOT NEW.released_at
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('deployments', 'deployment_holds', 'UPDATE', NULL, NEW.project_id, NEW.released_by,
          NEW.id,
          json_object('id', NEW.id, 'project_id', NEW.project_id,
                      'environment', NEW.environment, 'deployment_id', NEW.deployment_id,
                      'version_tag', NEW.version_tag, 'reason', NEW.reason,
                      'created_by', NEW.created_by, 'created_at', NEW.created_at,
                      'released_by', NEW.released_by, 'released_at', NEW.released_at),
          json_object('released_at', OLD.released_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- ===== environment_locks, project_environments, freeze_windows,
--       emergency_stops → environments (rare writes: every change is an event)

CREATE TRIGGER realtime_environment_locks_insert AFTER INSERT ON environment_locks
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'environment_locks', 'INSERT', NULL, NEW.project_id, NEW.locked_by,
          NEW.id,
          json_object('id', NEW.id, 'project_id', NEW.project_id,
                      'environment', NEW.environment, 'is_locked', NEW.is_locked,
                      'lock_reason', NEW.lock_reason, 'required_role', NEW.required_role,
                      'requires_approval', NEW.requires_approval, 'locked_by', NEW.locked_by,
                      'locked_at', NEW.locked_at, 'unlocked_by', NEW.unlocked_by,
                      'unlocked_at', NEW.unlocked_at, 'updated_at', NEW.updated_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_environment_locks_update AFTER UPDATE ON environment_locks
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'environment_locks', 'UPDATE', NULL, NEW.project_id,
          CASE WHEN NEW.is_locked = 1 THEN NEW.locked_by ELSE NEW.unlocked_by END, NEW.id,
          json_object('id', NEW.id, 'project_id', NEW.project_id,
                      'environment', NEW.environment, 'is_locked', NEW.is_locked,
                      'lock_reason', NEW.lock_reason, 'required_role', NEW.required_role,
                      'requires_approval', NEW.requires_approval, 'locked_by', NEW.locked_by,
                      'locked_at', NEW.locked_at, 'unlocked_by', NEW.unlocked_by,
                      'unlocked_at', NEW.unlocked_at, 'updated_at', NEW.updated_at),
          json_object('is_locked', OLD.is_locked, 'lock_reason', OLD.lock_reason),
          strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_environment_locks_delete AFTER DELETE ON environment_locks
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'environment_locks', 'DELETE', NULL, OLD.project_id, NULL, OLD.id,
          json_object('id', OLD.id, 'project_id', OLD.project_id,
                      'environment', OLD.environment),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_project_environments_insert AFTER INSERT ON project_environments
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'project_environments', 'INSERT', NULL, NEW.project_id, NULL, NEW.id,
          json_object('id', NEW.id, 'project_id', NEW.project_id, 'name', NEW.name,
                      'position', NEW.position, 'requires_approval', NEW.requires_approval,
                      'required_approvals', NEW.required_approvals,
                      'required_role', NEW.required_role,
                      'wait_timer_seconds', NEW.wait_timer_seconds,
                      'auto_deploy', NEW.auto_deploy, 'updated_at', NEW.updated_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_project_environments_update AFTER UPDATE ON project_environments
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'project_environments', 'UPDATE', NULL, NEW.project_id, NULL, NEW.id,
          json_object('id', NEW.id, 'project_id', NEW.project_id, 'name', NEW.name,
                      'position', NEW.position, 'requires_approval', NEW.requires_approval,
                      'required_approvals', NEW.required_approvals,
                      'required_role', NEW.required_role,
                      'wait_timer_seconds', NEW.wait_timer_seconds,
                      'auto_deploy', NEW.auto_deploy, 'updated_at', NEW.updated_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_project_environments_delete AFTER DELETE ON project_environments
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'project_environments', 'DELETE', NULL, OLD.project_id, NULL, OLD.id,
          json_object('id', OLD.id, 'project_id', OLD.project_id, 'name', OLD.name),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_freeze_windows_insert AFTER INSERT ON freeze_windows
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'freeze_windows', 'INSERT', NULL, NEW.project_id, NEW.created_by,
          NEW.id,
          json_object('id', NEW.id, 'project_id', NEW.project_id,
                      'environment', NEW.environment, 'kind', NEW.kind,
                      'start_local', NEW.start_local, 'end_local', NEW.end_local,
                      'weekdays', json(NEW.weekdays), 'start_time', NEW.start_time,
                      'end_time', NEW.end_time, 'cron', NEW.cron,
                      'duration_seconds', NEW.duration_seconds, 'timezone', NEW.timezone,
                      'reason', NEW.reason, 'created_by', NEW.created_by,
                      'created_at', NEW.created_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_freeze_windows_update AFTER UPDATE ON freeze_windows
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'freeze_windows', 'UPDATE', NULL, NEW.project_id, NEW.created_by,
          NEW.id,
          json_object('id', NEW.id, 'project_id', NEW.project_id,
                      'environment', NEW.environment, 'kind', NEW.kind,
                      'start_local', NEW.start_local, 'end_local', NEW.end_local,
                      'weekdays', json(NEW.weekdays), 'start_time', NEW.start_time,
                      'end_time', NEW.end_time, 'cron', NEW.cron,
                      'duration_seconds', NEW.duration_seconds, 'timezone', NEW.timezone,
                      'reason', NEW.reason, 'created_by', NEW.created_by,
                      'created_at', NEW.created_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_freeze_windows_delete AFTER DELETE ON freeze_windows
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'freeze_windows', 'DELETE', NULL, OLD.project_id, NULL, OLD.id,
          json_object('id', OLD.id, 'project_id', OLD.project_id,
                      'environment', OLD.environment, 'reason', OLD.reason),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_emergency_stops_insert AFTER INSERT ON emergency_stops
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'emergency_stops', 'INSERT', NULL, NULL, NEW.activated_by, NEW.id,
          json_object('id', NEW.id, 'reason', NEW.reason, 'mode', NEW.mode,
                      'activated_by', NEW.activated_by, 'activated_at', NEW.activated_at,
                      'lifted_by', NEW.lifted_by, 'lifted_at', NEW.lifted_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_emergency_stops_update AFTER UPDATE ON emergency_stops
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('environments', 'emergency_stops', 'UPDATE', NULL, NULL, NEW.lifted_by, NEW.id,
          json_object('id', NEW.id, 'reason', NEW.reason, 'mode', NEW.mode,
                      'activated_by', NEW.activated_by, 'activated_at', NEW.activated_at,
                      'lifted_by', NEW.lifted_by, 'lifted_at', NEW.lifted_at),
          json_object('lifted_at', OLD.lifted_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- ===== audit_logs → audit (user_id: the actor) ===============================

CREATE TRIGGER realtime_audit_logs_insert AFTER INSERT ON audit_logs
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('audit', 'audit_logs', 'INSERT',
          CASE WHEN NEW.resource_type = 'execution' THEN NEW.resource_id END,
          CASE WHEN NEW.resource_type = 'project' THEN NEW.resource_id END,
          NEW.user_id, NEW.id,
          json_object('id', NEW.id, 'seq', NEW.seq, 'action', NEW.action,
                      'resource_type', NEW.resource_type, 'resource_id', NEW.resource_id,
                      'user_id', NEW.user_id, 'details', json(NEW.details),
                      'ip_address', NEW.ip_address, 'created_at', NEW.created_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- ===== notification_events → notifications (user_id: the target user) =======

CREATE TRIGGER realtime_notifications_insert AFTER INSERT ON notification_events
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('notifications', 'notification_events', 'INSERT', NULL, NEW.project_id,
          NEW.target_user_id, NEW.id,
          json_object('id', NEW.id, 'type', NEW.type, 'target', NEW.target,
                      'target_user_id', NEW.target_user_id, 'project_id', NEW.project_id,
                      'payload', json(NEW.payload), 'read_at', NEW.read_at,
                      'created_at', NEW.created_at),
          NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER realtime_notifications_update AFTER UPDATE ON notification_events
BEGIN
  INSERT INTO realtime_events (topic, table_name, type, execution_id, project_id, user_id,
                               record_id, record, old, created_at)
  VALUES ('notifications', 'notification_events', 'UPDATE', NULL, NEW.project_id,
          NEW.target_user_id, NEW.id,
          json_object('id', NEW.id, 'type', NEW.type, 'target', NEW.target,
                      'target_user_id', NEW.target_user_id, 'project_id', NEW.project_id,
                      'payload', json(NEW.payload), 'read_at', NEW.read_at,
                      'created_at', NEW.created_at),
          json_object('read_at', OLD.read_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
