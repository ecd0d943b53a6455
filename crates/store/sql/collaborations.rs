//! Collaborations of organisations and the phases their courses follow.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{CollaborationId, OrgId, PhaseScheme};
use bro_store::{
    AuditCtx, AuditEvent, Collaboration, CollaborationStore, Conflict, NewCollaboration,
    StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::courses::scheme_from;
use super::{commit, db_err, err};
use crate::Backend;

#[async_trait]
impl CollaborationStore for Backend {
    async fn create_collaboration(
        &self,
        audit: &AuditCtx,
        new: NewCollaboration,
    ) -> StoreResult<CollaborationId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO collaborations (name, phases, created_ms) VALUES ($1, $2, $3) RETURNING id")
            .bind(&new.name)
            .bind(own_phases_json(&new.phases)?)
            .bind(audit.at_ms)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err(Conflict::Collaboration))?;
        for org in &new.orgs {
            sqlx::query("INSERT INTO collaboration_orgs (collaboration_id, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(org.0)
                .execute(&mut *tx)
                .await
                .map_err(db_err(Conflict::Collaboration))?;
        }
        let event = AuditEvent::allowed(AuditAction::CollaborationCreated)
            .object(format!("collaboration:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(CollaborationId(id))
    }

    async fn collaborations_of(&self, org: OrgId) -> StoreResult<Vec<Collaboration>> {
        let rows = sqlx::query(
            "SELECT c.id, c.name, c.phases, c.created_ms, o.id AS org_id, o.name AS org_name FROM collaborations c \
             JOIN collaboration_orgs co ON co.collaboration_id = c.id JOIN organisations o ON o.id = co.org_id \
             WHERE c.id IN (SELECT collaboration_id FROM collaboration_orgs WHERE org_id = $1) ORDER BY c.name, c.id, o.name",
        )
        .bind(org.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out: Vec<Collaboration> = Vec::new();
        for r in &rows {
            let id = CollaborationId(r.try_get("id").map_err(err)?);
            let member = (
                OrgId(r.try_get("org_id").map_err(err)?),
                r.try_get("org_name").map_err(err)?,
            );
            match out.last_mut() {
                Some(c) if c.id == id => c.orgs.push(member),
                _ => {
                    out.push(Collaboration {
                        id,
                        name: r.try_get("name").map_err(err)?,
                        orgs: vec![member],
                        phases: scheme_from(r)?,
                        created_ms: r.try_get("created_ms").map_err(err)?,
                    });
                }
            }
        }
        Ok(out)
    }

    async fn set_collaboration_phases(
        &self,
        audit: &AuditCtx,
        id: CollaborationId,
        org: OrgId,
        phases: PhaseScheme,
    ) -> StoreResult<()> {
        let json = own_phases_json(&phases)?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE collaborations SET phases = $1 WHERE id = $2 \
             AND EXISTS (SELECT 1 FROM collaboration_orgs WHERE collaboration_id = $2 AND org_id = $3)",
        )
        .bind(json)
        .bind(id.0)
        .bind(org.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::CollaborationPhasesChanged)
            .object(format!("collaboration:{}", id.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }
}

/// A collaboration always names its own phases; the default scheme has no stored form.
fn own_phases_json(phases: &PhaseScheme) -> StoreResult<String> {
    phases
        .to_json()
        .ok_or_else(|| StoreError::Corrupt("a collaboration names its own phases".into()))
}
