//! Matching kept messages to citizens later: a message whose CPR number no citizen had waits
//! with its episode (the number beside it); once the citizen is in Bro, the receiving
//! organisation's admin matches again and the episode becomes the citizen's, by the whole CPR
//! number only, never a guess.

use bro_audit::AuditAction;
use bro_domain::{CitizenId, OrgId};
use bro_store::{AuditCtx, AuditEvent, StoreResult};
use sqlx::Row;

use super::chain::append;
use super::{commit, err};
use crate::Backend;

impl Backend {
    pub(super) async fn rematch(&self, audit: &AuditCtx, org: OrgId) -> StoreResult<usize> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT e.id, z.id AS citizen_id FROM hospital_episodes e JOIN citizens z ON z.cpr = e.cpr \
             WHERE e.org_id = $1 AND e.citizen_id IS NULL",
        )
        .bind(org.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        for r in &rows {
            let episode: i64 = r.try_get("id").map_err(err)?;
            let citizen = CitizenId(r.try_get("citizen_id").map_err(err)?);
            sqlx::query(
                "UPDATE hospital_episodes SET citizen_id = $1, cpr = NULL, updated_ms = $2 WHERE id = $3",
            )
            .bind(citizen.0)
            .bind(audit.at_ms)
            .bind(episode)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            let event = AuditEvent::allowed(AuditAction::HospitalEpisodeMatched)
                .subject(citizen)
                .object(format!("hospital-episode:{episode}"));
            append(&mut tx, audit, &event).await?;
        }
        commit(tx).await?;
        Ok(rows.len())
    }
}
