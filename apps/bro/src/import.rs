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

/// `bro import medcom PATH…`: each message through the one pipeline every hospital message
/// takes, one line per message, `FEED_BATCH` messages to a transaction. The words (accepted,
/// duplicate, unmatched, rejected) are a contract: scripts read them. The next batch is read
/// and parsed while the store keeps the one before; batches are kept one after another, in
/// order, and a batch that fails stops the import before the next is kept.
pub async fn medcom(database: &str, paths: &[std::path::PathBuf]) -> Result<(), String> {
    use bro_web::hospital_intake::{FEED_BATCH, Intake, keep_all, read_all};
    let files = message_files(paths)?;
    let store = crate::open::open(database).await?;
    let mut tally = Tally::default();
    let mut keeping = None;
    for files in files.chunks(FEED_BATCH) {
        let mut bodies = Vec::with_capacity(files.len());
        for file in files {
            bodies.push(std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?);
        }
        let now = SystemClock.now_ms();
        let intakes: Vec<_> = bodies.iter().map(|b| (now, Intake::file(b))).collect();
        let read = read_all(&store, &intakes).await;
        if let Some((before, kept)) = keeping.take() {
            tally.report(before, kept).await?;
        }
        let store = store.clone();
        keeping = Some((
            files,
            tokio::spawn(async move { keep_all(&store, read).await }),
        ));
    }
    if let Some((before, kept)) = keeping.take() {
        tally.report(before, kept).await?;
    }
    let [accepted, duplicate, unmatched, refused] = tally.counts;
    println!(
        "{accepted} accepted, {duplicate} duplicate, {unmatched} unmatched, {refused} rejected"
    );
    if refused > 0 {
        Err(format!("{refused} message(s) rejected"))
    } else {
        Ok(())
    }
}

/// How many messages came to each end: accepted, duplicate, unmatched, rejected.
#[derive(Default)]
struct Tally {
    counts: [usize; 4],
}

impl Tally {
    /// Prints one line per message of a batch, once the store has kept it.
    async fn report(
        &mut self,
        files: &[std::path::PathBuf],
        kept: tokio::task::JoinHandle<
            Vec<bro_store::StoreResult<bro_web::hospital_intake::Received>>,
        >,
    ) -> Result<(), String> {
        let received = kept.await.map_err(|e| format!("the import stopped: {e}"))?;
        for (file, received) in files.iter().zip(received) {
            let received = received.map_err(|e| format!("{}: {e}", file.display()))?;
            let (k, said) = match received.receipt {
                bro_store::Receipt::Accepted { .. } => (0, "accepted".to_owned()),
                bro_store::Receipt::Duplicate => (1, "duplicate".to_owned()),
                bro_store::Receipt::Unmatched { .. } => (2, "unmatched".to_owned()),
                bro_store::Receipt::Rejected { reason } => (3, format!("rejected: {reason}")),
            };
            self.counts[k] += 1;
            println!("{}: {said}", file.display());
        }
        Ok(())
    }
}

/// The files named, and the `.json` files in the folders named, each folder's in name order.
fn message_files(paths: &[std::path::PathBuf]) -> Result<Vec<std::path::PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}
