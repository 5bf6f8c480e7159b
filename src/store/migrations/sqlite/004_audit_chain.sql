-- 004_audit_chain: the tamper-evident audit trail (docs/audit.md, docs/schema.md).
--
-- seq is the chain order: strictly increasing from 1, unique. Each row stores
-- prev_hash (the hash of the row at seq - 1; 64 zeros for seq 1) and
-- hash = hex(SHA-256(prev_hash || canonical row)), computed by
-- store::AuditStore when it appends (SQLite cannot hash).
--
-- Rows written before this migration get their seq here, in the order they
-- were listed by (created_at, id). Their hashes stay NULL until the first
-- audit write after the upgrade chains them, in seq order, in the same
-- transaction as that write (AuditStore::append_in).
ALTER TABLE audit_logs ADD COLUMN seq INTEGER;
ALTER TABLE audit_logs ADD COLUMN user_agent TEXT;
ALTER TABLE audit_logs ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_logs ADD COLUMN hash TEXT;

UPDATE audit_logs SET seq = ordered.n
  FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM audit_logs) AS ordered
  WHERE ordered.id = audit_logs.id;

-- The tail (ORDER BY seq DESC LIMIT 1) is one index seek; UNIQUE forbids forks.
CREATE UNIQUE INDEX audit_logs_seq_idx ON audit_logs (seq);
