-- Fælles Team meetings (seed 003, Bilag 1 and 3): teams of a collaboration, their meeting
-- series and single meetings, the citizen cases discussed with a shared template, the frozen
-- minutes, their delivery to the citizen, evaluations and calendar feeds.
-- The SQLite twin has the same version.

CREATE TABLE teams (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id),
    name TEXT NOT NULL UNIQUE,
    place TEXT NOT NULL,
    leader_user_id BIGINT NOT NULL REFERENCES users(id),
    convener_user_id BIGINT NOT NULL REFERENCES users(id),
    -- The fixed agenda, one item per line.
    agenda TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES teams(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    function TEXT NOT NULL,
    -- Fixed participants are invited to every meeting; the others form the ad-hoc pool.
    fixed BOOLEAN NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members(user_id);

-- The annual cycle (årshjul): a theme per month.
CREATE TABLE team_themes (
    team_id BIGINT NOT NULL REFERENCES teams(id),
    month BIGINT NOT NULL CHECK (month BETWEEN 1 AND 12),
    theme TEXT NOT NULL,
    PRIMARY KEY (team_id, month)
);

-- The team's list of citizens in the target group, by course.
CREATE TABLE team_citizens (
    team_id BIGINT NOT NULL REFERENCES teams(id),
    course_id BIGINT NOT NULL REFERENCES courses(id),
    added_ms BIGINT NOT NULL,
    added_by_user_id BIGINT NOT NULL REFERENCES users(id),
    removed_ms BIGINT,
    PRIMARY KEY (team_id, course_id)
);

CREATE TABLE meeting_series (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams(id),
    title TEXT NOT NULL,
    first_date TEXT NOT NULL,
    start_minute BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    every_weeks BIGINT NOT NULL,
    until_date TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

-- One meeting. A series' meetings are written out when the series is made; moving or
-- cancelling one changes only its row, so the series stays whole.
CREATE TABLE meetings (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams(id),
    series_id BIGINT REFERENCES meeting_series(id),
    series_date TEXT,
    title TEXT NOT NULL,
    starts_ms BIGINT NOT NULL,
    ends_ms BIGINT NOT NULL,
    place TEXT NOT NULL,
    video_link TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    moved BOOLEAN NOT NULL DEFAULT FALSE,
    cancelled_ms BIGINT,
    -- Bumped on every change, for calendar clients (iCalendar SEQUENCE).
    sequence BIGINT NOT NULL DEFAULT 0,
    UNIQUE (series_id, series_date)
);
CREATE INDEX meetings_team_start ON meetings(team_id, starts_ms);

CREATE TABLE meeting_participants (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    attendance TEXT NOT NULL DEFAULT 'invited',
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_participants_user ON meeting_participants(user_id);

CREATE TABLE meeting_cases (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    course_id BIGINT NOT NULL REFERENCES courses(id),
    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
    position BIGINT NOT NULL,
    citizen_attendance TEXT NOT NULL DEFAULT 'invited',
    added_ms BIGINT NOT NULL,
    approved_ms BIGINT,
    approved_by_user_id BIGINT REFERENCES users(id),
    UNIQUE (meeting_id, course_id)
);
CREATE INDEX meeting_cases_course ON meeting_cases(course_id);
CREATE INDEX meeting_cases_citizen ON meeting_cases(citizen_id);

-- The shared template, one row per field; `version` guards against silent overwrites.
CREATE TABLE case_fields (
    case_id BIGINT NOT NULL REFERENCES meeting_cases(id),
    field TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    updated_by_user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, field)
);

-- Agreements: what, who, by when. Open ones come back on the course's next case.
CREATE TABLE case_agreements (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES meeting_cases(id),
    course_id BIGINT NOT NULL REFERENCES courses(id),
    what TEXT NOT NULL,
    who TEXT NOT NULL,
    due_date TEXT,
    done_ms BIGINT
);
CREATE INDEX case_agreements_course ON case_agreements(course_id);

-- The approved minutes, frozen: never updated.
CREATE TABLE minutes (
    case_id BIGINT PRIMARY KEY REFERENCES meeting_cases(id),
    body TEXT NOT NULL,
    approved_ms BIGINT NOT NULL,
    approved_by_user_id BIGINT NOT NULL REFERENCES users(id)
);

CREATE TABLE deliveries (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES meeting_cases(id),
    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,
    last_error TEXT,
    sent_ms BIGINT,
    UNIQUE (case_id, channel)
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_ms);

CREATE TABLE case_evaluations (
    case_id BIGINT PRIMARY KEY REFERENCES meeting_cases(id),
    involvement BIGINT NOT NULL CHECK (involvement BETWEEN 1 AND 5),
    ownership BIGINT NOT NULL CHECK (ownership BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    by_citizen BOOLEAN NOT NULL,
    recorded_ms BIGINT NOT NULL,
    recorded_by_user_id BIGINT NOT NULL REFERENCES users(id)
);

CREATE TABLE meeting_evaluations (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    coherence BIGINT NOT NULL CHECK (coherence BETWEEN 1 AND 5),
    effects TEXT NOT NULL,
    learning TEXT NOT NULL,
    recorded_ms BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

-- Secret calendar feed addresses; only a digest of the token is kept.
CREATE TABLE calendar_feeds (
    id BIGSERIAL PRIMARY KEY,
    token_digest TEXT NOT NULL UNIQUE,
    user_id BIGINT REFERENCES users(id),
    team_id BIGINT REFERENCES teams(id),
    created_by_user_id BIGINT NOT NULL REFERENCES users(id),
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);

-- Where notifications go (e.g. "new minutes in Bro"); never the minutes themselves.
ALTER TABLE users ADD COLUMN email TEXT;
