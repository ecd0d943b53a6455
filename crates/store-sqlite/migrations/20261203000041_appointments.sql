-- Appointments across sectors: booked by a unit on the citizen's course. The row holds the
-- current state; appointment_versions every version (the booking, each move, the
-- cancellation), so history is never lost. What happened is recorded once, afterwards, by the
-- booking unit.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses(id),
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    starts_ms INTEGER NOT NULL,
    ends_ms INTEGER NOT NULL,
    place TEXT NOT NULL,
    video_url TEXT,
    meets TEXT NOT NULL,
    remind INTEGER NOT NULL,
    version INTEGER NOT NULL,
    booked_by_user_id INTEGER NOT NULL REFERENCES users(id),
    created_ms INTEGER NOT NULL,
    cancelled_ms INTEGER,
    cancel_reason TEXT,
    attendance TEXT,
    attendance_note TEXT,
    attendance_ms INTEGER,
    attendance_by_user_id INTEGER REFERENCES users(id),
    CHECK (ends_ms > starts_ms)
);
CREATE INDEX appointments_course ON appointments(course_id, starts_ms);
CREATE INDEX appointments_citizen ON appointments(citizen_id, starts_ms);
-- The unit's list of appointments to record: only those still waiting are in the index.
CREATE INDEX appointments_unrecorded ON appointments(unit_id, starts_ms)
    WHERE attendance IS NULL AND cancelled_ms IS NULL;
CREATE TABLE appointment_versions (
    appointment_id INTEGER NOT NULL REFERENCES appointments(id),
    version INTEGER NOT NULL,
    starts_ms INTEGER NOT NULL,
    ends_ms INTEGER NOT NULL,
    place TEXT NOT NULL,
    video_url TEXT,
    meets TEXT NOT NULL,
    cancelled INTEGER NOT NULL,
    reason TEXT NOT NULL,
    changed_ms INTEGER NOT NULL,
    changed_by_user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (appointment_id, version)
);
-- The coordinator's follow-ups after no-shows: each answers the no-shows recorded before it.
CREATE TABLE no_show_follow_ups (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses(id),
    action TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_ms INTEGER NOT NULL,
    by_user_id INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX no_show_follow_ups_course ON no_show_follow_ups(course_id, recorded_ms);
