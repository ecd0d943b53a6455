-- After a discharge, the coordinator books the follow-up: a task on the citizen's open course,
-- due within 7 days of the discharge. One per episode; it moves with a revised discharge,
-- goes with a cancelled one while not booked, and once booked it stays with who and when.
CREATE TABLE hospital_follow_ups (
    episode_id BIGINT PRIMARY KEY REFERENCES hospital_episodes(id),
    course_id BIGINT NOT NULL REFERENCES courses(id),
    due_ms BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    booked_ms BIGINT,
    booked_by_user_id BIGINT REFERENCES users(id)
);
CREATE INDEX hospital_follow_ups_course ON hospital_follow_ups(course_id, due_ms);
