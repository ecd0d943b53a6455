//! Multi-row INSERT of rows with explicit columns, in as few statements as the backend's
//! `BULK_BINDS` allows. Its own module, below its users: bulk loading (`bulk`) writes
//! generated worlds with it, the audit chain (`chain`) writes its records with it, and a batch
//! of hospital messages (`hospital_batch`) its alerts and timelines; bulk loading also appends
//! to the chain, so the helper can live in neither without a loop.

use bro_store::{BULK_TABLES, Cell, Conflict, RECEIVED_TABLES, StoreError, StoreResult, TableRows};

use super::{db_err, err};
use crate::{ANONYMOUS_BINDS, BULK_BINDS, Db, RESERVE_IDS, RESET_SEQUENCE};

/// A table name reaches SQL text only when it is one of `BULK_TABLES` or `RECEIVED_TABLES`.
pub(super) fn known_table(table: &str) -> StoreResult<()> {
    if BULK_TABLES.contains(&table) || RECEIVED_TABLES.contains(&table) {
        Ok(())
    } else {
        Err(StoreError::Conflict(Conflict::UnknownTable))
    }
}

/// Inserts `t`'s rows inside `tx`, chunked to the backend's bind limit, and lets the table's
/// id sequence continue after explicit ids (rows of a generated world, made up in memory).
pub(super) async fn insert_rows(
    tx: &mut sqlx::Transaction<'_, Db>,
    t: &TableRows,
) -> StoreResult<()> {
    insert_given(tx, t, "").await?;
    if t.columns.first() == Some(&"id")
        && let Some(reset) = RESET_SEQUENCE
    {
        sqlx::query(&reset.replace("{table}", t.table))
            .execute(&mut **tx)
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// Inserts `t`'s rows inside `tx` as they are, chunked to the backend's bind limit, each
/// statement ending in `tail` (an `ON CONFLICT` clause, or nothing). Explicit ids must come
/// from [`reserve_ids`]: the sequence is left alone, as another writer may be past them.
pub(super) async fn insert_given(
    tx: &mut sqlx::Transaction<'_, Db>,
    t: &TableRows,
    tail: &str,
) -> StoreResult<()> {
    known_table(t.table)?;
    let width = t.columns.len();
    if width == 0 || t.rows.iter().any(|r| r.len() != width) {
        return Err(StoreError::Conflict(Conflict::RowWidth));
    }
    for rows in t.rows.chunks((BULK_BINDS / width).max(1)) {
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", t.table, t.columns.join(", "));
        for i in 0..rows.len() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            sql.push_str(&placeholders(i * width + 1, width));
            sql.push(')');
        }
        sql.push_str(tail);
        let mut q = sqlx::query(&sql);
        for cell in rows.iter().flatten() {
            q = bind_cell(q, cell);
        }
        q.execute(&mut **tx)
            .await
            .map_err(db_err(Conflict::BulkInsert))?;
    }
    Ok(())
}

fn bind_cell<'q>(
    q: sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>,
    cell: &'q Cell,
) -> sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>> {
    match cell {
        Cell::Int(v) => q.bind(*v),
        Cell::OptInt(v) => q.bind(*v),
        Cell::Text(v) => q.bind(v.as_str()),
        Cell::OptText(v) => q.bind(v.as_deref()),
        Cell::Bool(v) => q.bind(*v),
        Cell::Bytes(v) => q.bind(v.as_slice()),
    }
}

/// `n` new ids of `table`, taken inside `tx` before its rows are written: rows of one batch
/// can then refer to each other in memory and be written in a few multi-row statements.
pub(super) async fn reserve_ids(
    tx: &mut sqlx::Transaction<'_, Db>,
    table: &str,
    n: usize,
) -> StoreResult<Vec<i64>> {
    known_table(table)?;
    if n == 0 {
        return Ok(Vec::new());
    }
    sqlx::query_scalar(&RESERVE_IDS.replace("{table}", table))
        .bind(n as i64)
        .fetch_all(&mut **tx)
        .await
        .map_err(err)
}

/// Runs `sql` for `values` in as many statements as the backend's bind limit asks; `{}` in
/// `sql` is where the list goes, and `sql` binds nothing else.
pub(super) async fn execute_in(
    tx: &mut sqlx::Transaction<'_, Db>,
    sql: &str,
    values: &[i64],
) -> StoreResult<()> {
    for chunk in values.chunks(BULK_BINDS) {
        let sql = with_list(sql, 0, chunk.len());
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = q.bind(*v);
        }
        q.execute(&mut **tx).await.map_err(err)?;
    }
    Ok(())
}

/// `$from, …, $(from + n - 1)`.
fn numbered(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Bind `i` (from 1) of a statement whose every bind is made here, in order: `$i`, or `?` on
/// a backend where numbered binds cost more (`ANONYMOUS_BINDS`).
pub(super) fn bind_at(i: usize) -> String {
    if ANONYMOUS_BINDS {
        "?".to_owned()
    } else {
        format!("${i}")
    }
}

/// `sql` with its list (`{}`) of `n` binds after `fixed` numbered ones: without those, the
/// statement binds nothing but the list, in the backend's cheapest form.
fn with_list(sql: &str, fixed: usize, n: usize) -> String {
    let list = match fixed {
        0 => placeholders(1, n),
        _ => numbered(fixed + 1, n),
    };
    sql.replace("{}", &list)
}

/// Binds `from` … `from + n - 1` of a statement whose every bind is made here ([`bind_at`]).
pub(super) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(bind_at).collect::<Vec<_>>().join(", ")
}

/// The longest list bound after numbered binds where those cost more (`ANONYMOUS_BINDS`).
const NUMBERED_LIST: usize = 240;

/// The rows of `sql` for `values`, in as many statements as the backend's bind limit asks: one
/// read for a whole batch instead of one per value. `fixed` are bound first, as `$1`…; `{}`
/// in `sql` is where the list goes. Without `fixed`, `sql` binds nothing but the list.
pub(super) async fn rows_in<V>(
    conn: &mut <Db as sqlx::Database>::Connection,
    sql: &str,
    fixed: &[i64],
    values: &[V],
) -> StoreResult<Vec<super::DbRow>>
where
    V: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Clone + Send + Sync,
{
    let mut all = Vec::new();
    // After numbered binds the list is numbered too; where numbered binds cost more
    // (`ANONYMOUS_BINDS`: sqlx-sqlite looks each up by name, at a cost growing with the square
    // of the statement's binds), such lists are kept short.
    let per = match (fixed.len(), ANONYMOUS_BINDS) {
        (0, _) => BULK_BINDS,
        (_, true) => NUMBERED_LIST,
        (n, false) => BULK_BINDS - n,
    };
    for chunk in values.chunks(per) {
        let sql = with_list(sql, fixed.len(), chunk.len());
        let mut q = sqlx::query(&sql);
        for f in fixed {
            q = q.bind(*f);
        }
        for v in chunk {
            q = q.bind(v.clone());
        }
        all.extend(q.fetch_all(&mut *conn).await.map_err(err)?);
    }
    Ok(all)
}
