-- The citizen's network: relatives and others the citizen names, with what each may see.
-- Recorded now; consent enforcement reads it later. The twin migration has the same version.

CREATE TABLE network_members (
    id BIGSERIAL PRIMARY KEY,
    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
    name TEXT NOT NULL,
    relation TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    may_see TEXT NOT NULL DEFAULT '',
    added_ms BIGINT NOT NULL,
    removed_ms BIGINT
);
CREATE INDEX network_members_citizen ON network_members(citizen_id) WHERE removed_ms IS NULL;
