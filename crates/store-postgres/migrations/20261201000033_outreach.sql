-- The outreach effort: contacts with a course's citizen where they live their life (home,
-- street, a drop-in centre of the directory), what happened and the next step, and whether it
-- showed a worsening; and the fixed times outreach staff are at a drop-in centre.
CREATE TABLE outreach_contacts (
    id BIGSERIAL PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses(id),
    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
    at_ms BIGINT NOT NULL,
    place TEXT NOT NULL,
    offer_id BIGINT REFERENCES offers(id),
    what TEXT NOT NULL,
    next_step TEXT NOT NULL,
    worsening BOOLEAN NOT NULL,
    by_user_id BIGINT REFERENCES users(id),
    org_id BIGINT REFERENCES organisations(id)
);
CREATE INDEX outreach_contacts_course ON outreach_contacts(course_id, at_ms);
CREATE TABLE outreach_times (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    offer_id BIGINT NOT NULL REFERENCES offers(id),
    weekday BIGINT NOT NULL,
    from_min BIGINT NOT NULL,
    to_min BIGINT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX outreach_times_offer ON outreach_times(offer_id);
