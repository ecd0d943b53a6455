-- A hospital event makes the e-mails of the notices it just wrote about the citizen due: found
-- by citizen and moment on this index, not by reading every notice (a feed of thousands of
-- messages does this once per message).
CREATE INDEX notices_citizen ON notices(citizen_id, created_ms);
