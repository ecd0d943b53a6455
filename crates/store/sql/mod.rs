//! The SQL both backends share, one module per capability. Each backend crate compiles this
//! tree as a module of its own (`#[path = "../../store/sql/mod.rs"] mod sql;`): one SQL text,
//! the backend's types. Everything here is plain SQL that SQLite and PostgreSQL read alike
//! ($n placeholders, RETURNING, ON CONFLICT); a statement that needs a dialect belongs in the
//! backend crate.
//!
//! What each backend defines at its crate root, and the modules use as `crate::…`:
//! - `type Db`: the sqlx database type;
//! - `type Backend`: the store, with `pool`, `audit_writer` and `async fn begin_write(&self)`;
//! - `BEGIN_WRITE`: the statement that opens a write transaction;
//! - `ROW_LOCK`: suffix that locks a row a write checks first ("" or " FOR UPDATE");
//! - `BULK_BINDS`, `RESET_SEQUENCE`: bind parameters per bulk INSERT, and what makes a table's
//!   sequence continue after rows with explicit ids;
//! - `RESERVE_IDS`: the query that takes `$1` new ids of `{table}` inside a write transaction;
//! - `ANONYMOUS_BINDS`: whether a statement whose binds are all generated uses `?` for them.
//!
//! The helpers every module uses (errors, commit, row decoding) are here.

mod agreements;
mod appointment_flags;
mod appointment_reads;
mod appointment_reminders;
mod appointments;
mod audit;
mod bulk;
mod care_agreements;
mod care_places;
mod care_reviews;
mod care_team;
mod cases;
mod chain;
mod citizens;
mod collaborations;
mod consent_rules;
mod consents;
mod courses;
mod deliveries;
mod emergency;
mod escort_reads;
mod escorts;
mod external_offers;
mod feeds;
mod group_commit;
mod hospital;
mod hospital_batch;
mod hospital_clients;
mod hospital_follow_ups;
mod hospital_keep;
mod hospital_matching;
mod hospital_overview;
mod hospital_reads;
mod hospital_slots;
mod meetings;
mod meta;
mod my_courses;
mod notice_mail;
mod notices;
mod offers;
mod orgs;
mod outreach;
mod plans;
mod referral_attachments;
mod referrals;
mod rows;
mod search;
mod sessions;
mod sharing;
mod teams;
mod throttle;
mod users;

pub(crate) use group_commit::AuditWriter;

use bro_domain::UserId;
use bro_domain::meeting::Score;
use bro_store::{AuditCtx, Conflict, StoreError, StoreResult};
use sqlx::Row;

use crate::Db;

type Tx = sqlx::Transaction<'static, Db>;

/// Maps a sqlx error; `unique` names the field a uniqueness violation is about.
fn db_err(unique: Conflict) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(unique),
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound,
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(e.to_string()),
        _ => StoreError::Database(e.to_string()),
    }
}

pub(crate) fn err(e: sqlx::Error) -> StoreError {
    db_err(Conflict::Unknown)(e)
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_owned())
}

async fn commit(tx: Tx) -> StoreResult<()> {
    tx.commit().await.map_err(err)
}

type DbRow = <Db as sqlx::Database>::Row;

fn coded<T>(r: &DbRow, column: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    let code: String = r.try_get(column).map_err(err)?;
    parse(&code).ok_or_else(|| corrupt(column))
}

fn score(r: &DbRow, column: &str) -> StoreResult<Score> {
    let n: i64 = r.try_get(column).map_err(err)?;
    u8::try_from(n)
        .ok()
        .and_then(Score::new)
        .ok_or_else(|| corrupt(column))
}

fn actor(audit: &AuditCtx) -> StoreResult<UserId> {
    audit
        .actor_user_id
        .ok_or_else(|| StoreError::Corrupt("this act is done by someone logged in".into()))
}
