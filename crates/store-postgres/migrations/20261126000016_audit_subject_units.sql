-- The organisation filter of "who looked at my data" lists the organisations that acted on the
-- citizen. Reading the distinct acting units off the time-ordered index meant reading every
-- record about the citizen; this index orders them by unit, so the page finds each unit with
-- one index step (a skip scan written as a recursive query), however long the log is.
-- The twin has the same version.
CREATE INDEX audit_subject_units ON audit_log(subject_citizen_id, actor_unit_id)
  WHERE subject_citizen_id IS NOT NULL AND purpose <> 'own-data' AND actor_unit_id IS NOT NULL;
