-- Courses of care, their care teams and timelines. The PostgreSQL twin has the same version.

CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    phase TEXT NOT NULL,
    target_groups TEXT NOT NULL DEFAULT '',
    legal_frames TEXT NOT NULL DEFAULT '',
    opened_ms INTEGER NOT NULL,
    closed_ms INTEGER,
    close_reason TEXT,
    next_step TEXT
);
-- A citizen has at most one open course; closed ones are history.
CREATE UNIQUE INDEX courses_one_open ON courses(citizen_id) WHERE closed_ms IS NULL;
CREATE INDEX courses_citizen ON courses(citizen_id);

CREATE TABLE care_team_members (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    course_role TEXT NOT NULL,
    fixed INTEGER NOT NULL,
    is_coordinator INTEGER NOT NULL DEFAULT 0,
    contact_phone TEXT NOT NULL DEFAULT '',
    contact_mail TEXT NOT NULL DEFAULT '',
    contact_hours TEXT NOT NULL DEFAULT '',
    added_ms INTEGER NOT NULL,
    removed_ms INTEGER
);
-- Exactly one coordinator at a time is kept by the code; at most one by the database.
CREATE UNIQUE INDEX team_one_coordinator ON care_team_members(course_id) WHERE is_coordinator = 1 AND removed_ms IS NULL;
CREATE UNIQUE INDEX team_member_once ON care_team_members(course_id, user_id) WHERE removed_ms IS NULL;
CREATE INDEX team_user ON care_team_members(user_id, course_id) WHERE removed_ms IS NULL;

CREATE TABLE course_events (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses(id),
    at_ms INTEGER NOT NULL,
    actor_user_id INTEGER REFERENCES users(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX course_events_course ON course_events(course_id, at_ms);
