-- Emergency access ("break the glass"): a professional outside the care team states a reason
-- and sees the course for a limited time; the organisation's privacy contact reviews each one.
-- The SQLite twin has the same version.

CREATE TABLE emergency_accesses (
    id BIGSERIAL PRIMARY KEY,
    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
    course_id BIGINT NOT NULL REFERENCES courses(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    reason TEXT NOT NULL,
    started_ms BIGINT NOT NULL,
    ends_ms BIGINT NOT NULL,
    reviewed_ms BIGINT,
    reviewed_by_user_id BIGINT REFERENCES users(id),
    review_comment TEXT
);
CREATE INDEX emergency_citizen_user ON emergency_accesses(citizen_id, user_id, ends_ms);
CREATE INDEX emergency_org ON emergency_accesses(org_id, started_ms);
