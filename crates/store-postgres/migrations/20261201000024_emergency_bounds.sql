-- Emergency access is bounded: a reason of a kind plus free text; which renewal it is (0 for a
-- first access); a renewal beyond the first waits for the administrator's approval.
ALTER TABLE emergency_accesses ADD COLUMN reason_kind TEXT NOT NULL DEFAULT 'acute_crisis';
ALTER TABLE emergency_accesses ADD COLUMN renewal BIGINT NOT NULL DEFAULT 0;
ALTER TABLE emergency_accesses ADD COLUMN awaiting_approval_since_ms BIGINT;
ALTER TABLE emergency_accesses ADD COLUMN approved_ms BIGINT;
ALTER TABLE emergency_accesses ADD COLUMN approved_by_user_id BIGINT REFERENCES users(id);
