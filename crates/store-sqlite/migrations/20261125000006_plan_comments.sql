-- Comments on a course's plan, by the citizen or the team. The twin migration has the same version.

CREATE TABLE plan_comments (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses(id),
    at_ms INTEGER NOT NULL,
    author_user_id INTEGER NOT NULL REFERENCES users(id),
    from_citizen INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX plan_comments_course ON plan_comments(course_id, at_ms);
