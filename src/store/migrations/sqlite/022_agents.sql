-- 022_agents: remote agents (issue 14, docs/agents.md). Agents register with
-- an admin-created registration token and then authenticate with their own
-- token; both are stored only as their SHA-256 (auth::hash_token). Steps of
-- nodes with `runs_on` become agent_jobs rows, claimed by one agent at a time
-- under a lease: lease_generation rises with every claim, and every report
-- from an agent (heartbeat, logs, complete) names the generation it holds,
-- so a late report from a lost agent is refused (fencing).
CREATE TABLE agent_registration_tokens (
  id          TEXT PRIMARY KEY NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_by  TEXT,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  revoked_at  TEXT
);

CREATE TABLE agents (
  id            TEXT PRIMARY KEY NOT NULL,
  name          TEXT NOT NULL,
  labels        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels)),
  concurrency   INTEGER NOT NULL DEFAULT 1 CHECK (concurrency >= 1),
  token_hash    TEXT NOT NULL UNIQUE,
  registered_by TEXT REFERENCES agent_registration_tokens (id),
  created_at    TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'lost', 'disabled')),
  version       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE agent_jobs (
  id               TEXT PRIMARY KEY NOT NULL,
  seq              INTEGER NOT NULL,
  execution_id     TEXT NOT NULL DEFAULT '',
  node_id          TEXT NOT NULL DEFAULT '',
  attempt          INTEGER NOT NULL DEFAULT 0,
  spec             TEXT NOT NULL CHECK (json_valid(spec)),
  runs_on          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(runs_on)),
  status           TEXT NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'leased', 'succeeded', 'failed', 'lost', 'cancelled')),
  agent_id         TEXT REFERENCES agents (id),
  lease_generation INTEGER NOT NULL DEFAULT 0,
  lease_expires_at TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  exit_code        INTEGER,
  result           TEXT CHECK (result IS NULL OR json_valid(result)),
  created_at       TEXT NOT NULL,
  leased_at        TEXT,
  finished_at      TEXT
);
-- The queue: the oldest queued job first.
CREATE INDEX agent_jobs_queue_idx ON agent_jobs (status, seq);
CREATE INDEX agent_jobs_agent_idx ON agent_jobs (agent_id, status);
