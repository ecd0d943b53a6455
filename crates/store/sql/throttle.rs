//! Failed login attempts, for rate limiting by account and by address.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::Timestamp;
use bro_store::{AuditCtx, AuditEvent, LoginThrottleStore, StoreResult};

use super::chain::append;
use super::{commit, err};
use crate::{Backend, ROW_LOCK};

#[async_trait]
impl LoginThrottleStore for Backend {
    async fn record_login_failure(
        &self,
        audit: &AuditCtx,
        action: AuditAction,
        keys: &[String],
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at_ms) VALUES ($1, $2)")
                .bind(key)
                .bind(audit.at_ms)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        let mut event = AuditEvent::denied(action);
        if let Some(user) = audit.actor_user_id {
            event = event.object(format!("user:{}", user.0));
        }
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn claim_login_attempt(
        &self,
        claim: &str,
        keys: &[(String, i64)],
        since: Timestamp,
        at: Timestamp,
    ) -> StoreResult<bool> {
        let mut ordered: Vec<&(String, i64)> = keys.iter().collect();
        // One order for every attempt, so two attempts never wait for each other's locks.
        ordered.sort_by(|a, b| a.0.cmp(&b.0));
        let mut tx = self.begin_write().await?;
        for (key, limit) in &ordered {
            sqlx::query(
                "INSERT INTO login_throttle_keys (key) VALUES ($1) ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            sqlx::query(&format!(
                "SELECT key FROM login_throttle_keys WHERE key = $1{ROW_LOCK}"
            ))
            .bind(key)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
            let failures: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at_ms >= $2",
            )
            .bind(key)
            .bind(since)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
            if failures >= *limit {
                return Ok(false);
            }
        }
        for (key, _) in &ordered {
            sqlx::query("INSERT INTO login_failures (key, at_ms, claim) VALUES ($1, $2, $3)")
                .bind(key)
                .bind(at)
                .bind(claim)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        commit(tx).await?;
        Ok(true)
    }

    async fn release_login_attempt(&self, claim: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE claim = $1")
            .bind(claim)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn login_failures_since(&self, key: &str, since: Timestamp) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at_ms >= $2")
            .bind(key)
            .bind(since)
            .fetch_one(&self.pool)
            .await
            .map_err(err)
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn purge_login_failures(&self, before: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM login_failures WHERE at_ms < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(done.rows_affected())
    }
}
