-- Legal bases for sharing without consent (Psykiatriloven § 13 c, Sundhedsloven § 43 stk. 2,
-- the Service Act), each with its reason, organisations, categories and an end date. Ended
-- early by recording ended_ms; never deleted. The PostgreSQL twin has the same version.

CREATE TABLE legal_bases (
    id INTEGER PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    course_id INTEGER REFERENCES courses(id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    categories TEXT NOT NULL,
    valid_from_ms INTEGER NOT NULL,
    valid_to_ms INTEGER NOT NULL,
    recorded_by_user_id INTEGER NOT NULL REFERENCES users(id),
    recorded_ms INTEGER NOT NULL,
    ended_ms INTEGER,
    ended_by_user_id INTEGER REFERENCES users(id)
);
CREATE INDEX legal_bases_citizen ON legal_bases(citizen_id);

CREATE TABLE legal_basis_orgs (
    legal_basis_id INTEGER NOT NULL REFERENCES legal_bases(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (legal_basis_id, org_id)
);
CREATE INDEX legal_basis_orgs_org ON legal_basis_orgs(org_id);
