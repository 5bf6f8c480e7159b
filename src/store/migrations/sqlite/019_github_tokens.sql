-- 019_github_tokens: GitHub integration tokens move into the seeds'
-- github_tokens table (seed 000 §7.4, 004), encrypted with the master key ring
-- like secret_references (XChaCha20-Poly1305, associated data = the row's
-- address: its id, the project and the name GITHUB_TOKEN; see
-- docs/secrets.md). One token per project's integration (project_id). The
-- seed's per-user tokens (user_id) keep their columns; user_id becomes
-- optional because an integration's token belongs to a project, not a person.
-- encrypted_token is the base64 ciphertext, nonce its nonce, key_id the ring
-- key that sealed it, last4 the token's last four characters (shown as a hint;
-- a GitHub token is 40+ characters, four reveal nothing useful).
--
-- Tokens sealed before this migration stay in
-- github_integrations.token_encrypted (sealed with secret.key) until the
-- server or `opzenix secrets rotate-key` runs with a master key ring: it moves
-- each one here (re-encrypted) and clears the old column. Until then they are
-- read from the old place, so nothing stops working on upgrade.
CREATE TABLE github_tokens_019 (
  id              TEXT PRIMARY KEY NOT NULL,
  user_id         TEXT REFERENCES profiles (id) ON DELETE CASCADE,
  project_id      TEXT REFERENCES projects (id) ON DELETE CASCADE,
  encrypted_token TEXT NOT NULL,
  nonce           TEXT,
  key_id          TEXT,
  last4           TEXT,
  scopes          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scopes)),
  created_at      TEXT NOT NULL,
  updated_at      TEXT,
  CHECK (user_id IS NOT NULL OR project_id IS NOT NULL)
);
INSERT INTO github_tokens_019 (id, user_id, encrypted_token, scopes, created_at, updated_at)
  SELECT id, user_id, encrypted_token, scopes, created_at, created_at FROM github_tokens;
DROP TABLE github_tokens;
ALTER TABLE github_tokens_019 RENAME TO github_tokens;
CREATE INDEX github_tokens_user_idx ON github_tokens (user_id);
CREATE UNIQUE INDEX github_tokens_project_idx ON github_tokens (project_id)
  WHERE project_id IS NOT NULL;
