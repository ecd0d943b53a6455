-- A referral's attachments (a discharge letter, a statement): the file as uploaded, its kind
-- recognised from its content, who added it and when. Never changed; read only by those who
-- may read the referral, each read audited.
CREATE TABLE referral_attachments (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    size INTEGER NOT NULL,
    added_ms INTEGER NOT NULL,
    added_by_user_id INTEGER REFERENCES users(id)
);
CREATE INDEX referral_attachments_referral ON referral_attachments(referral_id);
