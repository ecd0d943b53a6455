//! Temporary care places: beds, closed days, stays and their history. Booking and extending
//! hold the bed's row first (a write lock on SQLite, `FOR UPDATE` on PostgreSQL), so the
//! check for a free bed and the booking are one step: two bookings of the same days never both
//! succeed. A stay's arrival and end also move its referral (in progress, completed).

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::care_place::{DEFAULT_MAX_DAYS, NextStep, StayAction};
use bro_domain::referral::{ReferralAction, ReferralStatus};
use bro_domain::{CitizenId, CourseId, OrgId, UnitId};
use bro_store::{
    AuditCtx, AuditEvent, Bed, BedClosure, CareStore, Conflict, ReviewSeries, Stay, StayChange,
    StayEvent, StoreError, StoreResult, UnitStay,
};
use sqlx::Row;
use time::Date;

use super::chain::append;
use super::courses::course_event;
use super::{DbRow, Tx, coded, commit, corrupt, db_err, err};
use crate::{Backend, ROW_LOCK};

fn day(d: Date) -> String {
    d.to_string()
}

/// A stored day (`YYYY-MM-DD`) read back; `column` names it in the error.
pub(super) fn parse_day(text: &str, column: &str) -> StoreResult<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).map_err(|_| corrupt(column))
}

pub(super) fn date_of(r: &DbRow, column: &str) -> StoreResult<Date> {
    let text: String = r.try_get(column).map_err(err)?;
    parse_day(&text, column)
}

pub(super) const STAY: &str = "SELECT s.id, s.referral_id, s.bed_id, b.name AS bed, s.start_day, s.end_day, s.arrived_ms, s.ended, \
     s.next_step, s.version FROM care_stays s JOIN care_beds b ON b.id = s.bed_id";

pub(super) fn stay_from_row(r: &DbRow) -> StoreResult<Stay> {
    let next: Option<String> = r.try_get("next_step").map_err(err)?;
    Ok(Stay {
        id: r.try_get("id").map_err(err)?,
        referral_id: r.try_get("referral_id").map_err(err)?,
        bed_id: r.try_get("bed_id").map_err(err)?,
        bed: r.try_get("bed").map_err(err)?,
        start: date_of(r, "start_day")?,
        end: date_of(r, "end_day")?,
        arrived_ms: r.try_get("arrived_ms").map_err(err)?,
        ended: r.try_get("ended").map_err(err)?,
        next_step: next.as_deref().and_then(NextStep::parse),
        version: r.try_get("version").map_err(err)?,
    })
}

/// Holds `bed` for the rest of the transaction and refuses `[start, end)` when another stay
/// (not `except`) or a closure takes one of its days.
async fn hold_free_bed(
    tx: &mut Tx,
    bed: i64,
    start: Date,
    end: Date,
    except: i64,
) -> StoreResult<i64> {
    let unit: i64 = sqlx::query_scalar(&format!(
        "SELECT unit_id FROM care_beds WHERE id = $1{ROW_LOCK}"
    ))
    .bind(bed)
    .fetch_optional(&mut **tx)
    .await
    .map_err(err)?
    .ok_or(StoreError::NotFound)?;
    let taken: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM care_stays WHERE bed_id = $1 AND id <> $4 AND start_day < $3 AND end_day > $2) \
         + (SELECT COUNT(*) FROM care_bed_closures WHERE bed_id = $1 AND from_day < $3 AND to_day > $2)",
    )
    .bind(bed)
    .bind(day(start))
    .bind(day(end))
    .bind(except)
    .fetch_one(&mut **tx)
    .await
    .map_err(err)?;
    if taken > 0 {
        return Err(StoreError::Conflict(Conflict::BedTaken));
    }
    Ok(unit)
}

async fn stay_event(
    tx: &mut Tx,
    audit: &AuditCtx,
    stay: i64,
    action: StayAction,
    note: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO care_stay_events (stay_id, at_ms, user_id, action, note) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(stay)
    .bind(audit.at_ms)
    .bind(audit.actor_user_id.map(|u| u.0))
    .bind(action.as_str())
    .bind(note)
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    // The course's timeline says only which referral's stay moved: who may read the step is
    // decided when the timeline is shown, by the referral's sharing.
    let (course, referral): (i64, i64) = sqlx::query_as(
        "SELECT r.course_id, r.id FROM care_stays s JOIN referrals r ON r.id = s.referral_id WHERE s.id = $1",
    )
    .bind(stay)
    .fetch_one(&mut **tx)
    .await
    .map_err(err)?;
    let kind = format!("stay_{}", action.as_str());
    course_event(tx, audit, CourseId(course), &kind, &referral.to_string()).await
}

/// Moves the stay's referral from `from` to `to` with a history row, as the stay's change.
async fn move_referral(
    tx: &mut Tx,
    audit: &AuditCtx,
    referral: i64,
    (action, from, to): (ReferralAction, ReferralStatus, ReferralStatus),
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE referrals SET status = $1, version = version + 1 WHERE id = $2 AND status = $3",
    )
    .bind(to.as_str())
    .bind(referral)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    if done.rows_affected() == 1 {
        sqlx::query(
            "INSERT INTO referral_events (referral_id, at_ms, user_id, org_id, action, from_status, to_status, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, '')",
        )
        .bind(referral)
        .bind(audit.at_ms)
        .bind(audit.actor_user_id.map(|u| u.0))
        .bind(audit.tenant_id)
        .bind(action.as_str())
        .bind(from.as_str())
        .bind(to.as_str())
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    }
    Ok(())
}

fn stay_audit(action: AuditAction, citizen: CitizenId, stay: i64) -> AuditEvent {
    AuditEvent::allowed(action)
        .subject(citizen)
        .object(format!("stay:{stay}"))
}

#[async_trait]
impl CareStore for Backend {
    async fn beds(&self, unit: UnitId) -> StoreResult<Vec<Bed>> {
        let rows = sqlx::query("SELECT id, name FROM care_beds WHERE unit_id = $1 ORDER BY name")
            .bind(unit.0)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(Bed {
                    id: r.try_get("id").map_err(err)?,
                    name: r.try_get("name").map_err(err)?,
                })
            })
            .collect()
    }

    async fn add_bed(&self, audit: &AuditCtx, unit: UnitId, name: &str) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO care_beds (unit_id, name, created_ms) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(unit.0)
        .bind(name.trim())
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Name))?;
        let event = AuditEvent::allowed(AuditAction::BedChanged).object(format!("bed:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn close_bed(&self, audit: &AuditCtx, unit: UnitId, c: &BedClosure) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let own: Option<i64> =
            sqlx::query_scalar("SELECT id FROM care_beds WHERE id = $1 AND unit_id = $2")
                .bind(c.bed_id)
                .bind(unit.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(err)?;
        own.ok_or(StoreError::NotFound)?;
        // A bed cannot close under a stay.
        hold_free_bed(&mut tx, c.bed_id, c.from, c.to, 0).await?;
        sqlx::query(
            "INSERT INTO care_bed_closures (bed_id, from_day, to_day, reason, created_ms) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(c.bed_id)
        .bind(day(c.from))
        .bind(day(c.to))
        .bind(c.reason.trim())
        .bind(audit.at_ms)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        let event =
            AuditEvent::allowed(AuditAction::BedChanged).object(format!("bed:{}", c.bed_id));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn bed_closures(
        &self,
        unit: UnitId,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<BedClosure>> {
        let rows = sqlx::query(
            "SELECT c.bed_id, c.from_day, c.to_day, c.reason FROM care_bed_closures c JOIN care_beds b ON b.id = c.bed_id \
             WHERE b.unit_id = $1 AND c.from_day < $3 AND c.to_day > $2 ORDER BY c.from_day",
        )
        .bind(unit.0)
        .bind(day(from))
        .bind(day(to))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(BedClosure {
                    bed_id: r.try_get("bed_id").map_err(err)?,
                    from: date_of(r, "from_day")?,
                    to: date_of(r, "to_day")?,
                    reason: r.try_get("reason").map_err(err)?,
                })
            })
            .collect()
    }

    async fn max_stay_days(&self, unit: UnitId) -> StoreResult<i64> {
        let max: Option<Option<i64>> =
            sqlx::query_scalar("SELECT max_stay_days FROM units WHERE id = $1")
                .bind(unit.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(err)?;
        Ok(max.ok_or(StoreError::NotFound)?.unwrap_or(DEFAULT_MAX_DAYS))
    }

    async fn set_max_stay_days(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        days: i64,
    ) -> StoreResult<()> {
        let object = format!("unit:{}:max-stay", unit.0);
        self.set_unit_setting(audit, unit, ("max_stay_days", days), object)
            .await
    }

    async fn book_stay(
        &self,
        audit: &AuditCtx,
        referral: i64,
        bed: i64,
        start: Date,
        end: Date,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let unit = hold_free_bed(&mut tx, bed, start, end, 0).await?;
        let r = sqlx::query(
            "SELECT citizen_id, receiving_unit_id FROM referrals WHERE id = $1 AND status = 'accepted'",
        )
        .bind(referral)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        if r.try_get::<i64, _>("receiving_unit_id").map_err(err)? != unit {
            return Err(StoreError::NotFound);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO care_stays (referral_id, unit_id, bed_id, start_day, end_day, version, created_ms) \
             VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
        )
        .bind(referral)
        .bind(unit)
        .bind(bed)
        .bind(day(start))
        .bind(day(end))
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Stay))?;
        stay_event(&mut tx, audit, id, StayAction::Booked, "").await?;
        let citizen = CitizenId(r.try_get("citizen_id").map_err(err)?);
        append(
            &mut tx,
            audit,
            &stay_audit(AuditAction::StayChanged, citizen, id),
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn referral_stay(&self, referral: i64) -> StoreResult<Option<(Stay, Vec<StayEvent>)>> {
        let row = sqlx::query(&format!("{STAY} WHERE s.referral_id = $1"))
            .bind(referral)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let stay = stay_from_row(&row)?;
        let rows = sqlx::query(
            "SELECT e.at_ms, COALESCE(u.display_name, '') AS who, e.action, e.note FROM care_stay_events e \
             LEFT JOIN users u ON u.id = e.user_id WHERE e.stay_id = $1 ORDER BY e.id",
        )
        .bind(stay.id)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let events = rows
            .iter()
            .map(|r| {
                Ok(StayEvent {
                    at_ms: r.try_get("at_ms").map_err(err)?,
                    who: r.try_get("who").map_err(err)?,
                    action: coded(r, "action", StayAction::parse)?,
                    note: r.try_get("note").map_err(err)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some((stay, events)))
    }

    async fn change_stay(
        &self,
        audit: &AuditCtx,
        id: i64,
        base_version: i64,
        change: &StayChange,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!("{STAY} WHERE s.id = $1{ROW_LOCK}"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        let stay = stay_from_row(&row)?;
        if stay.version != base_version || stay.ended {
            return Err(StoreError::Conflict(Conflict::Stay));
        }
        let citizen: i64 = sqlx::query_scalar("SELECT citizen_id FROM referrals WHERE id = $1")
            .bind(stay.referral_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
        let (action, note) = match change {
            StayChange::Arrive => {
                sqlx::query("UPDATE care_stays SET arrived_ms = $1 WHERE id = $2")
                    .bind(audit.at_ms)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
                let step = (
                    ReferralAction::Start,
                    ReferralStatus::Accepted,
                    ReferralStatus::InProgress,
                );
                move_referral(&mut tx, audit, stay.referral_id, step).await?;
                (StayAction::Arrived, String::new())
            }
            StayChange::Extend { to, reason } => {
                hold_free_bed(&mut tx, stay.bed_id, stay.start, *to, id).await?;
                sqlx::query("UPDATE care_stays SET end_day = $1 WHERE id = $2")
                    .bind(day(*to))
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(err)?;
                (StayAction::Extended, reason.trim().to_owned())
            }
            StayChange::End {
                day: last,
                next,
                note,
            } => {
                sqlx::query(
                    "UPDATE care_stays SET end_day = $1, ended = $2, next_step = $3 WHERE id = $4",
                )
                .bind(day(*last))
                .bind(true)
                .bind(next.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
                let step = (
                    ReferralAction::Complete,
                    ReferralStatus::InProgress,
                    ReferralStatus::Completed,
                );
                move_referral(&mut tx, audit, stay.referral_id, step).await?;
                (StayAction::Ended, note.trim().to_owned())
            }
        };
        sqlx::query("UPDATE care_stays SET version = version + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        stay_event(&mut tx, audit, id, action, &note).await?;
        let event = stay_audit(AuditAction::StayChanged, CitizenId(citizen), id);
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn agreement(&self, stay: i64) -> StoreResult<Vec<bro_store::AgreementVersion>> {
        self.agreement_versions(stay).await
    }

    async fn write_agreement(
        &self,
        audit: &AuditCtx,
        stay: i64,
        new: &bro_store::NewAgreementVersion,
    ) -> StoreResult<i64> {
        self.write_agreement_version(audit, stay, new).await
    }

    async fn last_reviews(&self, stays: &[i64]) -> StoreResult<Vec<(i64, Date)>> {
        self.last_review_days(stays).await
    }

    async fn review_series(&self, unit: UnitId) -> StoreResult<Option<ReviewSeries>> {
        self.unit_review_series(unit).await
    }

    async fn series_choices(&self, org: OrgId) -> StoreResult<Vec<ReviewSeries>> {
        self.series_of_org(org).await
    }

    async fn set_review_series(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        series: i64,
    ) -> StoreResult<()> {
        let object = format!("unit:{}:review-series:{series}", unit.0);
        self.set_unit_setting(audit, unit, ("review_series_id", series), object)
            .await
    }

    async fn reviewed_units(&self, series: i64) -> StoreResult<Vec<UnitId>> {
        self.units_reviewed_at(series).await
    }

    async fn stays_on(&self, unit: UnitId, on: Date) -> StoreResult<Vec<Stay>> {
        self.stays_under_way(unit, on).await
    }

    async fn unit_stays(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<UnitStay>> {
        let mut tx = self.begin_read().await?;
        // Holding a bed on a day of the range, or booked to begin later and not yet arrived.
        let rows = sqlx::query(
            "SELECT s.id, s.referral_id, s.bed_id, b.name AS bed, s.start_day, s.end_day, s.arrived_ms, s.ended, \
             s.next_step, s.version, r.citizen_id, r.course_id, z.given_name || ' ' || z.family_name AS citizen_name \
             FROM care_stays s JOIN care_beds b ON b.id = s.bed_id JOIN referrals r ON r.id = s.referral_id \
             JOIN citizens z ON z.id = r.citizen_id WHERE s.unit_id = $1 AND s.end_day > $2 \
             AND (s.start_day < $3 OR s.arrived_ms IS NULL) ORDER BY s.start_day, s.id",
        )
        .bind(unit.0)
        .bind(day(from))
        .bind(day(to))
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len());
        for r in &rows {
            let citizen = CitizenId(r.try_get("citizen_id").map_err(err)?);
            let stay = stay_from_row(r)?;
            let event = stay_audit(AuditAction::StaysListed, citizen, stay.id);
            records.push((audit.tenant_id, audit.fields(&event)));
            out.push(UnitStay {
                citizen_id: citizen,
                citizen_name: r.try_get("citizen_name").map_err(err)?,
                course_id: CourseId(r.try_get("course_id").map_err(err)?),
                stay,
            });
        }
        self.finish_read_many(tx, records).await?;
        Ok(out)
    }
}
