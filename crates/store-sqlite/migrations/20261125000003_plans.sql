-- The coordinated plan: every change is a new whole version. The twin migration has the same version.

CREATE TABLE plan_versions (
    course_id INTEGER NOT NULL REFERENCES courses(id),
    version INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    author_user_id INTEGER REFERENCES users(id),
    section TEXT NOT NULL,
    -- Kept beside the content so overdue reviews can be found without reading JSON.
    review_date TEXT,
    content TEXT NOT NULL,
    PRIMARY KEY (course_id, version)
);
