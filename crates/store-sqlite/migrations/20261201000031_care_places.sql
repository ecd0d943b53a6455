-- Temporary care places (MPO): a unit's beds, the days a bed is closed, the stays that
-- accepted referrals book on them, and each stay's history. Days are Danish calendar days as
-- 'YYYY-MM-DD' text, which sorts and compares as the days do; a stay holds its bed from its
-- start day up to, not including, its end day (moved by an extension or an early end).
CREATE TABLE care_beds (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    UNIQUE (unit_id, name)
);
CREATE TABLE care_bed_closures (
    id INTEGER PRIMARY KEY,
    bed_id INTEGER NOT NULL REFERENCES care_beds(id),
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX care_bed_closures_bed ON care_bed_closures(bed_id, from_day);
CREATE TABLE care_stays (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL UNIQUE REFERENCES referrals(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    bed_id INTEGER NOT NULL REFERENCES care_beds(id),
    start_day TEXT NOT NULL,
    end_day TEXT NOT NULL,
    arrived_ms INTEGER,
    ended INTEGER NOT NULL DEFAULT 0,
    next_step TEXT,
    version INTEGER NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX care_stays_bed ON care_stays(bed_id, start_day);
CREATE INDEX care_stays_unit ON care_stays(unit_id, end_day);
CREATE TABLE care_stay_events (
    id INTEGER PRIMARY KEY,
    stay_id INTEGER NOT NULL REFERENCES care_stays(id),
    at_ms INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX care_stay_events_stay ON care_stay_events(stay_id, id);
-- The longest stay the unit allows, in days (NULL: Bro's default, 84).
ALTER TABLE units ADD COLUMN max_stay_days INTEGER;
