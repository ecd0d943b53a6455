//! Opens the store named by a database URL and brings its schema up to date. The only place
//! that chooses a backend.

use bro_store::DynStore;
use bro_store_postgres::PostgresStore;
use bro_store_sqlite::SqliteStore;
use std::sync::Arc;

pub async fn open(url: &str) -> Result<DynStore, String> {
    if url.starts_with("sqlite:") {
        let store = SqliteStore::connect(url)
            .await
            .map_err(|e| format!("cannot open {}: {e}", redact(url)))?;
        store
            .migrate()
            .await
            .map_err(|e| format!("migration failed: {e}"))?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PostgresStore::connect(url, None)
            .await
            .map_err(|e| format!("cannot open {}: {e}", redact(url)))?;
        store
            .migrate()
            .await
            .map_err(|e| format!("migration failed: {e}"))?;
        Ok(Arc::new(store))
    } else {
        Err("the database URL must start with sqlite:// or postgres://".into())
    }
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_owned(),
    }
}
