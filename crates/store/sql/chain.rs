//! The audit chain's append: every record Bro writes goes through here, in the transaction of
//! the work it records.

use bro_audit::{AuditFields, GENESIS, record_hash};
use bro_store::{AuditCtx, AuditEvent, Cell, StoreResult, TableRows};
use sqlx::Row;

use std::collections::BTreeMap;

use super::rows::{bind_at, insert_rows, placeholders};
use super::{Tx, err};
use crate::{BULK_BINDS, Db};

/// Appends one audit record inside `tx`, extending the tenant's chain. The head row is locked
/// (BEGIN IMMEDIATE on SQLite, the row's update on PostgreSQL), so concurrent appends to one
/// tenant serialise and the chain never forks.
pub(super) async fn append(tx: &mut Tx, ctx: &AuditCtx, event: &AuditEvent) -> StoreResult<()> {
    append_many(tx, &[(ctx.tenant_id, ctx.fields(event))]).await
}

/// Appends records to their tenants' chains, in the caller's transaction: the heads of all
/// its tenants taken in one statement and moved in another, the records in as few INSERTs as
/// the backend allows. Every audit record Bro writes goes through here (`append` is the
/// one-record case).
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
    let mut heads = take_heads(tx, &tenants).await?;
    for (tenant, (seq, prev)) in heads.iter_mut() {
        for (_, f) in records.iter().filter(|(t, _)| t == tenant) {
            *seq += 1;
            let hash = record_hash(*tenant, *seq, prev, f).to_vec();
            rows.push(vec![
                (*tenant).into(),
                (*seq).into(),
                f.at_ms.into(),
                f.actor_user_id.into(),
                f.actor_role.clone().into(),
                f.actor_unit_id.into(),
                f.action.clone().into(),
                f.outcome.as_str().into(),
                f.subject_citizen_id.map(|c| c.0).into(),
                f.purpose.clone().into(),
                f.object.clone().into(),
                Cell::Bytes(std::mem::replace(prev, hash.clone())),
                Cell::Bytes(hash),
            ]);
        }
    }
    insert_rows(tx, &rows).await?;
    put_heads(tx, &heads).await
}

/// The head (last seq and hash) of each of `tenants`' chains, made where a tenant has none
/// yet, and locked until `tx` ends: one statement for all of them, whose every row is written
/// (a no-op update where it exists), which locks it on PostgreSQL; on SQLite BEGIN IMMEDIATE
/// holds every writer out already. `tenants` come sorted, so writers lock heads in one order.
async fn take_heads(
    tx: &mut sqlx::Transaction<'_, Db>,
    tenants: &[i64],
) -> StoreResult<BTreeMap<i64, (i64, Vec<u8>)>> {
    let mut heads = BTreeMap::new();
    for chunk in tenants.chunks(BULK_BINDS / 2) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({}, 0, {})", bind_at(2 * i + 1), bind_at(2 * i + 2)))
            .collect();
        let sql = format!(
            "INSERT INTO audit_head (tenant_id, seq, hash) VALUES {} \
             ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_head.seq RETURNING tenant_id, seq, hash",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for tenant in chunk {
            q = q.bind(*tenant).bind(GENESIS.to_vec());
        }
        for r in q.fetch_all(&mut **tx).await.map_err(err)? {
            heads.insert(
                r.try_get("tenant_id").map_err(err)?,
                (
                    r.try_get("seq").map_err(err)?,
                    r.try_get("hash").map_err(err)?,
                ),
            );
        }
    }
    Ok(heads)
}

/// Moves each chain's head to its last record, in one statement for all of them.
async fn put_heads(
    tx: &mut sqlx::Transaction<'_, Db>,
    heads: &BTreeMap<i64, (i64, Vec<u8>)>,
) -> StoreResult<()> {
    let all: Vec<_> = heads.iter().collect();
    for chunk in all.chunks(BULK_BINDS / 3) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(3 * i + 1, 3)))
            .collect();
        let sql = format!(
            "INSERT INTO audit_head (tenant_id, seq, hash) VALUES {} \
             ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (tenant, (seq, hash)) in chunk {
            q = q.bind(**tenant).bind(*seq).bind(hash.as_slice());
        }
        q.execute(&mut **tx).await.map_err(err)?;
    }
    Ok(())
}
