//! Appointments: booking, moving and cancelling (each a new version in
//! `appointment_versions`, the row holding the current one), what happened, recorded once by
//! the booking unit, and the coordinator's follow-up after a no-show. Reads are in
//! `appointment_reads`.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::appointment::{Attendance, FollowUpAction, share_category};
use bro_domain::notice::NoticeKind;
use bro_domain::{CitizenId, CourseId, OrgId, ShareCategory, Timestamp, UnitId, UserId};
use bro_store::{
    AppointmentFacts, AppointmentStore, AuditCtx, AuditEvent, Conflict, CourseAppointments,
    NewAppointment, Slot, StoreError, StoreResult, UnitAppointment,
};
use sqlx::Row;

use super::chain::append;
use super::courses::lock_open_course;
use super::notices::{About, notify};
use super::{DbRow, Tx, actor, coded, commit, err};
use crate::{Backend, ROW_LOCK};

/// The columns [`facts_from`] reads.
const FACTS: &str = "id, course_id, citizen_id, org_id, unit_id, kind, starts_ms, version, \
                     cancelled_ms, attendance";

fn facts_from(r: &DbRow) -> StoreResult<AppointmentFacts> {
    Ok(AppointmentFacts {
        id: r.try_get("id").map_err(err)?,
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        citizen_id: CitizenId(r.try_get("citizen_id").map_err(err)?),
        org_id: OrgId(r.try_get("org_id").map_err(err)?),
        unit_id: UnitId(r.try_get("unit_id").map_err(err)?),
        kind: coded(r, "kind", bro_domain::appointment::AppointmentKind::parse)?,
        starts_ms: r.try_get("starts_ms").map_err(err)?,
        version: r.try_get("version").map_err(err)?,
        cancelled: r
            .try_get::<Option<i64>, _>("cancelled_ms")
            .map_err(err)?
            .is_some(),
        recorded: r
            .try_get::<Option<String>, _>("attendance")
            .map_err(err)?
            .is_some(),
    })
}

/// The appointment, locked for the rest of the transaction.
pub(super) async fn lock(tx: &mut Tx, id: i64) -> StoreResult<AppointmentFacts> {
    let sql = format!("SELECT {FACTS} FROM appointments WHERE id = $1{ROW_LOCK}");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
    facts_from(&row)
}

/// Writes version `version` of appointment `id`.
async fn keep_version(
    tx: &mut Tx,
    audit: &AuditCtx,
    (id, version): (i64, i64),
    slot: &Slot,
    (cancelled, reason): (bool, &str),
) -> StoreResult<()> {
    let by = actor(audit)?;
    sqlx::query(
        "INSERT INTO appointment_versions (appointment_id, version, starts_ms, ends_ms, place, video_url, meets, \
         cancelled, reason, changed_ms, changed_by_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(version)
    .bind(slot.starts_ms)
    .bind(slot.ends_ms)
    .bind(&slot.place)
    .bind(slot.video_url.as_deref())
    .bind(&slot.meets)
    .bind(cancelled)
    .bind(reason)
    .bind(audit.at_ms)
    .bind(by.0)
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    Ok(())
}

/// The appointment may still change: not cancelled, nothing recorded, and at `base_version`.
fn changeable(a: &AppointmentFacts, base_version: i64) -> StoreResult<()> {
    if a.cancelled {
        Err(StoreError::Conflict(Conflict::Cancelled))
    } else if a.recorded {
        Err(StoreError::Conflict(Conflict::Recorded))
    } else if a.version != base_version {
        Err(StoreError::Conflict(Conflict::Appointment))
    } else {
        Ok(())
    }
}

fn event(action: AuditAction, a: &AppointmentFacts) -> AuditEvent {
    AuditEvent::allowed(action)
        .subject(a.citizen_id)
        .object(format!("appointment:{}", a.id))
}

#[async_trait]
impl AppointmentStore for Backend {
    async fn book_appointment(&self, audit: &AuditCtx, new: &NewAppointment) -> StoreResult<i64> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, new.course).await?;
        if citizen != new.citizen {
            return Err(StoreError::NotFound);
        }
        let s = &new.slot;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO appointments (course_id, citizen_id, org_id, unit_id, kind, starts_ms, ends_ms, place, \
             video_url, meets, remind, version, booked_by_user_id, created_ms) \
             SELECT $1, $2, u.org_id, u.id, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12 FROM units u \
             WHERE u.id = $3 AND u.org_id = $13 \
             AND EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = $11 AND ra.unit_id = u.id) \
             RETURNING id",
        )
        .bind(new.course.0)
        .bind(new.citizen.0)
        .bind(new.unit.0)
        .bind(new.kind.as_str())
        .bind(s.starts_ms)
        .bind(s.ends_ms)
        .bind(&s.place)
        .bind(s.video_url.as_deref())
        .bind(&s.meets)
        .bind(new.remind)
        .bind(by.0)
        .bind(audit.at_ms)
        .bind(new.org.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        keep_version(&mut tx, audit, (id, 1), s, (false, "")).await?;
        let facts = lock(&mut tx, id).await?;
        append(
            &mut tx,
            audit,
            &event(AuditAction::AppointmentBooked, &facts),
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn appointment_facts(&self, id: i64) -> StoreResult<AppointmentFacts> {
        let sql = format!("SELECT {FACTS} FROM appointments WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        facts_from(&row)
    }

    async fn appointment_categories(
        &self,
        course: CourseId,
        own: OrgId,
    ) -> StoreResult<Vec<ShareCategory>> {
        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT kind FROM appointments WHERE course_id = $1 AND org_id <> $2",
        )
        .bind(course.0)
        .bind(own.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut categories: Vec<ShareCategory> = kinds
            .iter()
            .filter_map(|k| bro_domain::appointment::AppointmentKind::parse(k))
            .map(share_category)
            .collect();
        categories.sort_unstable();
        categories.dedup();
        Ok(categories)
    }

    async fn move_appointment(
        &self,
        audit: &AuditCtx,
        id: i64,
        base_version: i64,
        slot: &Slot,
        reason: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let a = lock(&mut tx, id).await?;
        lock_open_course(&mut tx, a.course_id).await?;
        changeable(&a, base_version)?;
        let version = a.version + 1;
        sqlx::query(
            "UPDATE appointments SET starts_ms = $1, ends_ms = $2, place = $3, video_url = $4, meets = $5, \
             version = $6 WHERE id = $7",
        )
        .bind(slot.starts_ms)
        .bind(slot.ends_ms)
        .bind(&slot.place)
        .bind(slot.video_url.as_deref())
        .bind(&slot.meets)
        .bind(version)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        keep_version(&mut tx, audit, (id, version), slot, (false, reason)).await?;
        append(&mut tx, audit, &event(AuditAction::AppointmentMoved, &a)).await?;
        commit(tx).await
    }

    async fn cancel_appointment(
        &self,
        audit: &AuditCtx,
        id: i64,
        base_version: i64,
        reason: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let a = lock(&mut tx, id).await?;
        lock_open_course(&mut tx, a.course_id).await?;
        changeable(&a, base_version)?;
        let version = a.version + 1;
        sqlx::query(
            "UPDATE appointments SET cancelled_ms = $1, cancel_reason = $2, version = $3 WHERE id = $4",
        )
        .bind(audit.at_ms)
        .bind(reason)
        .bind(version)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        let slot = current_slot(&mut tx, id).await?;
        keep_version(&mut tx, audit, (id, version), &slot, (true, reason)).await?;
        append(
            &mut tx,
            audit,
            &event(AuditAction::AppointmentCancelled, &a),
        )
        .await?;
        commit(tx).await
    }

    async fn record_attendance(
        &self,
        audit: &AuditCtx,
        id: i64,
        outcome: Attendance,
        note: &str,
        tell: &[UserId],
    ) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let a = lock(&mut tx, id).await?;
        if a.recorded {
            return Err(StoreError::Conflict(Conflict::Recorded));
        }
        if a.cancelled {
            return Err(StoreError::Conflict(Conflict::Cancelled));
        }
        // Cancelled-with-notice is known before the time; the rest only once it has begun.
        let ahead = !matches!(
            outcome,
            Attendance::CancelledByCitizen | Attendance::CancelledByUnit
        );
        if ahead && a.starts_ms > audit.at_ms {
            return Err(StoreError::Conflict(Conflict::NotYet));
        }
        sqlx::query(
            "UPDATE appointments SET attendance = $1, attendance_note = $2, attendance_ms = $3, \
             attendance_by_user_id = $4 WHERE id = $5",
        )
        .bind(outcome.as_str())
        .bind(note)
        .bind(audit.at_ms)
        .bind(by.0)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if outcome == Attendance::NoShow {
            let about = About {
                kind: NoticeKind::AppointmentNoShow,
                citizen: Some(a.citizen_id),
                course: Some(a.course_id),
                offer: None,
                referral: None,
                org: Some(a.org_id),
                detail: &id.to_string(),
            };
            notify(&mut tx, audit, tell, &about).await?;
        }
        append(&mut tx, audit, &event(AuditAction::AttendanceRecorded, &a)).await?;
        commit(tx).await
    }

    async fn record_no_show_follow_up(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        action: FollowUpAction,
        note: &str,
    ) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO no_show_follow_ups (course_id, action, note, recorded_ms, by_user_id) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(course.0)
        .bind(action.as_str())
        .bind(note)
        .bind(audit.at_ms)
        .bind(by.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::NoShowFollowedUp)
            .subject(citizen)
            .object(format!("course:{}:no-show-follow-up:{id}", course.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn course_appointments(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        own: OrgId,
        visible: &[ShareCategory],
    ) -> StoreResult<CourseAppointments> {
        self.read_course_appointments(audit, course, own, visible)
            .await
    }

    async fn queue_reminders(&self, now: Timestamp, limit: i64) -> StoreResult<usize> {
        self.queue_due_reminders(now, limit).await
    }

    async fn citizen_appointments(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        from_ms: Timestamp,
    ) -> StoreResult<Vec<bro_store::Appointment>> {
        self.read_citizen_appointments(audit, citizen, from_ms)
            .await
    }

    async fn unrecorded_appointments(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        limit: i64,
    ) -> StoreResult<Vec<UnitAppointment>> {
        self.read_unrecorded(audit, unit, limit).await
    }
}

/// The appointment's current time and place.
async fn current_slot(tx: &mut Tx, id: i64) -> StoreResult<Slot> {
    let r = sqlx::query(
        "SELECT starts_ms, ends_ms, place, video_url, meets FROM appointments WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await
    .map_err(err)?;
    super::appointment_reads::slot_from(&r, "")
}
