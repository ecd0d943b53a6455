-- Hospital events (MedCom HospitalNotification, or registered by hand). An organisation is
-- known to hospitals by its SOR id. Every message received is kept verbatim, append-only, with
-- what came of it; a message with an id is received once (a rejected one may come again).
-- Its facts are kept beside it, so that an episode is rebuilt from its messages without
-- reading them again. An episode belongs to the citizen (NULL while no citizen has the CPR
-- number; the number waits in `cpr` until one has). A message refused before its receiver was
-- known has no organisation.
ALTER TABLE organisations ADD COLUMN sor_id TEXT;
CREATE UNIQUE INDEX organisations_sor ON organisations(sor_id) WHERE sor_id IS NOT NULL;
CREATE TABLE hospital_episodes (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    episode_system TEXT NOT NULL,
    episode_value TEXT NOT NULL,
    citizen_id INTEGER REFERENCES citizens(id),
    cpr TEXT,
    class TEXT NOT NULL,
    state TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER,
    leave_from_ms INTEGER,
    hospital TEXT NOT NULL,
    updated_ms INTEGER NOT NULL,
    UNIQUE (org_id, episode_system, episode_value)
);
CREATE INDEX hospital_episodes_citizen ON hospital_episodes(citizen_id, start_ms);
CREATE INDEX hospital_episodes_unmatched ON hospital_episodes(org_id, cpr) WHERE citizen_id IS NULL;
CREATE TABLE hospital_episode_events (
    episode_id INTEGER NOT NULL REFERENCES hospital_episodes(id),
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (episode_id, seq)
);
CREATE TABLE hospital_messages (
    id INTEGER PRIMARY KEY,
    org_id INTEGER REFERENCES organisations(id),
    message_id TEXT,
    channel TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    received_by_user_id INTEGER REFERENCES users(id),
    body BLOB NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    episode_id INTEGER REFERENCES hospital_episodes(id),
    activity TEXT,
    recorded_ms INTEGER,
    start_ms INTEGER,
    end_ms INTEGER,
    leave_from_ms INTEGER,
    leave_to_ms INTEGER,
    hospital TEXT
);
CREATE UNIQUE INDEX hospital_messages_once ON hospital_messages(message_id)
    WHERE message_id IS NOT NULL AND outcome <> 'rejected';
CREATE INDEX hospital_messages_episode ON hospital_messages(episode_id);
