-- Foundation: organisations, units, accounts, roles, citizens, sessions, audit chain.
-- Times are UTC milliseconds since the Unix epoch. The PostgreSQL twin has the same version.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('region', 'municipality', 'gp_practice', 'other_provider')),
    require_second_factor INTEGER NOT NULL DEFAULT 1,
    created_ms INTEGER NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE citizens (
    id INTEGER PRIMARY KEY,
    cpr TEXT NOT NULL UNIQUE,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    address TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    org_id INTEGER REFERENCES organisations(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('staff', 'citizen', 'relative')),
    citizen_id INTEGER REFERENCES citizens(id),
    active INTEGER NOT NULL DEFAULT 1,
    totp_secret TEXT,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    CHECK ((kind = 'staff') = (org_id IS NOT NULL)),
    CHECK ((kind = 'citizen') = (citizen_id IS NOT NULL))
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE role_assignments (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    role TEXT NOT NULL,
    UNIQUE (user_id, unit_id, role)
);

CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_ms INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE relatives (
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    relation TEXT NOT NULL,
    PRIMARY KEY (citizen_id, user_id)
);
CREATE INDEX relatives_user ON relatives(user_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    stage TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    active_role INTEGER
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_ms);

CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at_ms);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The audit chain: one chain per tenant (0 = platform). Append-only: the triggers refuse
-- change and removal, and `bro audit verify` detects it if someone goes around them.
CREATE TABLE audit_log (
    tenant_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    actor_user_id INTEGER,
    actor_role TEXT,
    actor_unit_id INTEGER,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    subject_citizen_id INTEGER,
    purpose TEXT NOT NULL,
    object TEXT,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_subject ON audit_log(subject_citizen_id, at_ms) WHERE subject_citizen_id IS NOT NULL;

CREATE TABLE audit_head (
    tenant_id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    hash BLOB NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
