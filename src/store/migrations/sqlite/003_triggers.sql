-- 003_triggers: what webhook triggers and git polling need beyond 001
-- (see docs/webhooks.md).
--
-- webhook_deliveries.trigger_key: set when a delivery started an execution;
-- the key of what it started ("tag:<project>:<tag>", "ref:<project>:<ref>:<sha>",
-- "replay:<delivery id>", ...). A push, a create and a release event for the
-- same tag share one key, so a tag starts one execution, not three.
ALTER TABLE webhook_deliveries ADD COLUMN trigger_key TEXT;
CREATE INDEX webhook_deliveries_trigger_key_idx ON webhook_deliveries (trigger_key)
  WHERE trigger_key IS NOT NULL;

-- git_poll_state: one row per polled project once its repository was scanned.
-- No row (or another git_url) means "first sight": the refs found are
-- recorded without triggering anything. last_polled_at is written at the end
-- of every completed poll; executions a poll creates are newer than it, which
-- is how a poll that crashed after creating an execution finds it again
-- instead of creating it twice.
CREATE TABLE git_poll_state (
  project_id       TEXT PRIMARY KEY NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  git_url          TEXT NOT NULL,
  first_scanned_at TEXT NOT NULL,
  last_polled_at   TEXT NOT NULL,
  last_error       TEXT,
  updated_at       TEXT NOT NULL
);
