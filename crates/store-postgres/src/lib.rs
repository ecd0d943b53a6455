//! The PostgreSQL store: for regions and national operators running several `bro` instances.
//!
//! The audit chain's head row is locked with `SELECT … FOR UPDATE`, so appends to one tenant's
//! chain serialise across connections and instances while other tenants proceed in parallel.

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

use bro_store::{StoreError, StoreResult};
use sql::{AuditWriter, err};

/// The SQL both backends share: one module per capability, written against the items below.
#[path = "../../store/sql/mod.rs"]
mod sql;

type Db = sqlx::Postgres;
type Backend = PostgresStore;

/// Writes serialise where they meet: on locked rows and the audit chain's head.
const BEGIN_WRITE: &str = "BEGIN";

/// Locks the row a write transaction checks before it changes it (e.g. a course being closed).
const ROW_LOCK: &str = " FOR UPDATE";

/// Bind parameters per bulk INSERT: fewer round trips, well under PostgreSQL's 65,535.
const BULK_BINDS: usize = 4_000;
/// After rows with explicit ids, the table's sequence continues after the largest.
const RESET_SEQUENCE: Option<&str> =
    Some("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))");
/// PostgreSQL knows only numbered binds.
const ANONYMOUS_BINDS: bool = false;
/// Ids from the table's sequence: no other writer gets them, whether this transaction commits
/// or not.
const RESERVE_IDS: &str =
    "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1::bigint)";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone, Debug)]
pub struct PostgresStore {
    pool: PgPool,
    audit_writer: AuditWriter,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://…`). With `schema`, every connection works in that schema
    /// (tests give each test its own).
    pub async fn connect(url: &str, schema: Option<&str>) -> StoreResult<Self> {
        let mut options =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        if let Some(schema) = schema {
            options = options.options([("search_path", schema)]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let audit_writer = AuditWriter::start(pool.clone());
        Ok(Self { pool, audit_writer })
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Database(e.to_string()))
    }

    async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, Db>> {
        self.pool.begin_with(BEGIN_WRITE).await.map_err(err)
    }

    /// Runs raw SQL: for tests that play the attacker and for creating test schemas.
    pub async fn execute_raw(&self, sql: &str) -> StoreResult<u64> {
        let done = sqlx::raw_sql(sql).execute(&self.pool).await.map_err(err)?;
        Ok(done.rows_affected())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
