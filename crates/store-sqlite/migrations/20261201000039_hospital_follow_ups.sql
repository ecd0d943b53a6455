-- After a discharge, the coordinator books the follow-up: a task on the citizen's open course,
-- due within 7 days of the discharge. One per episode; it moves with a revised discharge,
-- goes with a cancelled one while not booked, and once booked it stays with who and when.
CREATE TABLE hospital_follow_ups (
    episode_id INTEGER PRIMARY KEY REFERENCES hospital_episodes(id),
    course_id INTEGER NOT NULL REFERENCES courses(id),
    due_ms INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    booked_ms INTEGER,
    booked_by_user_id INTEGER REFERENCES users(id)
);
CREATE INDEX hospital_follow_ups_course ON hospital_follow_ups(course_id, due_ms);
