-- An agreement on a course's timeline names the agreement, not its text: the text is part of
-- the minutes and reaches only those the citizen's minutes are shared with.
UPDATE course_events SET detail = COALESCE(
    (SELECT CAST(MIN(a.id) AS TEXT) FROM case_agreements a
      WHERE a.course_id = course_events.course_id AND a.what = course_events.detail), '')
WHERE kind = 'agreement';
