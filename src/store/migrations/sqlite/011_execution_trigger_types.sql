-- 011_execution_trigger_types: executions.trigger_type gains 'rollback' and
-- 'promotion' (issue 9: a rollback or a promotion redeploys an earlier
-- deployment's artifact as an execution of its own).
--
-- Widening an IN list changes no stored row; edited in place as in 008 (the
-- migrator bumps schema_version after a script with writable_schema).
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql,
                     '''poll'', ''rerun'', ''replay'', ''cli''))',
                     '''poll'', ''rerun'', ''replay'', ''cli'', ''rollback'', ''promotion''))')
 WHERE type = 'table' AND name = 'executions';
PRAGMA writable_schema = OFF;
