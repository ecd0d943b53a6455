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
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    episode_system TEXT NOT NULL,
    episode_value TEXT NOT NULL,
    citizen_id BIGINT REFERENCES citizens(id),
    cpr TEXT,
    class TEXT NOT NULL,
    state TEXT NOT NULL,
    start_ms BIGINT NOT NULL,
    end_ms BIGINT,
    leave_from_ms BIGINT,
    hospital TEXT NOT NULL,
    updated_ms BIGINT NOT NULL,
    UNIQUE (org_id, episode_system, episode_value)
);
CREATE INDEX hospital_episodes_citizen ON hospital_episodes(citizen_id, start_ms);
CREATE INDEX hospital_episodes_unmatched ON hospital_episodes(org_id, cpr) WHERE citizen_id IS NULL;
CREATE TABLE hospital_episode_events (
    episode_id BIGINT NOT NULL REFERENCES hospital_episodes(id),
    seq BIGINT NOT NULL,
    event TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (episode_id, seq)
);
CREATE TABLE hospital_messages (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT REFERENCES organisations(id),
    message_id TEXT,
    channel TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    received_by_user_id BIGINT REFERENCES users(id),
    body BYTEA NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    episode_id BIGINT REFERENCES hospital_episodes(id),
    activity TEXT,
    recorded_ms BIGINT,
    start_ms BIGINT,
    end_ms BIGINT,
    leave_from_ms BIGINT,
    leave_to_ms BIGINT,
    hospital TEXT
);
CREATE UNIQUE INDEX hospital_messages_once ON hospital_messages(message_id)
    WHERE message_id IS NOT NULL AND outcome <> 'rejected';
CREATE INDEX hospital_messages_episode ON hospital_messages(episode_id);
