-- 009_delivery_bodies: a webhook delivery's raw body moves to its own table.
--
-- SQLite rewrites a whole row, overflow pages included, on every UPDATE: with
-- the body in webhook_deliveries, recording a delivery's outcome wrote its
-- (often tens of KB) body to the WAL a second time. Now the hot row is small
-- and the body is written once. body_bytes is kept on the row, so lists never
-- touch bodies.
CREATE TABLE webhook_delivery_bodies (
  delivery_id TEXT PRIMARY KEY NOT NULL
              REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  body        BLOB NOT NULL
);
INSERT INTO webhook_delivery_bodies (delivery_id, body)
  SELECT id, body FROM webhook_deliveries WHERE body IS NOT NULL;
ALTER TABLE webhook_deliveries ADD COLUMN body_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE webhook_deliveries SET body_bytes = length(CAST(body AS BLOB)) WHERE body IS NOT NULL;
ALTER TABLE webhook_deliveries DROP COLUMN body;
