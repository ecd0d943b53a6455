-- Referrals of a course's citizen to an offer, and every step of each: who, when, from which
-- state to which, and why. The receiving unit is the offer's; the decision (accepted or
-- rejected) is kept on the referral with its reason, legal basis and the alternatives named,
-- and its time, so that the time from referral to decision can be counted.
CREATE TABLE referrals (
    id BIGSERIAL PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses(id),
    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
    offer_id BIGINT NOT NULL REFERENCES offers(id),
    receiving_unit_id BIGINT NOT NULL REFERENCES units(id),
    receiving_org_id BIGINT NOT NULL REFERENCES organisations(id),
    referrer_user_id BIGINT NOT NULL REFERENCES users(id),
    referrer_org_id BIGINT NOT NULL REFERENCES organisations(id),
    referrer_kind TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The state an on-hold referral resumes to.
    held_from TEXT,
    urgency TEXT NOT NULL,
    reason TEXT NOT NULL,
    tried TEXT NOT NULL,
    wishes TEXT NOT NULL,
    citizen_agreed BOOLEAN NOT NULL,
    created_ms BIGINT NOT NULL,
    -- When it reached the receiving unit (the citizen's agreement given).
    requested_ms BIGINT,
    decided_ms BIGINT,
    decided_by_user_id BIGINT REFERENCES users(id),
    decision_law TEXT NOT NULL DEFAULT '',
    decision_reason TEXT NOT NULL DEFAULT '',
    -- Offers named instead, on a rejection: ids, comma-separated.
    alternatives TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL
);
CREATE INDEX referrals_course ON referrals(course_id);
CREATE INDEX referrals_citizen ON referrals(citizen_id);
CREATE INDEX referrals_queue ON referrals(receiving_unit_id, status);
CREATE TABLE referral_events (
    id BIGSERIAL PRIMARY KEY,
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    at_ms BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    org_id BIGINT REFERENCES organisations(id),
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_referral ON referral_events(referral_id, id);
ALTER TABLE notices ADD COLUMN referral_id BIGINT REFERENCES referrals(id);
