-- 023_execution_ownership: several servers on one database (issue 14,
-- docs/postgres.md "Several servers"). Each server process renews its lease
-- (server_leases) every third of server-lease-timeout. An execution is run by
-- the server named in execution_owners; another server takes it over only
-- when that server's lease has expired, and the takeover raises `generation`
-- (fencing: the old owner, seeing another generation, drops its copy and
-- writes nothing more). Commands (cancel, force-fail, approval decisions)
-- for an execution another live server owns are queued in
-- execution_commands for that server, which runs them and records the
-- answer. cluster_leader holds the one server that runs cluster-wide
-- singletons (row 'scheduler').
CREATE TABLE server_leases (
  server_id   TEXT PRIMARY KEY NOT NULL,
  hostname    TEXT NOT NULL DEFAULT '',
  pid         INTEGER NOT NULL DEFAULT 0,
  started_at  TEXT NOT NULL,
  renewed_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);

CREATE TABLE execution_owners (
  execution_id TEXT PRIMARY KEY NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  server_id    TEXT NOT NULL,
  generation   INTEGER NOT NULL DEFAULT 1,
  claimed_at   TEXT NOT NULL
);
CREATE INDEX execution_owners_server_idx ON execution_owners (server_id);

CREATE TABLE execution_commands (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id  TEXT NOT NULL,
  server_id     TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('cancel', 'force_fail', 'approval')),
  payload       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  actor         TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  done_at       TEXT,
  ok            INTEGER,
  error_code    TEXT,
  error_message TEXT
);
CREATE INDEX execution_commands_pending_idx ON execution_commands (server_id, done_at);

CREATE TABLE cluster_leader (
  name       TEXT PRIMARY KEY NOT NULL,
  server_id  TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
