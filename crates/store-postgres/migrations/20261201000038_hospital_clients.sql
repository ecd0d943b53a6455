-- The clients that deliver hospital messages over the API (a message broker, a hospital
-- system), one per connection, made and revoked by the receiving organisation's admin. Only
-- the digest of a client's token, keyed with the server secret, is kept: the token is shown
-- once. A message that came through a client names it.
CREATE TABLE hospital_clients (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    created_by_user_id BIGINT NOT NULL REFERENCES users(id),
    created_ms BIGINT NOT NULL,
    revoked_by_user_id BIGINT REFERENCES users(id),
    revoked_ms BIGINT
);
CREATE INDEX hospital_clients_org ON hospital_clients(org_id, created_ms);
ALTER TABLE hospital_messages ADD COLUMN client_id BIGINT REFERENCES hospital_clients(id);
