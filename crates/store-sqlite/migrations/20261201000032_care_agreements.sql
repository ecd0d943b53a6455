-- The extended collaboration agreement of a stay, as versions: the first drafted at
-- enrolment, then one per review on the unit's every-second-Wednesday meeting, with its day,
-- who took part, and how the stay lives up to the seven principles (a score of 1-5 each,
-- comma-separated in the principles' order, and a note).
CREATE TABLE care_agreements (
    stay_id INTEGER NOT NULL REFERENCES care_stays(id),
    version INTEGER NOT NULL,
    goals TEXT NOT NULL,
    parties TEXT NOT NULL,
    medication TEXT NOT NULL,
    ward_contact TEXT NOT NULL,
    discharge TEXT NOT NULL,
    participants TEXT NOT NULL,
    review_day TEXT,
    principles TEXT NOT NULL DEFAULT '',
    principles_note TEXT NOT NULL DEFAULT '',
    written_by_user_id INTEGER REFERENCES users(id),
    written_ms INTEGER NOT NULL,
    PRIMARY KEY (stay_id, version)
);
