//! Matching kept messages to citizens later: a message whose CPR number no citizen had waits
//! with its episode (the number beside it); once the citizen is in Bro, the receiving
//! organisation's admin matches again and the episode becomes the citizen's, by the whole CPR
//! number only, never a guess. The team then hears of the stay as if its messages had found
//! the citizen when they came: an alert of where the stay is now, and the follow-up after a
//! discharge.

use bro_audit::AuditAction;
use bro_domain::{CitizenId, OrgId, UserId};
use bro_store::{AuditCtx, AuditEvent, StoreResult};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

use super::chain::append;
use super::hospital_batch::Batch;
use super::hospital_keep::matched;
use super::hospital_slots::EpisodeKey;
use super::{Tx, commit, err};
use crate::Backend;

/// `org`'s unmatched episodes whose CPR number a citizen now has.
const WAITING: &str = "SELECT e.id, e.episode_system, e.episode_value, z.id AS citizen_id, z.cpr \
     FROM hospital_episodes e JOIN citizens z ON z.cpr = e.cpr \
     WHERE e.org_id = $1 AND e.citizen_id IS NULL ORDER BY e.id";

/// One waiting episode: its id, its key and the citizen with its number (and the number).
type Waiting = (i64, EpisodeKey, CitizenId, String);

async fn waiting(
    conn: &mut <crate::Db as sqlx::Database>::Connection,
    org: OrgId,
) -> StoreResult<Vec<Waiting>> {
    let rows = sqlx::query(WAITING)
        .bind(org.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(err)?;
    rows.iter()
        .map(|r| {
            let key = (
                org,
                r.try_get("episode_system").map_err(err)?,
                r.try_get("episode_value").map_err(err)?,
            );
            Ok((
                r.try_get("id").map_err(err)?,
                key,
                CitizenId(r.try_get("citizen_id").map_err(err)?),
                r.try_get("cpr").map_err(err)?,
            ))
        })
        .collect()
}

impl Backend {
    /// The citizens `org`'s unmatched episodes wait for who are now in Bro.
    pub(super) async fn waiting_matches(&self, org: OrgId) -> StoreResult<Vec<CitizenId>> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        let mut citizens: Vec<CitizenId> = waiting(&mut conn, org)
            .await?
            .into_iter()
            .map(|(_, _, c, _)| c)
            .collect();
        citizens.sort_unstable_by_key(|c| c.0);
        citizens.dedup();
        Ok(citizens)
    }

    /// Matches `org`'s waiting episodes, telling each citizen's `tell`; how many were matched.
    pub(super) async fn rematch(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        tell: &HashMap<CitizenId, Vec<UserId>>,
    ) -> StoreResult<usize> {
        let mut tx = self.begin_write().await?;
        let found = waiting(&mut tx, org).await?;
        let cprs: Vec<String> = found.iter().map(|(_, _, _, cpr)| cpr.clone()).collect();
        let told: Vec<UserId> = tell.values().flatten().copied().collect();
        let keys = found.iter().map(|(_, k, _, _)| k.clone()).collect();
        let mut b = Batch::load(&mut tx, HashSet::new(), (&cprs, &told), keys).await?;
        let pairs: Vec<(i64, CitizenId)> = found.iter().map(|(e, _, c, _)| (*e, *c)).collect();
        matched(&mut b, audit, &pairs, tell);
        b.write(&mut tx).await?;
        record(&mut tx, audit, &found).await?;
        commit(tx).await?;
        Ok(found.len())
    }
}

/// Each match in the audit log, about the citizen it gave the stay to.
async fn record(tx: &mut Tx, audit: &AuditCtx, found: &[Waiting]) -> StoreResult<()> {
    for (episode, _, citizen, _) in found {
        let event = AuditEvent::allowed(AuditAction::HospitalEpisodeMatched)
            .subject(*citizen)
            .object(format!("hospital-episode:{episode}"));
        append(tx, audit, &event).await?;
    }
    Ok(())
}
