-- The citizen's own secret, revocable calendar address for their appointments: a feed owned by
-- the citizen rather than by a user's or a team's meetings.
ALTER TABLE calendar_feeds ADD COLUMN citizen_id INTEGER REFERENCES citizens(id);
