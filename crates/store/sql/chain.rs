//! The audit chain's append: every record Bro writes goes through here, in the transaction of
//! the work it records.

use bro_audit::{AuditFields, GENESIS, record_hash};
use bro_store::{AuditCtx, AuditEvent, Cell, StoreResult, TableRows};
use sqlx::Row;

use super::rows::insert_rows;
use super::{Tx, err};
use crate::{Db, HEAD_LOCK};

/// Appends one audit record inside `tx`, extending the tenant's chain. The head row is locked
/// (BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL), so concurrent appends to one tenant
/// serialise and the chain never forks.
pub(super) async fn append(tx: &mut Tx, ctx: &AuditCtx, event: &AuditEvent) -> StoreResult<()> {
    append_many(tx, &[(ctx.tenant_id, ctx.fields(event))]).await
}

/// Appends records to their tenants' chains, in the caller's transaction: one head read and
/// one head update per tenant, the records in as few INSERTs as the backend allows. Every
/// audit record Bro writes goes through here (`append` is the one-record case).
pub(super) async fn append_many(
    tx: &mut sqlx::Transaction<'_, Db>,
    records: &[(i64, AuditFields)],
) -> StoreResult<()> {
    let mut tenants: Vec<i64> = records.iter().map(|(t, _)| *t).collect();
    tenants.sort_unstable();
    tenants.dedup();
    let mut rows = TableRows::new(
        "audit_log",
        &[
            "tenant_id",
            "seq",
            "at_ms",
            "actor_user_id",
            "actor_role",
            "actor_unit_id",
            "action",
            "outcome",
            "subject_citizen_id",
            "purpose",
            "object",
            "prev_hash",
            "hash",
        ],
    );
    let mut heads = Vec::with_capacity(tenants.len());
    for tenant in tenants {
        sqlx::query("INSERT INTO audit_head (tenant_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (tenant_id) DO NOTHING")
            .bind(tenant)
            .bind(GENESIS.to_vec())
            .execute(&mut **tx)
            .await
            .map_err(err)?;
        let head_sql = format!("SELECT seq, hash FROM audit_head WHERE tenant_id = $1{HEAD_LOCK}");
        let row = sqlx::query(&head_sql)
            .bind(tenant)
            .fetch_one(&mut **tx)
            .await
            .map_err(err)?;
        let mut seq: i64 = row.try_get("seq").map_err(err)?;
        let mut prev: Vec<u8> = row.try_get("hash").map_err(err)?;
        for (_, f) in records.iter().filter(|(t, _)| *t == tenant) {
            seq += 1;
            let hash = record_hash(tenant, seq, &prev, f).to_vec();
            rows.push(vec![
                tenant.into(),
                seq.into(),
                f.at_ms.into(),
                f.actor_user_id.into(),
                f.actor_role.clone().into(),
                f.actor_unit_id.into(),
                f.action.clone().into(),
                f.outcome.as_str().into(),
                f.subject_citizen_id.map(|c| c.0).into(),
                f.purpose.clone().into(),
                f.object.clone().into(),
                Cell::Bytes(std::mem::replace(&mut prev, hash.clone())),
                Cell::Bytes(hash),
            ]);
        }
        heads.push((tenant, seq, prev));
    }
    insert_rows(tx, &rows).await?;
    for (tenant, seq, hash) in heads {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE tenant_id = $3")
            .bind(seq)
            .bind(hash)
            .bind(tenant)
            .execute(&mut **tx)
            .await
            .map_err(err)?;
    }
    Ok(())
}
