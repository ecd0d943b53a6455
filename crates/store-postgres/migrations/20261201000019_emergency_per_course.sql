-- Emergency access opens the one course it was asked for, not the citizen's other courses:
-- it is looked up by course.
CREATE INDEX emergency_course_user ON emergency_accesses(course_id, user_id, ends_ms);
