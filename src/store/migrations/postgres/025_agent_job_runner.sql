-- 025_agent_job_runner: agent jobs survive a server restart (issue 14,
-- docs/agents.md "Server restarts"). runner_id names the server process
-- (agent::RemoteRunner instance) that waits for the job's result; after a
-- restart, or when another server takes the execution over, the engine
-- starts the node's step again and that server's runner adopts the still
-- leased job of the same execution, node and command (setting runner_id to
-- its own) instead of queueing a second one. The index serves that lookup.
ALTER TABLE agent_jobs ADD COLUMN runner_id text NOT NULL DEFAULT '';
CREATE INDEX agent_jobs_node_idx ON agent_jobs (execution_id, node_id);
