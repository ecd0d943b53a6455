-- Notices: what Bro tells a person in Bro itself (a consent recorded for their citizen, a new
-- course opened elsewhere). Written in the same transaction as what they tell of.
CREATE TABLE notices (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    citizen_id BIGINT REFERENCES citizens(id),
    course_id BIGINT REFERENCES courses(id),
    -- The organisation that acted, named in the notice.
    org_id BIGINT REFERENCES organisations(id),
    detail TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL,
    read_ms BIGINT
);
CREATE INDEX notices_user ON notices(user_id, id);
