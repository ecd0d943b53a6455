//! Organisations (tenants) and their units.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{OrgId, OrgKind, UnitId, UnitKind};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, NewOrganisation, NewUnit, OrgStore, Organisation, StoreError,
    StoreResult, Unit,
};
use sqlx::Row;

use super::chain::append;
use super::{commit, corrupt, db_err, err};
use crate::{Backend, Db};

fn org_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Organisation> {
    let kind: String = r.try_get("kind").map_err(err)?;
    Ok(Organisation {
        id: OrgId(r.try_get("id").map_err(err)?),
        name: r.try_get("name").map_err(err)?,
        kind: OrgKind::parse(&kind).ok_or_else(|| corrupt("organisation kind"))?,
        require_second_factor: r.try_get("require_second_factor").map_err(err)?,
    })
}

fn unit_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Unit> {
    let kind: String = r.try_get("kind").map_err(err)?;
    Ok(Unit {
        id: UnitId(r.try_get("id").map_err(err)?),
        org_id: OrgId(r.try_get("org_id").map_err(err)?),
        name: r.try_get("name").map_err(err)?,
        kind: UnitKind::parse(&kind).ok_or_else(|| corrupt("unit kind"))?,
    })
}

#[async_trait]
impl OrgStore for Backend {
    async fn create_organisation(
        &self,
        audit: &AuditCtx,
        new: NewOrganisation,
    ) -> StoreResult<OrgId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (name, kind, require_second_factor, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(new.name.as_str())
        .bind(new.kind.as_str())
        .bind(new.require_second_factor)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Name))?;
        // The organisation's first record opens its own chain.
        let ctx = AuditCtx {
            tenant_id: id,
            ..audit.clone()
        };
        append(
            &mut tx,
            &ctx,
            &AuditEvent::allowed(AuditAction::OrganisationCreated).object(format!("org:{id}")),
        )
        .await?;
        commit(tx).await?;
        Ok(OrgId(id))
    }

    async fn organisation(&self, id: OrgId) -> StoreResult<Organisation> {
        let r = sqlx::query(
            "SELECT id, name, kind, require_second_factor FROM organisations WHERE id = $1",
        )
        .bind(id.0)
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        org_from_row(&r)
    }

    async fn organisation_by_name(&self, name: &str) -> StoreResult<Organisation> {
        let r = sqlx::query(
            "SELECT id, name, kind, require_second_factor FROM organisations WHERE name = $1",
        )
        .bind(name)
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        org_from_row(&r)
    }

    async fn organisations(&self) -> StoreResult<Vec<Organisation>> {
        let rows = sqlx::query(
            "SELECT id, name, kind, require_second_factor FROM organisations ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(org_from_row).collect()
    }

    async fn set_require_second_factor(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        required: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE organisations SET require_second_factor = $1 WHERE id = $2")
            .bind(required)
            .bind(org.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::OrganisationSettingsChanged)
            .object(format!("org:{}", org.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn create_unit(&self, audit: &AuditCtx, new: NewUnit) -> StoreResult<UnitId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO units (org_id, name, kind, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(new.org_id.0)
        .bind(new.name.as_str())
        .bind(new.kind.as_str())
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Name))?;
        append(
            &mut tx,
            audit,
            &AuditEvent::allowed(AuditAction::UnitCreated).object(format!("unit:{id}")),
        )
        .await?;
        commit(tx).await?;
        Ok(UnitId(id))
    }

    async fn units(&self, org: OrgId) -> StoreResult<Vec<Unit>> {
        let rows =
            sqlx::query("SELECT id, org_id, name, kind FROM units WHERE org_id = $1 ORDER BY name")
                .bind(org.0)
                .fetch_all(&self.pool)
                .await
                .map_err(err)?;
        rows.iter().map(unit_from_row).collect()
    }

    async fn unit(&self, id: UnitId) -> StoreResult<Unit> {
        let r = sqlx::query("SELECT id, org_id, name, kind FROM units WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        unit_from_row(&r)
    }
}
