-- The directory of offers (tilbud): each unit's offers, every change a version, the staff a
-- unit's administrator names as editors, and who follows which changes. Not personal data.
CREATE TABLE offers (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- The latest version's content (JSON), and what search and sorting read from it.
    content TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    municipality TEXT NOT NULL,
    search_text TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    confirmed_ms BIGINT NOT NULL,
    external BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX offers_unit ON offers(unit_id);
CREATE INDEX offers_category ON offers(category, status);
CREATE TABLE offer_versions (
    offer_id BIGINT NOT NULL REFERENCES offers(id),
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    content TEXT NOT NULL,
    changed_by_user_id BIGINT REFERENCES users(id),
    changed_ms BIGINT NOT NULL,
    important BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (offer_id, version)
);
CREATE TABLE offer_editors (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (unit_id, user_id)
);
-- What a user follows: offer:ID, unit:ID or category:CODE:MUNICIPALITY (empty: everywhere).
CREATE TABLE offer_follows (
    user_id BIGINT NOT NULL REFERENCES users(id),
    target TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (user_id, target)
);
CREATE INDEX offer_follows_target ON offer_follows(target);
ALTER TABLE notices ADD COLUMN offer_id BIGINT REFERENCES offers(id);
