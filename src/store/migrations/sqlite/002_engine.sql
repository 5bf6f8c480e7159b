-- 002_engine: what the execution engine needs beyond 001 (see docs/engine.md).
--
-- execution_nodes.position: the node's index in the pipeline's topological
-- order, so node lists come back in the order the pipeline defines them
-- (all nodes of an execution are inserted in one transaction and share
-- created_at).
ALTER TABLE execution_nodes ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
CREATE INDEX execution_nodes_execution_idx ON execution_nodes (execution_id, position);
