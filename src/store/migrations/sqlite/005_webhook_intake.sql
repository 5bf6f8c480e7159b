-- 005_webhook_intake: hardening of webhook intake (see docs/webhooks.md).
--
-- github_integrations.repository_id: GitHub's numeric repository id, as
-- decimal text (ids are 64-bit; above 2^63 they do not fit SQLite's INTEGER).
-- When set, a delivery's repository.id must equal it; otherwise its
-- repository.full_name must name the integration's repository.
ALTER TABLE github_integrations ADD COLUMN repository_id TEXT;

-- webhook_deliveries.outcome gains 'rejected': a signed delivery whose body
-- is not the event it claims (a field missing or of the wrong type). Kept
-- apart from 'failed', which now means a server-side failure only. SQLite
-- cannot change a CHECK constraint, so the table is rebuilt (its only
-- foreign key into it is its own replay_of).
ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_004;
CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY NOT NULL,
  delivery_guid   TEXT NOT NULL UNIQUE,
  project_id      TEXT REFERENCES projects (id) ON DELETE SET NULL,
  event           TEXT NOT NULL,
  action          TEXT,
  signature_valid INTEGER NOT NULL DEFAULT 0 CHECK (signature_valid IN (0, 1)),
  headers         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),
  body            BLOB,
  received_at     TEXT NOT NULL,
  processed_at    TEXT,
  outcome         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (outcome IN ('pending', 'processed', 'ignored', 'rejected', 'failed')),
  outcome_reason  TEXT,
  execution_id    TEXT REFERENCES executions (id) ON DELETE SET NULL,
  replay_of       TEXT REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
  trigger_key     TEXT
);
INSERT INTO webhook_deliveries (id, delivery_guid, project_id, event, action, signature_valid,
                                headers, body, received_at, processed_at, outcome, outcome_reason,
                                execution_id, replay_of, trigger_key)
  SELECT id, delivery_guid, project_id, event, action, signature_valid, headers, body, received_at,
         processed_at, outcome, outcome_reason, execution_id, replay_of, trigger_key
  FROM webhook_deliveries_004;
DROP TABLE webhook_deliveries_004;
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);
CREATE INDEX webhook_deliveries_project_idx ON webhook_deliveries (project_id, received_at);
CREATE INDEX webhook_deliveries_outcome_idx ON webhook_deliveries (outcome, received_at);
CREATE INDEX webhook_deliveries_trigger_key_idx ON webhook_deliveries (trigger_key)
  WHERE trigger_key IS NOT NULL;
