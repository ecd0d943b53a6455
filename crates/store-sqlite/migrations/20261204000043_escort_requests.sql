-- Escort (ledsagelse) to appointments: asked of a municipality's escort service unit by a team
-- member or the citizen, answered once (accepted with who, where and when to meet, or
-- declined with a reason), and afterwards the time the escort took. At most one request per
-- appointment is open or accepted; a declined one may be asked again.
CREATE TABLE escort_requests (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    requested_by_user_id INTEGER NOT NULL REFERENCES users(id),
    note TEXT NOT NULL,
    requested_ms INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined')),
    answered_ms INTEGER,
    answered_by_user_id INTEGER REFERENCES users(id),
    -- The appointment's version the answer was given for: a later move shows as such.
    answered_version INTEGER,
    escort_name TEXT,
    meeting_point TEXT,
    meeting_ms INTEGER,
    decline_reason TEXT,
    minutes_spent INTEGER,
    spent_recorded_ms INTEGER
);
CREATE UNIQUE INDEX escort_requests_live ON escort_requests(appointment_id)
    WHERE status IN ('open', 'accepted');
CREATE INDEX escort_requests_appointment ON escort_requests(appointment_id, id);
-- The escort service's list holds only what waits for it: requests to answer, and accepted
-- escorts whose time is not yet recorded.
CREATE INDEX escort_requests_open ON escort_requests(unit_id, requested_ms)
    WHERE status = 'open';
CREATE INDEX escort_requests_pending ON escort_requests(unit_id, id)
    WHERE status = 'accepted' AND minutes_spent IS NULL;
