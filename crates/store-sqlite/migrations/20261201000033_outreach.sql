-- The outreach effort: contacts with a course's citizen where they live their life (home,
-- street, a drop-in centre of the directory), what happened and the next step, and whether it
-- showed a worsening; and the fixed times outreach staff are at a drop-in centre.
CREATE TABLE outreach_contacts (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses(id),
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    at_ms INTEGER NOT NULL,
    place TEXT NOT NULL,
    offer_id INTEGER REFERENCES offers(id),
    what TEXT NOT NULL,
    next_step TEXT NOT NULL,
    worsening INTEGER NOT NULL,
    by_user_id INTEGER REFERENCES users(id),
    org_id INTEGER REFERENCES organisations(id)
);
CREATE INDEX outreach_contacts_course ON outreach_contacts(course_id, at_ms);
CREATE TABLE outreach_times (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    offer_id INTEGER NOT NULL REFERENCES offers(id),
    weekday INTEGER NOT NULL,
    from_min INTEGER NOT NULL,
    to_min INTEGER NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX outreach_times_offer ON outreach_times(offer_id);
