-- Collaborations of organisations and their own course phases. The SQLite twin has the same
-- version. A course keeps a copy of the phases it was opened under (NULL: the default six of
-- Samarbejdsmodellen), so a later change never strands a running course.

CREATE TABLE collaborations (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    phases TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE collaboration_orgs (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (collaboration_id, org_id)
);
CREATE INDEX collaboration_orgs_org ON collaboration_orgs(org_id);

ALTER TABLE courses ADD COLUMN collaboration_id BIGINT REFERENCES collaborations(id);
ALTER TABLE courses ADD COLUMN phases TEXT;
