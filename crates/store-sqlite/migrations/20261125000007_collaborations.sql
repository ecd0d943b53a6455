-- Collaborations of organisations and their own course phases. The PostgreSQL twin has the
-- same version. A course keeps a copy of the phases it was opened under (NULL: the default
-- six of Samarbejdsmodellen), so a later change never strands a running course.

CREATE TABLE collaborations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    phases TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);

CREATE TABLE collaboration_orgs (
    collaboration_id INTEGER NOT NULL REFERENCES collaborations(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (collaboration_id, org_id)
);
CREATE INDEX collaboration_orgs_org ON collaboration_orgs(org_id);

ALTER TABLE courses ADD COLUMN collaboration_id INTEGER REFERENCES collaborations(id);
ALTER TABLE courses ADD COLUMN phases TEXT;
