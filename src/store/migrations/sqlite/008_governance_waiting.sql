-- 008_governance_waiting: executions.governance_status gains 'waiting' (an
-- execution held by a freeze window, a wait timer, the emergency stop or the
-- deploy queue; docs/governance.md). The seeds' values stay valid.
--
-- SQLite cannot ALTER a CHECK constraint, and rebuilding `executions` would
-- cascade into every table that references it. Widening an IN list changes
-- no stored row, which is the case SQLite documents for editing the schema
-- text in place (https://sqlite.org/lang_altertable.html, "making other
-- kinds of table schema changes"): the migrator bumps schema_version after a
-- script that does this, so every connection reloads the schema.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql,
                     '''approved'', ''rejected''))',
                     '''approved'', ''rejected'', ''waiting''))')
 WHERE type = 'table' AND name = 'executions';
PRAGMA writable_schema = OFF;
