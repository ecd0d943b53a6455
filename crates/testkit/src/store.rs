use bro_store::DynStore;
use bro_store_postgres::PostgresStore;
use bro_store_sqlite::SqliteStore;
use rand::Rng;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

enum Raw {
    Sqlite(SqliteStore, PathBuf),
    Postgres(PostgresStore, PostgresStore, String),
}

/// A migrated, empty store for one test. Call [`TestStore::cleanup`] at the end.
pub struct TestStore {
    pub store: DynStore,
    pub backend: Backend,
    raw: Raw,
}

/// The PostgreSQL server for tests, from `BRO_TEST_POSTGRES_URL`.
pub fn postgres_url() -> Option<String> {
    std::env::var("BRO_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

fn unique() -> String {
    let secs = std::time::UNIX_EPOCH
        .elapsed()
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{secs}_{:08x}", rand::thread_rng().r#gen::<u32>())
}

impl TestStore {
    /// A fresh store, or `None` (after saying so loudly) when PostgreSQL is not configured.
    pub async fn new(backend: Backend, test_name: &str) -> Option<TestStore> {
        Self::new_via(backend, test_name, None).await
    }

    /// Like [`TestStore::new`]; with `via`, the store reaches PostgreSQL through that address
    /// (an [`crate::OutageProxy`]).
    pub async fn new_via(
        backend: Backend,
        test_name: &str,
        via: Option<std::net::SocketAddr>,
    ) -> Option<TestStore> {
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("bro-test-{}.db", unique()));
                let url = format!("sqlite://{}", path.display());
                let store = SqliteStore::connect(&url).await.expect("open sqlite");
                store.migrate().await.expect("migrate sqlite");
                Some(TestStore {
                    store: Arc::new(store.clone()),
                    backend,
                    raw: Raw::Sqlite(store, path),
                })
            }
            Backend::Postgres => {
                let Some(url) = postgres_url() else {
                    eprintln!(
                        "SKIPPED (PostgreSQL): {test_name}: BRO_TEST_POSTGRES_URL is not set"
                    );
                    return None;
                };
                let admin = PostgresStore::connect(&url, None)
                    .await
                    .expect("connect to PostgreSQL");
                sweep_old_schemas(&admin).await;
                let schema = format!("bro_t_{}", unique());
                admin
                    .execute_raw(&format!("CREATE SCHEMA {schema}"))
                    .await
                    .expect("create schema");
                let store_url = match via {
                    Some(addr) => with_address(&url, addr),
                    None => url.clone(),
                };
                let store = PostgresStore::connect(&store_url, Some(&schema))
                    .await
                    .expect("connect to schema");
                store.migrate().await.expect("migrate postgres");
                Some(TestStore {
                    store: Arc::new(store.clone()),
                    backend,
                    raw: Raw::Postgres(store, admin, schema),
                })
            }
        }
    }

    /// The URL `bro` commands use for this store.
    pub fn url(&self) -> String {
        match &self.raw {
            Raw::Sqlite(_, path) => format!("sqlite://{}", path.display()),
            Raw::Postgres(_, _, schema) => {
                let base = postgres_url().unwrap_or_default();
                let sep = if base.contains('?') { '&' } else { '?' };
                format!("{base}{sep}options=-c%20search_path%3D{schema}")
            }
        }
    }

    /// Runs SQL as an attacker with database access would (e.g. to tamper with the audit log).
    pub async fn raw_sql(&self, sql: &str) -> Result<u64, String> {
        match &self.raw {
            Raw::Sqlite(s, _) => s.execute_raw(sql).await,
            Raw::Postgres(s, _, _) => s.execute_raw(sql).await,
        }
        .map_err(|e| e.to_string())
    }

    /// Removes the test's database or schema.
    pub async fn cleanup(self) {
        match self.raw {
            Raw::Sqlite(s, path) => {
                s.close().await;
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Raw::Postgres(s, admin, schema) => {
                s.close().await;
                let _ = admin
                    .execute_raw(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .await;
                admin.close().await;
            }
        }
    }
}

/// `url` with its host and port replaced by `addr`.
fn with_address(url: &str, addr: std::net::SocketAddr) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let userinfo = authority
        .rsplit_once('@')
        .map(|(u, _)| format!("{u}@"))
        .unwrap_or_default();
    format!("{scheme}://{userinfo}{addr}/{path}")
}

/// The host and port of a PostgreSQL URL.
pub fn postgres_address(url: &str) -> Option<std::net::SocketAddr> {
    use std::net::ToSocketAddrs;
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let hostport = if hostport.contains(':') {
        hostport.to_owned()
    } else {
        format!("{hostport}:5432")
    };
    hostport.to_socket_addrs().ok()?.next()
}

/// Drops test schemas left behind by crashed runs more than an hour ago.
async fn sweep_old_schemas(admin: &PostgresStore) {
    let cutoff = std::time::UNIX_EPOCH
        .elapsed()
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .saturating_sub(3600);
    let sql = format!(
        "DO $$ DECLARE s record; BEGIN \
         FOR s IN SELECT nspname FROM pg_namespace WHERE nspname ~ '^bro_t_[0-9]+_' \
           AND split_part(nspname, '_', 3)::bigint < {cutoff} LOOP \
           EXECUTE 'DROP SCHEMA IF EXISTS ' || quote_ident(s.nspname) || ' CASCADE'; \
         END LOOP; END $$;"
    );
    let _ = admin.execute_raw(&sql).await;
}
