-- 015_connections: connections (issue 12) keep their credential — a token,
-- a registry password — sealed with secrets::SecretBox, never in clear and
-- never answered by the API. The seeds' other columns (type, name, status,
-- config, validated, last_validated_at) and connection_health_events are as
-- 001 made them.
ALTER TABLE connections ADD COLUMN secret_sealed TEXT;
