//! The API clients that deliver hospital messages: the digests of their tokens.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::OrgId;
use bro_store::{
    AuditCtx, AuditEvent, HospitalClient, HospitalClientStore, StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::{DbRow, actor, commit, err};
use crate::Backend;

const CLIENT_SELECT: &str = "SELECT c.id, c.org_id, c.name, c.created_ms, c.revoked_ms, \
     COALESCE(u.display_name, '') AS created_by FROM hospital_clients c \
     LEFT JOIN users u ON u.id = c.created_by_user_id";

fn client_from_row(r: &DbRow) -> StoreResult<HospitalClient> {
    Ok(HospitalClient {
        id: r.try_get("id").map_err(err)?,
        org: OrgId(r.try_get("org_id").map_err(err)?),
        name: r.try_get("name").map_err(err)?,
        created_ms: r.try_get("created_ms").map_err(err)?,
        created_by: r.try_get("created_by").map_err(err)?,
        revoked_ms: r.try_get("revoked_ms").map_err(err)?,
    })
}

fn client_event(action: AuditAction, id: i64) -> AuditEvent {
    AuditEvent::allowed(action).object(format!("hospital-client:{id}"))
}

#[async_trait]
impl HospitalClientStore for Backend {
    async fn create_hospital_client(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        name: &str,
        digest: &str,
    ) -> StoreResult<i64> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO hospital_clients (org_id, name, token_digest, created_by_user_id, created_ms) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(org.0)
        .bind(name)
        .bind(digest)
        .bind(by.0)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        append(
            &mut tx,
            audit,
            &client_event(AuditAction::HospitalClientCreated, id),
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn hospital_clients(&self, org: OrgId) -> StoreResult<Vec<HospitalClient>> {
        let rows = sqlx::query(&format!(
            "{CLIENT_SELECT} WHERE c.org_id = $1 ORDER BY c.created_ms DESC, c.id DESC"
        ))
        .bind(org.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(client_from_row).collect()
    }

    async fn revoke_hospital_client(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        id: i64,
    ) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE hospital_clients SET revoked_ms = $1, revoked_by_user_id = $2 \
             WHERE id = $3 AND org_id = $4 AND revoked_ms IS NULL",
        )
        .bind(audit.at_ms)
        .bind(by.0)
        .bind(id)
        .bind(org.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        append(
            &mut tx,
            audit,
            &client_event(AuditAction::HospitalClientRevoked, id),
        )
        .await?;
        commit(tx).await
    }

    async fn hospital_client_by_digest(&self, digest: &str) -> StoreResult<Option<HospitalClient>> {
        let row = sqlx::query(&format!("{CLIENT_SELECT} WHERE c.token_digest = $1"))
            .bind(digest)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.as_ref().map(client_from_row).transpose()
    }
}
