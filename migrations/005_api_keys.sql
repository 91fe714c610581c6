-- API keys for the HTTP API and MCP over HTTP. Only a SHA-256 of the secret part is kept: keys are 256-bit
-- random strings, so a fast hash loses nothing against guessing and keeps every request cheap.
CREATE TABLE td_api_keys (
  key_id      text PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('viewer', 'runner', 'admin')),
  secret_hash text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at  timestamptz
);
