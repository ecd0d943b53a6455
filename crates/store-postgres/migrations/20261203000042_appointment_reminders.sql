-- Reminders the day before, for the citizens who asked: one per appointment and time, so a
-- job that was down catches up without sending twice, and a moved appointment is reminded of
-- at its new time.
CREATE TABLE appointment_reminders (
    appointment_id BIGINT NOT NULL REFERENCES appointments(id),
    starts_ms BIGINT NOT NULL,
    queued_ms BIGINT NOT NULL,
    PRIMARY KEY (appointment_id, starts_ms)
);
CREATE INDEX appointments_to_remind ON appointments(starts_ms)
    WHERE remind AND cancelled_ms IS NULL AND attendance IS NULL;
