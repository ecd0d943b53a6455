//! The e-mails that go with notices: who chose them, and the attempts to send each one. A
//! notice's e-mail is marked due in the transaction that writes the notice
//! ([`mark_offer_mails`], [`mark_citizen_mails`]; a hospital alert is written with its e-mail
//! due, `hospital_batch`); the delivery worker sends it later, so a mail server that is down
//! never holds up a change.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::meeting::retry_delay_ms;
use bro_domain::notice::NoticeKind;
use bro_domain::{Timestamp, UserId};
use bro_store::{AuditCtx, AuditEvent, DueNoticeMail, NoticeMailStore, StoreError, StoreResult};
use sqlx::Row;

use super::chain::append;
use super::{Tx, coded, commit, err};
use crate::{Backend, ROW_LOCK};

/// Makes the e-mail of each notice of `version` of offer `offer` due now, for the addressees
/// who chose e-mails of offer changes and have an address.
pub(super) async fn mark_offer_mails(
    tx: &mut Tx,
    now: Timestamp,
    offer: i64,
    version: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE notices SET mail_status = 'pending', mail_next_ms = $1 \
         WHERE offer_id = $2 AND kind = 'offer_changed' AND detail = $3 AND mail_status IS NULL \
         AND user_id IN (SELECT id FROM users WHERE mail_offer_changes AND email IS NOT NULL AND active)",
    )
    .bind(now)
    .bind(offer)
    .bind(version.to_string())
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    Ok(())
}

/// Makes the e-mail of the citizen's notice of a decision on referral `referral` due now, for
/// a citizen who gave an address. It says only that there is news in Bro.
pub(super) async fn mark_citizen_mails(
    tx: &mut Tx,
    now: Timestamp,
    referral: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE notices SET mail_status = 'pending', mail_next_ms = $1 \
         WHERE referral_id = $2 AND kind = 'referral_decided' AND mail_status IS NULL \
         AND user_id IN (SELECT id FROM users WHERE kind = 'citizen' AND email IS NOT NULL AND active)",
    )
    .bind(now)
    .bind(referral)
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    Ok(())
}

#[async_trait]
impl NoticeMailStore for Backend {
    async fn mail_offer_changes(&self, user: UserId) -> StoreResult<bool> {
        sqlx::query_scalar("SELECT mail_offer_changes FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)
    }

    async fn set_mail_offer_changes(
        &self,
        audit: &AuditCtx,
        user: UserId,
        on: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE users SET mail_offer_changes = $1 WHERE id = $2")
            .bind(on)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event =
            AuditEvent::allowed(AuditAction::EmailChanged).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn due_notice_mails(
        &self,
        now: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<DueNoticeMail>> {
        let rows = sqlx::query(
            "SELECT n.id, n.kind, u.email, n.offer_id, f.name AS offer_name, n.detail FROM notices n \
             JOIN users u ON u.id = n.user_id LEFT JOIN offers f ON f.id = n.offer_id \
             WHERE n.mail_status IN ('pending', 'failed') AND n.mail_next_ms <= $1 \
             ORDER BY n.mail_next_ms LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(DueNoticeMail {
                    id: r.try_get("id").map_err(err)?,
                    kind: coded(r, "kind", NoticeKind::parse)?,
                    email: r.try_get("email").map_err(err)?,
                    offer: match r.try_get::<Option<i64>, _>("offer_id").map_err(err)? {
                        Some(id) => Some((id, r.try_get("offer_name").map_err(err)?)),
                        None => None,
                    },
                    detail: r.try_get("detail").map_err(err)?,
                })
            })
            .collect()
    }

    async fn drop_notice_mail(&self, id: i64, reason: &str) -> StoreResult<()> {
        sqlx::query("UPDATE notices SET mail_status = 'dropped', mail_error = $1 WHERE id = $2")
            .bind(reason)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn record_notice_mail(
        &self,
        id: i64,
        now: Timestamp,
        outcome: Result<(), String>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let attempts: i64 = sqlx::query_scalar(&format!(
            "SELECT mail_attempts FROM notices WHERE id = $1{ROW_LOCK}"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        let attempts = attempts + 1;
        match outcome {
            Ok(()) => sqlx::query(
                "UPDATE notices SET mail_status = 'sent', mail_attempts = $1, mail_sent_ms = $2, mail_error = NULL WHERE id = $3",
            )
            .bind(attempts)
            .bind(now)
            .bind(id),
            Err(reason) => sqlx::query(
                "UPDATE notices SET mail_status = 'failed', mail_attempts = $1, mail_next_ms = $2, mail_error = $3 WHERE id = $4",
            )
            .bind(attempts)
            .bind(now + retry_delay_ms(attempts))
            .bind(reason)
            .bind(id),
        }
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        commit(tx).await
    }
}
