-- Consents to share information, never overwritten: a withdrawal is recorded on the row it
-- ends. The SQLite twin has the same version. Validity runs from valid_from_ms (inclusive) to
-- valid_to_ms (exclusive; NULL = until withdrawn).

CREATE TABLE consents (
    id BIGSERIAL PRIMARY KEY,
    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
    course_id BIGINT REFERENCES courses(id),
    categories TEXT NOT NULL,
    purpose TEXT NOT NULL,
    form TEXT NOT NULL,
    given_by TEXT NOT NULL,
    givers TEXT NOT NULL DEFAULT '',
    guardian_scope TEXT NOT NULL DEFAULT '',
    witness TEXT NOT NULL DEFAULT '',
    valid_from_ms BIGINT NOT NULL,
    valid_to_ms BIGINT,
    recorded_by_user_id BIGINT NOT NULL REFERENCES users(id),
    recorded_ms BIGINT NOT NULL,
    document_name TEXT,
    document_type TEXT,
    document BYTEA,
    withdrawn_ms BIGINT,
    withdrawn_by_user_id BIGINT REFERENCES users(id)
);
CREATE INDEX consents_citizen ON consents(citizen_id);

-- Who may see: one row per organisation, so access checks can join on it.
CREATE TABLE consent_orgs (
    consent_id BIGINT NOT NULL REFERENCES consents(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (consent_id, org_id)
);
CREATE INDEX consent_orgs_org ON consent_orgs(org_id);
