//! `bro import hsds FILE`: another directory's HSDS 3.0 open data (a municipality's, say) into
//! Bro as offers of external organisations: searchable in the directory, read-only, kept apart
//! from Bro's own offers and served again in Bro's open data as their source published them.
//! A file with any bad record imports nothing and names every problem by record and field;
//! importing the same source again replaces what it held.

use bro_audit::PLATFORM_TENANT;
use bro_domain::{Clock, SystemClock};
use bro_store::AuditCtx;
use std::path::Path;

/// Problems listed at most; the count says how many there were.
const SHOWN: usize = 50;

pub async fn hsds(database: &str, file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let store = crate::open::open(database).await?;
    let stored = store
        .meta(bro_hsds::NAMESPACE_KEY)
        .await
        .map_err(|e| e.to_string())?;
    let ns = bro_hsds::namespace_from(stored.as_deref());
    let directory = bro_hsds::import::read(&text, ns).map_err(|errors| {
        let mut said = format!(
            "{}: nothing imported; {} problem(s):",
            file.display(),
            errors.len()
        );
        for e in errors.iter().take(SHOWN) {
            said.push_str(&format!("\n  {e}"));
        }
        said
    })?;
    let (organisations, services) = directory.into_store();
    let ctx = AuditCtx::system(PLATFORM_TENANT, SystemClock.now_ms(), "hsds-import");
    let counts = store
        .import_external(&ctx, &organisations, &services)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "imported {} services of {} organizations from {}: {} new, {} replaced",
        services.len(),
        organisations.len(),
        file.display(),
        counts.added,
        counts.replaced
    );
    Ok(())
}
