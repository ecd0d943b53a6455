-- The coordinated plan: every change is a new whole version. The twin migration has the same version.

CREATE TABLE plan_versions (
    course_id BIGINT NOT NULL REFERENCES courses(id),
    version BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    author_user_id BIGINT REFERENCES users(id),
    section TEXT NOT NULL,
    -- Kept beside the content so overdue reviews can be found without reading JSON.
    review_date TEXT,
    content TEXT NOT NULL,
    PRIMARY KEY (course_id, version)
);
