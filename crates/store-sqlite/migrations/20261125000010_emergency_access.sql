-- Emergency access ("break the glass"): a professional outside the care team states a reason
-- and sees the course for a limited time; the organisation's privacy contact reviews each one.
-- The PostgreSQL twin has the same version.

CREATE TABLE emergency_accesses (
    id INTEGER PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    course_id INTEGER NOT NULL REFERENCES courses(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    reason TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    ends_ms INTEGER NOT NULL,
    reviewed_ms INTEGER,
    reviewed_by_user_id INTEGER REFERENCES users(id),
    review_comment TEXT
);
CREATE INDEX emergency_citizen_user ON emergency_accesses(citizen_id, user_id, ends_ms);
CREATE INDEX emergency_org ON emergency_accesses(org_id, started_ms);
