-- The clients that deliver hospital messages over the API (a message broker, a hospital
-- system), one per connection, made and revoked by the receiving organisation's admin. Only
-- the digest of a client's token, keyed with the server secret, is kept: the token is shown
-- once. A message that came through a client names it.
CREATE TABLE hospital_clients (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    created_by_user_id INTEGER NOT NULL REFERENCES users(id),
    created_ms INTEGER NOT NULL,
    revoked_by_user_id INTEGER REFERENCES users(id),
    revoked_ms INTEGER
);
CREATE INDEX hospital_clients_org ON hospital_clients(org_id, created_ms);
ALTER TABLE hospital_messages ADD COLUMN client_id INTEGER REFERENCES hospital_clients(id);
