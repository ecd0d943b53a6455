//! Where a care place unit reviews its stays: the meeting series whose meetings are its
//! fortnightly reviews, and the stays under way on a meeting's day (its agenda).

use bro_audit::AuditAction;
use bro_domain::{OrgId, TeamId, UnitId};
use bro_store::{AuditCtx, AuditEvent, ReviewSeries, Stay, StoreError, StoreResult};
use sqlx::Row;
use time::Date;

use super::chain::append;
use super::{commit, err};
use crate::Backend;

const SERIES: &str = "SELECT s.id, s.team_id, t.name AS team_name, s.title FROM meeting_series s \
     JOIN teams t ON t.id = s.team_id";

fn series_from_row(r: &super::DbRow) -> StoreResult<ReviewSeries> {
    Ok(ReviewSeries {
        id: r.try_get("id").map_err(err)?,
        team_id: TeamId(r.try_get("team_id").map_err(err)?),
        team_name: r.try_get("team_name").map_err(err)?,
        title: r.try_get("title").map_err(err)?,
    })
}

impl Backend {
    pub(super) async fn unit_review_series(
        &self,
        unit: UnitId,
    ) -> StoreResult<Option<ReviewSeries>> {
        let row = sqlx::query(&format!(
            "{SERIES} JOIN units u ON u.review_series_id = s.id WHERE u.id = $1"
        ))
        .bind(unit.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(series_from_row).transpose()
    }

    /// The series of the teams of every collaboration `org` takes part in.
    pub(super) async fn series_of_org(&self, org: OrgId) -> StoreResult<Vec<ReviewSeries>> {
        let rows = sqlx::query(&format!(
            "{SERIES} WHERE t.collaboration_id IN \
             (SELECT collaboration_id FROM collaboration_orgs WHERE org_id = $1) ORDER BY t.name, s.title, s.id"
        ))
        .bind(org.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(series_from_row).collect()
    }

    /// Sets one of a care place unit's settings (`column`, a name from this module's callers,
    /// never from a request) and writes its audit record, in one transaction.
    pub(super) async fn set_unit_setting(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        (column, value): (&'static str, i64),
        object: String,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(&format!("UPDATE units SET {column} = $1 WHERE id = $2"))
            .bind(value)
            .bind(unit.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::BedChanged).object(object);
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    pub(super) async fn units_reviewed_at(&self, series: i64) -> StoreResult<Vec<UnitId>> {
        let units: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM units WHERE review_series_id = $1 ORDER BY id")
                .bind(series)
                .fetch_all(&self.pool)
                .await
                .map_err(err)?;
        Ok(units.into_iter().map(UnitId).collect())
    }

    /// The unit's stays holding a bed on `on`: the day is in `[start, end)`, and an ended
    /// stay's end is the day it ended, so a stay leaves the agenda with its discharge.
    pub(super) async fn stays_under_way(&self, unit: UnitId, on: Date) -> StoreResult<Vec<Stay>> {
        let rows = sqlx::query(&format!(
            "{} WHERE s.unit_id = $1 AND s.start_day <= $2 AND s.end_day > $2 ORDER BY b.name, s.id",
            super::care_places::STAY
        ))
        .bind(unit.0)
        .bind(on.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(super::care_places::stay_from_row).collect()
    }
}
