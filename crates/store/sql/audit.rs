//! Reading the audit chain: its tenants, records and head, an organisation's recent records
//! and a citizen's access log.

use async_trait::async_trait;
use bro_audit::{AuditAction, AuditFields, AuditRecord, Outcome};
use bro_domain::{CitizenId, OrgId};
use bro_store::{
    AccessCursor, AccessEntry, AccessQuery, AuditCtx, AuditEvent, AuditStore, StoreResult,
};
use sqlx::Row;

use super::{corrupt, err};
use crate::{Backend, Db};

fn audit_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<AuditRecord> {
    let outcome: String = r.try_get("outcome").map_err(err)?;
    Ok(AuditRecord {
        tenant_id: r.try_get("tenant_id").map_err(err)?,
        seq: r.try_get("seq").map_err(err)?,
        fields: AuditFields {
            at_ms: r.try_get("at_ms").map_err(err)?,
            actor_user_id: r.try_get("actor_user_id").map_err(err)?,
            actor_role: r.try_get("actor_role").map_err(err)?,
            actor_unit_id: r.try_get("actor_unit_id").map_err(err)?,
            action: r.try_get("action").map_err(err)?,
            outcome: Outcome::parse(&outcome).ok_or_else(|| corrupt("audit outcome"))?,
            subject_citizen_id: r
                .try_get::<Option<i64>, _>("subject_citizen_id")
                .map_err(err)?
                .map(CitizenId),
            purpose: r.try_get("purpose").map_err(err)?,
            object: r.try_get("object").map_err(err)?,
        },
        prev_hash: r.try_get("prev_hash").map_err(err)?,
        hash: r.try_get("hash").map_err(err)?,
    })
}

#[async_trait]
impl AuditStore for Backend {
    async fn append_audit(&self, audit: &AuditCtx, event: AuditEvent) -> StoreResult<()> {
        self.audit_writer
            .append(vec![(audit.tenant_id, audit.fields(&event))])
            .await
    }

    async fn audit_tenants(&self) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar("SELECT tenant_id FROM audit_head UNION SELECT DISTINCT tenant_id FROM audit_log ORDER BY 1")
            .fetch_all(&self.pool)
            .await
            .map_err(err)
    }

    async fn audit_records(
        &self,
        tenant: i64,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(tenant)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn audit_head(&self, tenant: i64) -> StoreResult<Option<(i64, Vec<u8>)>> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE tenant_id = $1")
            .bind(tenant)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.map(|r| {
            Ok((
                r.try_get("seq").map_err(err)?,
                r.try_get("hash").map_err(err)?,
            ))
        })
        .transpose()
    }

    async fn citizen_access_log(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        query: AccessQuery,
    ) -> StoreResult<Vec<AccessEntry>> {
        let mut tx = self.begin_read().await?;
        // Without a cursor: from the newest (no entry is as late as the largest moment).
        let before = query.before.unwrap_or(AccessCursor {
            at_ms: i64::MAX,
            tenant_id: 0,
            seq: 0,
        });
        // Own-data reads are the citizen's own; everything else anyone did is listed. The
        // organisation is the acting unit's (0 = any). The page of records is taken from the
        // others-only index first, newest first, and only its rows are joined: a planner that
        // expects a short log (the typical citizen has about 60 records) would otherwise join
        // and sort the whole of a long one (60 ms for 17,000 records on PostgreSQL).
        let rows = sqlx::query(
            "SELECT a.at_ms, a.tenant_id, a.seq, a.action, a.outcome, a.purpose, a.actor_role, u.display_name, un.name AS unit_name, \
             o.id AS org_id, o.name AS org_name, \
             (SELECT e.reason FROM emergency_accesses e WHERE a.purpose = 'emergency' AND e.citizen_id = a.subject_citizen_id \
               AND e.user_id = a.actor_user_id AND e.started_ms <= a.at_ms AND e.ends_ms > a.at_ms ORDER BY e.id DESC LIMIT 1) AS emergency_reason \
             FROM (SELECT r.at_ms, r.tenant_id, r.seq, r.action, r.outcome, r.purpose, r.actor_role, r.actor_user_id, r.actor_unit_id, \
               r.subject_citizen_id FROM audit_log r \
               WHERE r.subject_citizen_id = $1 AND r.at_ms >= $2 AND r.at_ms < $3 AND r.purpose <> 'own-data' \
               AND ($4 = 0 OR r.actor_unit_id IN (SELECT x.id FROM units x WHERE x.org_id = $4)) \
               AND (r.at_ms, r.tenant_id, r.seq) < ($6, $7, $8) \
               ORDER BY r.at_ms DESC, r.tenant_id DESC, r.seq DESC LIMIT $5) a \
             LEFT JOIN users u ON u.id = a.actor_user_id LEFT JOIN units un ON un.id = a.actor_unit_id \
             LEFT JOIN organisations o ON o.id = un.org_id \
             ORDER BY a.at_ms DESC, a.tenant_id DESC, a.seq DESC",
        )
        // Planned for each call's values: a plan cached for any citizen and period (PostgreSQL's
        // generic plan) guesses one matching row and may read the log whole.
        .persistent(false)
        .bind(citizen.0)
        .bind(query.from_ms)
        .bind(query.to_ms)
        .bind(query.org.map_or(0, |o| o.0))
        .bind(query.limit)
        .bind(before.at_ms)
        .bind(before.tenant_id)
        .bind(before.seq)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let entries = rows
            .iter()
            .map(|r| {
                let outcome: String = r.try_get("outcome").map_err(err)?;
                let org_id: Option<i64> = r.try_get("org_id").map_err(err)?;
                Ok(AccessEntry {
                    at_ms: r.try_get("at_ms").map_err(err)?,
                    actor_name: r.try_get("display_name").map_err(err)?,
                    actor_role: r.try_get("actor_role").map_err(err)?,
                    org_id: org_id.map(OrgId),
                    org_name: r.try_get("org_name").map_err(err)?,
                    unit_name: r.try_get("unit_name").map_err(err)?,
                    action: r.try_get("action").map_err(err)?,
                    outcome: Outcome::parse(&outcome).ok_or_else(|| corrupt("outcome"))?,
                    purpose: r.try_get("purpose").map_err(err)?,
                    emergency_reason: r.try_get("emergency_reason").map_err(err)?,
                    cursor: AccessCursor {
                        at_ms: r.try_get("at_ms").map_err(err)?,
                        tenant_id: r.try_get("tenant_id").map_err(err)?,
                        seq: r.try_get("seq").map_err(err)?,
                    },
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        self.finish_read(
            tx,
            audit,
            &AuditEvent::allowed(AuditAction::AccessLogRead).subject(citizen),
        )
        .await?;
        Ok(entries)
    }

    async fn access_log_orgs(&self, citizen: CitizenId) -> StoreResult<Vec<(OrgId, String)>> {
        let rows = sqlx::query(
            // The distinct acting units, one index step each (migration 16): the cost follows the
            // number of units, not the length of the log. Organisations are few.
            "WITH RECURSIVE acting(unit) AS ( \
               SELECT MIN(a.actor_unit_id) FROM audit_log a WHERE a.subject_citizen_id = $1 \
                 AND a.purpose <> 'own-data' AND a.actor_unit_id IS NOT NULL \
               UNION ALL \
               SELECT (SELECT MIN(a.actor_unit_id) FROM audit_log a WHERE a.subject_citizen_id = $1 \
                 AND a.purpose <> 'own-data' AND a.actor_unit_id IS NOT NULL AND a.actor_unit_id > acting.unit) \
               FROM acting WHERE acting.unit IS NOT NULL) \
             SELECT o.id, o.name FROM organisations o WHERE o.id IN (SELECT un.org_id FROM units un WHERE un.id IN \
             (SELECT unit FROM acting WHERE unit IS NOT NULL)) ORDER BY o.name",
        )
        .bind(citizen.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok((
                    OrgId(r.try_get("id").map_err(err)?),
                    r.try_get("name").map_err(err)?,
                ))
            })
            .collect()
    }

    async fn recent_audit(&self, tenant: i64, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        let rows =
            sqlx::query("SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT $2")
                .bind(tenant)
                .bind(limit)
                .fetch_all(&self.pool)
                .await
                .map_err(err)?;
        rows.iter().map(audit_from_row).collect()
    }
}
