//! The SQLite store: the embedded default for a municipality on one machine and for the demo.
//!
//! WAL mode with a busy timeout; every write transaction starts with `BEGIN IMMEDIATE`, which
//! takes the write lock up front, so the audit chain is extended by one writer at a time.

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

use bro_store::{StoreError, StoreResult};
use sql::{AuditWriter, err};

/// The SQL both backends share: one module per capability, written against the items below.
#[path = "../../store/sql/mod.rs"]
mod sql;

type Db = sqlx::Sqlite;
type Backend = SqliteStore;

/// Takes SQLite's write lock up front, so a write never fails half-way for want of it.
const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

/// SQLite writers are serialised by BEGIN IMMEDIATE; rows need no lock of their own.
const ROW_LOCK: &str = "";

/// Bind parameters per bulk statement. Its binds are `?` (`ANONYMOUS_BINDS`), taken in order
/// at no cost per bind, so fewer, larger statements are faster; well under SQLite's 32,766.
const BULK_BINDS: usize = 2_000;
/// SQLite takes the next rowid after the largest; nothing to reset after explicit ids.
const RESET_SEQUENCE: Option<&str> = None;
/// sqlx looks each numbered bind (`$n`) up by name among all of the statement's, a cost that
/// grows with the square of a bulk statement's binds; `?` binds are taken in order, at none.
const ANONYMOUS_BINDS: bool = true;
/// The next ids after the largest: BEGIN IMMEDIATE keeps every other writer out until commit.
const RESERVE_IDS: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
     SELECT (SELECT COALESCE(MAX(id), 0) FROM {table}) + i FROM n";

/// The write-ahead log is copied back into the database once it holds this many pages (4 KiB
/// each; SQLite's default is 1,000). Under a heavy feed the pages every batch touches again
/// (index leaves, the audit chain's head) are then copied once per checkpoint, not once per
/// few batches; the log stays within some 40 MiB.
const CHECKPOINT_PAGES: u32 = 10_000;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    audit_writer: AuditWriter,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://path` or `sqlite::memory:`).
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("wal_autocheckpoint", CHECKPOINT_PAGES.to_string());
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let audit_writer = AuditWriter::start(pool.clone());
        Ok(Self { pool, audit_writer })
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Database(e.to_string()))
    }

    async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, Db>> {
        self.pool.begin_with(BEGIN_WRITE).await.map_err(err)
    }

    /// Runs raw SQL: for tests that play the attacker (tampering with the audit log).
    pub async fn execute_raw(&self, sql: &str) -> StoreResult<u64> {
        let done = sqlx::raw_sql(sql).execute(&self.pool).await.map_err(err)?;
        Ok(done.rows_affected())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
