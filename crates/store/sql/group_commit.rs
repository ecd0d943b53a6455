// Group commit of audit records that stand on their own: every read's record, denials, logouts.
//
// A page that only reads used to be a write transaction of its own: the read, one record, the
// tenant's chain head locked and a commit flushed to disk, one request after another. Now the
// read runs without the write lock and hands its records to one writer task. The writer appends
// everything that is waiting in one transaction, and each caller gets its answer only after that
// commit, so no data leaves the store without its record on disk and no record is ever dropped.
// Under load many reads share one flush and one head update per tenant; alone, a read waits for
// no one. Writes that change data still append in their own transaction (`append`).
//
// The writer keeps its connection while records keep coming: fetching one from the pool would
// put every commit at the back of the queue of readers waiting for a connection, and the readers
// in turn wait for that commit. It lets go when the queue is empty, so an idle store holds
// nothing and the pool can close.
//
//
// The backend defines `BEGIN_WRITE`, the statement that opens a write transaction.

#[cfg(feature = "bench-no-read-audit")]
use bro_audit::AuditAction;
use bro_audit::AuditFields;
use bro_store::{AuditCtx, AuditEvent, StoreError, StoreResult};
use sqlx::Connection as _;
use sqlx::pool::PoolConnection;
use tokio::sync::{mpsc, oneshot};

use super::chain::append_many;
use super::{Tx, commit, err};
use crate::{BEGIN_WRITE, Backend, Db};

/// At most this many callers share one transaction (a search brings up to 50 records).
const GROUP_MAX: usize = 128;
/// Callers waiting beyond this wait to hand in their records: back-pressure, not loss.
const QUEUE_DEPTH: usize = 4_096;

struct Pending {
    records: Vec<(i64, AuditFields)>,
    done: oneshot::Sender<StoreResult<()>>,
}

/// The handle to the one task that appends standalone records; cloned with the store.
#[derive(Clone, Debug)]
pub(crate) struct AuditWriter {
    queue: mpsc::Sender<Pending>,
}

impl AuditWriter {
    /// Starts the writer on the current Tokio runtime. It ends when the last store clone is gone.
    pub(crate) fn start(pool: sqlx::Pool<Db>) -> Self {
        let (queue, mut waiting) = mpsc::channel::<Pending>(QUEUE_DEPTH);
        tokio::spawn(async move {
            let mut group = Vec::with_capacity(GROUP_MAX);
            let mut held = None;
            while waiting.recv_many(&mut group, GROUP_MAX).await > 0 {
                commit_group(&pool, &mut held, &mut group).await;
                if waiting.is_empty() {
                    held = None;
                }
            }
        });
        Self { queue }
    }

    /// Appends `records` and returns once they are committed.
    pub(super) async fn append(&self, records: Vec<(i64, AuditFields)>) -> StoreResult<()> {
        // Benchmark builds only (see Cargo.toml): what would the pages cost without read
        // records? Every read's records come through here, so this is the one switch.
        #[cfg(feature = "bench-no-read-audit")]
        let records: Vec<(i64, AuditFields)> = records
            .into_iter()
            .filter(|(_, f)| !AuditAction::parse(&f.action).is_some_and(AuditAction::is_read))
            .collect();
        #[cfg(feature = "bench-no-read-audit")]
        if records.is_empty() {
            return Ok(());
        }
        let stopped = || StoreError::Unavailable("audit writer stopped".to_owned());
        let (done, answer) = oneshot::channel();
        self.queue
            .send(Pending { records, done })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// Commits a group in one transaction. When that fails, each caller's records are tried in a
/// transaction of their own, so one bad record fails only its own request.
async fn commit_group(
    pool: &sqlx::Pool<Db>,
    held: &mut Option<PoolConnection<Db>>,
    group: &mut Vec<Pending>,
) {
    let all: Vec<(i64, AuditFields)> = group
        .iter()
        .flat_map(|p| p.records.iter().cloned())
        .collect();
    if group.len() > 1 && append_committed(pool, held, &all).await.is_ok() {
        for p in group.drain(..) {
            // A caller that gave up (its request was dropped) needs no answer.
            let _ = p.done.send(Ok(()));
        }
        return;
    }
    for p in group.drain(..) {
        let result = append_committed(pool, held, &p.records).await;
        let _ = p.done.send(result);
    }
}

/// Appends and commits on the held connection, taking one from the pool when none is held. After
/// an error the connection goes back to the pool (which checks it before lending it again).
async fn append_committed(
    pool: &sqlx::Pool<Db>,
    held: &mut Option<PoolConnection<Db>>,
    records: &[(i64, AuditFields)],
) -> StoreResult<()> {
    let conn = match held {
        Some(conn) => conn,
        None => held.insert(pool.acquire().await.map_err(err)?),
    };
    let result = async {
        let mut tx = conn.begin_with(BEGIN_WRITE).await.map_err(err)?;
        append_many(&mut tx, records).await?;
        tx.commit().await.map_err(err)
    }
    .await;
    if result.is_err() {
        *held = None;
    }
    result
}

impl Backend {
    /// A transaction for reading: a consistent view without the write lock.
    pub(super) async fn begin_read(&self) -> StoreResult<Tx> {
        self.pool.begin().await.map_err(err)
    }

    /// Ends a read and commits its audit record; the data may be returned only after this.
    pub(super) async fn finish_read(
        &self,
        tx: Tx,
        audit: &AuditCtx,
        event: &AuditEvent,
    ) -> StoreResult<()> {
        self.finish_read_many(tx, vec![(audit.tenant_id, audit.fields(event))])
            .await
    }

    /// [`Backend::finish_read`] for a read that shows several citizens, one record each.
    pub(super) async fn finish_read_many(
        &self,
        tx: Tx,
        records: Vec<(i64, AuditFields)>,
    ) -> StoreResult<()> {
        // The view is released first: no connection is held while the record waits its turn.
        commit(tx).await?;
        if records.is_empty() {
            return Ok(());
        }
        self.audit_writer.append(records).await
    }
}
