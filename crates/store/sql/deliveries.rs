//! Deliveries of the notices of approved minutes, and the e-mail addresses of users.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::meeting::{DeliveryChannel, DeliveryStatus, retry_delay_ms};
use bro_domain::{CaseId, Timestamp, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Delivery, DeliveryStore, DueDelivery, StoreError, StoreResult,
};
use sqlx::Row;

use super::cases::{case_event, case_ref_in};
use super::chain::append;
use super::citizens::citizen_email;
use super::{DbRow, coded, commit, err};
use crate::{Backend, ROW_LOCK};

fn delivery_from_row(r: &DbRow) -> StoreResult<Delivery> {
    Ok(Delivery {
        id: r.try_get("id").map_err(err)?,
        case_id: CaseId(r.try_get("case_id").map_err(err)?),
        channel: coded(r, "channel", DeliveryChannel::parse)?,
        status: coded(r, "status", DeliveryStatus::parse)?,
        attempts: r.try_get("attempts").map_err(err)?,
        next_attempt_ms: r.try_get("next_attempt_ms").map_err(err)?,
        last_error: r.try_get("last_error").map_err(err)?,
        sent_ms: r.try_get("sent_ms").map_err(err)?,
    })
}

#[async_trait]
impl DeliveryStore for Backend {
    async fn deliveries(&self, case: CaseId) -> StoreResult<Vec<Delivery>> {
        let rows = sqlx::query(
            "SELECT id, case_id, channel, status, attempts, next_attempt_ms, last_error, sent_ms FROM deliveries \
             WHERE case_id = $1 ORDER BY channel",
        )
        .bind(case.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(delivery_from_row).collect()
    }

    async fn due_deliveries(&self, now: Timestamp, limit: i64) -> StoreResult<Vec<DueDelivery>> {
        let sql = format!(
            "SELECT d.id, d.case_id, d.attempts, {} AS email FROM deliveries d \
             WHERE d.channel = 'email' AND d.status IN ('pending', 'failed') AND d.next_attempt_ms <= $1 \
             ORDER BY d.next_attempt_ms LIMIT $2",
            citizen_email("d.citizen_id")
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(DueDelivery {
                id: r.try_get("id").map_err(err)?,
                case_id: CaseId(r.try_get("case_id").map_err(err)?),
                attempts: r.try_get("attempts").map_err(err)?,
                email: r.try_get("email").map_err(err)?,
            });
        }
        Ok(out)
    }

    async fn record_delivery_attempt(
        &self,
        id: i64,
        now: Timestamp,
        outcome: Result<(), String>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let attempts: i64 = sqlx::query_scalar(&format!(
            "SELECT attempts FROM deliveries WHERE id = $1{ROW_LOCK}"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let attempts = attempts + 1;
        match outcome {
            Ok(()) => sqlx::query("UPDATE deliveries SET status = 'sent', attempts = $1, sent_ms = $2, last_error = NULL WHERE id = $3")
                .bind(attempts)
                .bind(now)
                .bind(id),
            Err(reason) => sqlx::query("UPDATE deliveries SET status = 'failed', attempts = $1, next_attempt_ms = $2, last_error = $3 WHERE id = $4")
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

    async fn retry_delivery(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        delivery: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let r = case_ref_in(&mut tx, case, "").await?;
        let done = sqlx::query("UPDATE deliveries SET next_attempt_ms = $1 WHERE id = $2 AND case_id = $3 AND status = 'failed'")
            .bind(audit.at_ms)
            .bind(delivery)
            .bind(case.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        append(
            &mut tx,
            audit,
            &case_event(AuditAction::DeliveryRetried, &r),
        )
        .await?;
        commit(tx).await
    }

    async fn set_email(
        &self,
        audit: &AuditCtx,
        user: UserId,
        email: Option<&str>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
            .bind(email)
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

    async fn email(&self, user: UserId) -> StoreResult<Option<String>> {
        let email: Option<Option<String>> =
            sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(err)?;
        email.ok_or(StoreError::NotFound)
    }
}
