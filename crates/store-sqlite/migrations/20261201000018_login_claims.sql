-- A login attempt is counted before its password or code is checked (its claim) and taken
-- back when it succeeds. The rows of login_throttle_keys are locked while an attempt is
-- counted, so parallel attempts under one key get at most the limit.
ALTER TABLE login_failures ADD COLUMN claim TEXT;
CREATE INDEX login_failures_claim ON login_failures(claim);
CREATE TABLE login_throttle_keys (key TEXT PRIMARY KEY);
