-- Notices: what Bro tells a person in Bro itself (a consent recorded for their citizen, a new
-- course opened elsewhere). Written in the same transaction as what they tell of.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    citizen_id INTEGER REFERENCES citizens(id),
    course_id INTEGER REFERENCES courses(id),
    -- The organisation that acted, named in the notice.
    org_id INTEGER REFERENCES organisations(id),
    detail TEXT NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL,
    read_ms INTEGER
);
CREATE INDEX notices_user ON notices(user_id, id);
