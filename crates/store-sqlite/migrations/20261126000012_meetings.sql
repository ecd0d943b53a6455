-- Fælles Team meetings (seed 003, Bilag 1 and 3): teams of a collaboration, their meeting
-- series and single meetings, the citizen cases discussed with a shared template, the frozen
-- minutes, their delivery to the citizen, evaluations and calendar feeds.
-- The PostgreSQL twin has the same version.

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    collaboration_id INTEGER NOT NULL REFERENCES collaborations(id),
    name TEXT NOT NULL UNIQUE,
    place TEXT NOT NULL,
    leader_user_id INTEGER NOT NULL REFERENCES users(id),
    convener_user_id INTEGER NOT NULL REFERENCES users(id),
    -- The fixed agenda, one item per line.
    agenda TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);

CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    function TEXT NOT NULL,
    -- Fixed participants are invited to every meeting; the others form the ad-hoc pool.
    fixed BOOLEAN NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members(user_id);

-- The annual cycle (årshjul): a theme per month.
CREATE TABLE team_themes (
    team_id INTEGER NOT NULL REFERENCES teams(id),
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    theme TEXT NOT NULL,
    PRIMARY KEY (team_id, month)
);

-- The team's list of citizens in the target group, by course.
CREATE TABLE team_citizens (
    team_id INTEGER NOT NULL REFERENCES teams(id),
    course_id INTEGER NOT NULL REFERENCES courses(id),
    added_ms INTEGER NOT NULL,
    added_by_user_id INTEGER NOT NULL REFERENCES users(id),
    removed_ms INTEGER,
    PRIMARY KEY (team_id, course_id)
);

CREATE TABLE meeting_series (
    id INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    title TEXT NOT NULL,
    first_date TEXT NOT NULL,
    start_minute INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    every_weeks INTEGER NOT NULL,
    until_date TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);

-- One meeting. A series' meetings are written out when the series is made; moving or
-- cancelling one changes only its row, so the series stays whole.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    series_id INTEGER REFERENCES meeting_series(id),
    series_date TEXT,
    title TEXT NOT NULL,
    starts_ms INTEGER NOT NULL,
    ends_ms INTEGER NOT NULL,
    place TEXT NOT NULL,
    video_link TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    moved BOOLEAN NOT NULL DEFAULT FALSE,
    cancelled_ms INTEGER,
    -- Bumped on every change, for calendar clients (iCalendar SEQUENCE).
    sequence INTEGER NOT NULL DEFAULT 0,
    UNIQUE (series_id, series_date)
);
CREATE INDEX meetings_team_start ON meetings(team_id, starts_ms);

CREATE TABLE meeting_participants (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    attendance TEXT NOT NULL DEFAULT 'invited',
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_participants_user ON meeting_participants(user_id);

CREATE TABLE meeting_cases (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    course_id INTEGER NOT NULL REFERENCES courses(id),
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    position INTEGER NOT NULL,
    citizen_attendance TEXT NOT NULL DEFAULT 'invited',
    added_ms INTEGER NOT NULL,
    approved_ms INTEGER,
    approved_by_user_id INTEGER REFERENCES users(id),
    UNIQUE (meeting_id, course_id)
);
CREATE INDEX meeting_cases_course ON meeting_cases(course_id);
CREATE INDEX meeting_cases_citizen ON meeting_cases(citizen_id);

-- The shared template, one row per field; `version` guards against silent overwrites.
CREATE TABLE case_fields (
    case_id INTEGER NOT NULL REFERENCES meeting_cases(id),
    field TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    updated_by_user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, field)
);

-- Agreements: what, who, by when. Open ones come back on the course's next case.
CREATE TABLE case_agreements (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES meeting_cases(id),
    course_id INTEGER NOT NULL REFERENCES courses(id),
    what TEXT NOT NULL,
    who TEXT NOT NULL,
    due_date TEXT,
    done_ms INTEGER
);
CREATE INDEX case_agreements_course ON case_agreements(course_id);

-- The approved minutes, frozen: never updated.
CREATE TABLE minutes (
    case_id INTEGER PRIMARY KEY REFERENCES meeting_cases(id),
    body TEXT NOT NULL,
    approved_ms INTEGER NOT NULL,
    approved_by_user_id INTEGER NOT NULL REFERENCES users(id)
);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES meeting_cases(id),
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    last_error TEXT,
    sent_ms INTEGER,
    UNIQUE (case_id, channel)
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_ms);

CREATE TABLE case_evaluations (
    case_id INTEGER PRIMARY KEY REFERENCES meeting_cases(id),
    involvement INTEGER NOT NULL CHECK (involvement BETWEEN 1 AND 5),
    ownership INTEGER NOT NULL CHECK (ownership BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    by_citizen BOOLEAN NOT NULL,
    recorded_ms INTEGER NOT NULL,
    recorded_by_user_id INTEGER NOT NULL REFERENCES users(id)
);

CREATE TABLE meeting_evaluations (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    coherence INTEGER NOT NULL CHECK (coherence BETWEEN 1 AND 5),
    effects TEXT NOT NULL,
    learning TEXT NOT NULL,
    recorded_ms INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

-- Secret calendar feed addresses; only a digest of the token is kept.
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    token_digest TEXT NOT NULL UNIQUE,
    user_id INTEGER REFERENCES users(id),
    team_id INTEGER REFERENCES teams(id),
    created_by_user_id INTEGER NOT NULL REFERENCES users(id),
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);

-- Where notifications go (e.g. "new minutes in Bro"); never the minutes themselves.
ALTER TABLE users ADD COLUMN email TEXT;
