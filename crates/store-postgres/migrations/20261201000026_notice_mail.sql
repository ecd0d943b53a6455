-- E-mail notices: a staff member may choose to get an e-mail for each change of an offer they
-- follow. The e-mail of a notice is sent by the delivery worker, outside the change's
-- transaction, and retried until sent; NULL mail_status: no e-mail for this notice.
ALTER TABLE users ADD COLUMN mail_offer_changes BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE notices ADD COLUMN mail_status TEXT;
ALTER TABLE notices ADD COLUMN mail_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN mail_next_ms BIGINT;
ALTER TABLE notices ADD COLUMN mail_error TEXT;
ALTER TABLE notices ADD COLUMN mail_sent_ms BIGINT;
CREATE INDEX notices_mail_due ON notices(mail_status, mail_next_ms);
