//! Server-side sessions.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{Timestamp, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, NewSession, Session, SessionStage, SessionStore, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::{Tx, commit, corrupt, db_err, err};
use crate::{Backend, Db};

fn session_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Session> {
    let stage: String = r.try_get("stage").map_err(err)?;
    Ok(Session {
        id_hash: r.try_get("id_hash").map_err(err)?,
        user_id: UserId(r.try_get("user_id").map_err(err)?),
        stage: SessionStage::parse(&stage).ok_or_else(|| corrupt("session stage"))?,
        created_ms: r.try_get("created_ms").map_err(err)?,
        last_seen_ms: r.try_get("last_seen_ms").map_err(err)?,
        expires_ms: r.try_get("expires_ms").map_err(err)?,
        active_role: r.try_get("active_role").map_err(err)?,
    })
}

/// Ends all sessions of a user inside `tx`.
pub(super) async fn end_sessions(tx: &mut Tx, user: UserId) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    Ok(done.rows_affected())
}

#[async_trait]
impl SessionStore for Backend {
    async fn create_session(&self, audit: &AuditCtx, s: NewSession) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, stage, created_ms, last_seen_ms, expires_ms, active_role) \
             VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind(&s.id_hash)
        .bind(s.user_id.0)
        .bind(s.stage.as_str())
        .bind(s.created_ms)
        .bind(s.expires_ms)
        .bind(s.active_role)
        .execute(&mut *tx)
        .await
        .map_err(db_err(Conflict::Session))?;
        let event = AuditEvent::allowed(AuditAction::LoginSucceeded)
            .object(format!("user:{}", s.user_id.0));
        // The password step of a two-step login is recorded when the second step completes.
        if s.stage == SessionStage::Full {
            append(&mut tx, audit, &event).await?;
        }
        commit(tx).await
    }

    async fn session(&self, id_hash: &str) -> StoreResult<Option<Session>> {
        let row = sqlx::query(
            "SELECT id_hash, user_id, stage, created_ms, last_seen_ms, expires_ms, active_role FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn complete_session(
        &self,
        audit: &AuditCtx,
        id_hash: &str,
        new_id_hash: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let user: i64 = sqlx::query_scalar(
            "UPDATE sessions SET stage = $1, id_hash = $2 WHERE id_hash = $3 RETURNING user_id",
        )
        .bind(SessionStage::Full.as_str())
        .bind(new_id_hash)
        .bind(id_hash)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::LoginSucceeded).object(format!("user:{user}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn set_active_role(&self, id_hash: &str, assignment: Option<i64>) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET active_role = $1 WHERE id_hash = $2")
            .bind(assignment)
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn delete_session(&self, audit: &AuditCtx, id_hash: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        append(&mut tx, audit, &AuditEvent::allowed(AuditAction::Logout)).await?;
        commit(tx).await
    }

    async fn delete_user_sessions(&self, audit: &AuditCtx, user: UserId) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let n = end_sessions(&mut tx, user).await?;
        let event =
            AuditEvent::allowed(AuditAction::LogoutEverywhere).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(n)
    }

    async fn purge_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(done.rows_affected())
    }
}
