-- A person in the citizen's network who also has a relative's login: what the citizen lets
-- them see is then shown to them in Bro. The SQLite twin has the same version.

ALTER TABLE network_members ADD COLUMN user_id BIGINT REFERENCES users(id);
CREATE INDEX network_members_user ON network_members(user_id) WHERE user_id IS NOT NULL;
