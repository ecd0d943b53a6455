-- No one unlocks their own organisation's access alone: a consent recorded by a member of staff
-- that widens what their own organisation sees (unless they coordinate the course, or a witness
-- from another organisation signs), or that re-records one withdrawn the same day, waits for the
-- citizen's or the coordinator's confirmation before it is in force.
ALTER TABLE consents ADD COLUMN witness_org_id BIGINT REFERENCES organisations(id);
ALTER TABLE consents ADD COLUMN awaiting_since_ms BIGINT;
ALTER TABLE consents ADD COLUMN confirmed_ms BIGINT;
ALTER TABLE consents ADD COLUMN confirmed_by_user_id BIGINT REFERENCES users(id);
