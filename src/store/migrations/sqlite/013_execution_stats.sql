-- 013_execution_stats: the running total behind the dashboard's "average
-- deployment time" (the seeds' metric: AVG(completed_at - started_at) over
-- every successful execution, 000 §5.3). Scanning every successful execution
-- took ~135 ms with 100,000 stored; the triggers below keep the sum and the
-- count in one row, in the same transaction as each change, so the metric is
-- one row read.
--
-- A row counts when status = 'success' and both times are set; any change of
-- those three columns (or a delete) takes the old row's share out and puts
-- the new one in, so the total stays exact whatever order the columns are
-- written in.
CREATE TABLE execution_stats (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  success_count    INTEGER NOT NULL DEFAULT 0,
  success_seconds  REAL NOT NULL DEFAULT 0
);

INSERT INTO execution_stats (id, success_count, success_seconds)
SELECT 1, COUNT(*),
       COALESCE(SUM((julianday(completed_at) - julianday(started_at)) * 86400.0), 0)
  FROM executions
 WHERE status = 'success' AND started_at IS NOT NULL AND completed_at IS NOT NULL;

CREATE TRIGGER execution_stats_insert AFTER INSERT ON executions
WHEN NEW.status = 'success' AND NEW.started_at IS NOT NULL AND NEW.completed_at IS NOT NULL
BEGIN
  UPDATE execution_stats
     SET success_count = success_count + 1,
         success_seconds = success_seconds +
             (julianday(NEW.completed_at) - julianday(NEW.started_at)) * 86400.0
   WHERE id = 1;
END;

CREATE TRIGGER execution_stats_update_old AFTER UPDATE OF status, started_at, completed_at ON executions
WHEN OLD.status = 'success' AND OLD.started_at IS NOT NULL AND OLD.completed_at IS NOT NULL
BEGIN
  UPDATE execution_stats
     SET success_count = success_count - 1,
         success_seconds = success_seconds -
             (julianday(OLD.completed_at) - julianday(OLD.started_at)) * 86400.0
   WHERE id = 1;
END;

CREATE TRIGGER execution_stats_update_new AFTER UPDATE OF status, started_at, completed_at ON executions
WHEN NEW.status = 'success' AND NEW.started_at IS NOT NULL AND NEW.completed_at IS NOT NULL
BEGIN
  UPDATE execution_stats
     SET success_count = success_count + 1,
         success_seconds = success_seconds +
             (julianday(NEW.completed_at) - julianday(NEW.started_at)) * 86400.0
   WHERE id = 1;
END;

CREATE TRIGGER execution_stats_delete AFTER DELETE ON executions
WHEN OLD.status = 'success' AND OLD.started_at IS NOT NULL AND OLD.completed_at IS NOT NULL
BEGIN
  UPDATE execution_stats
     SET success_count = success_count - 1,
         success_seconds = success_seconds -
             (julianday(OLD.completed_at) - julianday(OLD.started_at)) * 86400.0
   WHERE id = 1;
END;
