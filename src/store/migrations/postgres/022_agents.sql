-- 022_agents: remote agents (issue 14, docs/agents.md); the SQLite version's
-- tables in PostgreSQL types. See sqlite/022_agents.sql for the contract.
CREATE TABLE agent_registration_tokens (
  id          text PRIMARY KEY NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  created_by  text,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);

CREATE TABLE agents (
  id            text PRIMARY KEY NOT NULL,
  name          text NOT NULL,
  labels        json NOT NULL DEFAULT '[]',
  concurrency   bigint NOT NULL DEFAULT 1 CHECK (concurrency >= 1),
  token_hash    text NOT NULL UNIQUE,
  registered_by text REFERENCES agent_registration_tokens (id),
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  status        text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'lost', 'disabled')),
  version       text NOT NULL DEFAULT ''
);

CREATE TABLE agent_jobs (
  id               text PRIMARY KEY NOT NULL,
  seq              bigint NOT NULL,
  execution_id     text NOT NULL DEFAULT '',
  node_id          text NOT NULL DEFAULT '',
  attempt          bigint NOT NULL DEFAULT 0,
  spec             json NOT NULL,
  runs_on          json NOT NULL DEFAULT '[]',
  status           text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'leased', 'succeeded', 'failed', 'lost', 'cancelled')),
  agent_id         text REFERENCES agents (id),
  lease_generation bigint NOT NULL DEFAULT 0,
  lease_expires_at timestamptz,
  cancel_requested boolean NOT NULL DEFAULT false,
  exit_code        bigint,
  result           json,
  created_at       timestamptz NOT NULL,
  leased_at        timestamptz,
  finished_at      timestamptz
);
CREATE INDEX agent_jobs_queue_idx ON agent_jobs (status, seq);
CREATE INDEX agent_jobs_agent_idx ON agent_jobs (agent_id, status);

-- Row level security on, like every table (001_initial; seed 000 §1.3 checks it).
SELECT opz_enable_row_level_security();
