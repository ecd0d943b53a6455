-- A referral's attachments (a discharge letter, a statement): the file as uploaded, its kind
-- recognised from its content, who added it and when. Never changed; read only by those who
-- may read the referral, each read audited.
CREATE TABLE referral_attachments (
    id BIGSERIAL PRIMARY KEY,
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    size BIGINT NOT NULL,
    added_ms BIGINT NOT NULL,
    added_by_user_id BIGINT REFERENCES users(id)
);
CREATE INDEX referral_attachments_referral ON referral_attachments(referral_id);
