//! Reading appointments: a course's as one viewer may see them (their own organisation's and
//! those of the categories shared with it), the citizen's own, and a unit's still to record.
//! Each read is audited, one record per citizen shown.

use bro_audit::AuditAction;
use bro_domain::appointment::{
    AppointmentKind, Attendance, FollowUpAction, no_shows_unanswered, share_category,
};
use bro_domain::{CitizenId, CourseId, OrgId, ShareCategory, Timestamp, UnitId};
use bro_store::{
    Appointment, AppointmentChange, AttendanceRecord, AuditCtx, AuditEvent, CourseAppointments,
    NoShowFollowUp, Slot, StoreResult, UnitAppointment,
};
use sqlx::Row;
use std::collections::HashMap;

use super::escort_reads::with_escorts;
use super::rows::rows_in;
use super::{DbRow, Tx, coded, err};
use crate::Backend;

/// The columns [`appointment_from`] reads, of `appointments a` joined with its unit `u`, its
/// organisation `o` and the user who recorded what happened `ru`.
const COLUMNS: &str = "a.id, a.course_id, a.citizen_id, a.org_id, a.unit_id, u.name AS unit_name, \
     o.name AS org_name, a.kind, a.starts_ms, a.ends_ms, a.place, a.video_url, a.meets, a.remind, a.version, \
     a.cancelled_ms, a.cancel_reason, a.attendance, a.attendance_note, a.attendance_ms, \
     ru.display_name AS attendance_by";
const JOINS: &str = "appointments a JOIN units u ON u.id = a.unit_id \
     JOIN organisations o ON o.id = a.org_id LEFT JOIN users ru ON ru.id = a.attendance_by_user_id";

/// A slot from its columns (`prefix` before each name).
pub(super) fn slot_from(r: &DbRow, prefix: &str) -> StoreResult<Slot> {
    let col = |name: &str| format!("{prefix}{name}");
    Ok(Slot {
        starts_ms: r.try_get(col("starts_ms").as_str()).map_err(err)?,
        ends_ms: r.try_get(col("ends_ms").as_str()).map_err(err)?,
        place: r.try_get(col("place").as_str()).map_err(err)?,
        video_url: r.try_get(col("video_url").as_str()).map_err(err)?,
        meets: r.try_get(col("meets").as_str()).map_err(err)?,
    })
}

fn appointment_from(r: &DbRow) -> StoreResult<Appointment> {
    let cancelled: Option<i64> = r.try_get("cancelled_ms").map_err(err)?;
    let attendance: Option<String> = r.try_get("attendance").map_err(err)?;
    let attendance = match attendance {
        Some(_) => Some(AttendanceRecord {
            outcome: coded(r, "attendance", Attendance::parse)?,
            note: r
                .try_get::<Option<String>, _>("attendance_note")
                .map_err(err)?
                .unwrap_or_default(),
            recorded_ms: r
                .try_get::<Option<i64>, _>("attendance_ms")
                .map_err(err)?
                .unwrap_or_default(),
            by: r
                .try_get::<Option<String>, _>("attendance_by")
                .map_err(err)?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Appointment {
        id: r.try_get("id").map_err(err)?,
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        citizen_id: CitizenId(r.try_get("citizen_id").map_err(err)?),
        org_id: OrgId(r.try_get("org_id").map_err(err)?),
        unit_id: UnitId(r.try_get("unit_id").map_err(err)?),
        unit_name: r.try_get("unit_name").map_err(err)?,
        org_name: r.try_get("org_name").map_err(err)?,
        kind: coded(r, "kind", AppointmentKind::parse)?,
        slot: slot_from(r, "")?,
        remind: r.try_get("remind").map_err(err)?,
        version: r.try_get("version").map_err(err)?,
        cancelled: match cancelled {
            Some(at) => Some((
                at,
                r.try_get::<Option<String>, _>("cancel_reason")
                    .map_err(err)?
                    .unwrap_or_default(),
            )),
            None => None,
        },
        attendance,
        history: Vec::new(),
        escort: None,
    })
}

/// Fills in each appointment's versions, in one read.
async fn with_history(tx: &mut Tx, appointments: &mut [Appointment]) -> StoreResult<()> {
    let ids: Vec<i64> = appointments.iter().map(|a| a.id).collect();
    let sql = "SELECT v.appointment_id, v.version, v.starts_ms, v.ends_ms, v.place, v.video_url, v.meets, \
               v.cancelled, v.reason, v.changed_ms, cu.display_name AS by_name \
               FROM appointment_versions v JOIN users cu ON cu.id = v.changed_by_user_id \
               WHERE v.appointment_id IN ({}) ORDER BY v.appointment_id, v.version";
    let mut by_id: HashMap<i64, Vec<AppointmentChange>> = HashMap::new();
    for r in rows_in(tx, sql, &[], &ids).await? {
        let id: i64 = r.try_get("appointment_id").map_err(err)?;
        by_id.entry(id).or_default().push(AppointmentChange {
            version: r.try_get("version").map_err(err)?,
            slot: slot_from(&r, "")?,
            cancelled: r.try_get("cancelled").map_err(err)?,
            reason: r.try_get("reason").map_err(err)?,
            changed_ms: r.try_get("changed_ms").map_err(err)?,
            by: r.try_get("by_name").map_err(err)?,
        });
    }
    for a in appointments {
        a.history = by_id.remove(&a.id).unwrap_or_default();
    }
    Ok(())
}

async fn follow_ups(tx: &mut Tx, course: CourseId) -> StoreResult<Vec<NoShowFollowUp>> {
    let rows = sqlx::query(
        "SELECT f.id, f.action, f.note, f.recorded_ms, u.display_name FROM no_show_follow_ups f \
         JOIN users u ON u.id = f.by_user_id WHERE f.course_id = $1 ORDER BY f.recorded_ms DESC, f.id DESC",
    )
    .bind(course.0)
    .fetch_all(&mut **tx)
    .await
    .map_err(err)?;
    rows.iter()
        .map(|r| {
            Ok(NoShowFollowUp {
                id: r.try_get("id").map_err(err)?,
                action: coded(r, "action", FollowUpAction::parse)?,
                note: r.try_get("note").map_err(err)?,
                recorded_ms: r.try_get("recorded_ms").map_err(err)?,
                by: r.try_get("display_name").map_err(err)?,
            })
        })
        .collect()
}

impl Backend {
    pub(super) async fn read_course_appointments(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        own: OrgId,
        visible: &[ShareCategory],
    ) -> StoreResult<CourseAppointments> {
        let mut tx = self.begin_read().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM {JOINS} WHERE a.course_id = $1 ORDER BY a.starts_ms, a.id"
        );
        let rows = sqlx::query(&sql)
            .bind(course.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let mut shown = Vec::new();
        let mut withheld = 0;
        for r in &rows {
            let a = appointment_from(r)?;
            if a.org_id == own || visible.contains(&share_category(a.kind)) {
                shown.push(a);
            } else {
                withheld += 1;
            }
        }
        with_history(&mut tx, &mut shown).await?;
        with_escorts(&mut tx, &mut shown).await?;
        let follow_ups = follow_ups(&mut tx, course).await?;
        let no_shows: Vec<(Timestamp, Timestamp)> = shown
            .iter()
            .filter_map(|a| match &a.attendance {
                Some(r) if r.outcome == Attendance::NoShow => {
                    Some((a.slot.starts_ms, r.recorded_ms))
                }
                _ => None,
            })
            .collect();
        let last = follow_ups.first().map(|f| f.recorded_ms);
        let unanswered_no_shows = no_shows_unanswered(&no_shows, last, audit.at_ms);
        let mut records = Vec::new();
        if let Some(citizen) = rows
            .first()
            .map(|r| r.try_get("citizen_id"))
            .transpose()
            .map_err(err)?
        {
            let event = AuditEvent::allowed(AuditAction::AppointmentsRead)
                .subject(CitizenId(citizen))
                .object(format!("course:{}:appointments", course.0));
            records.push((audit.tenant_id, audit.fields(&event)));
        }
        self.finish_read_many(tx, records).await?;
        Ok(CourseAppointments {
            shown,
            withheld,
            unanswered_no_shows,
            follow_ups,
        })
    }

    pub(super) async fn read_citizen_appointments(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        from_ms: Timestamp,
    ) -> StoreResult<Vec<Appointment>> {
        let mut tx = self.begin_read().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM {JOINS} WHERE a.citizen_id = $1 AND a.ends_ms >= $2 ORDER BY a.starts_ms, a.id"
        );
        let rows = sqlx::query(&sql)
            .bind(citizen.0)
            .bind(from_ms)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let mut out = rows
            .iter()
            .map(appointment_from)
            .collect::<StoreResult<Vec<_>>>()?;
        with_history(&mut tx, &mut out).await?;
        with_escorts(&mut tx, &mut out).await?;
        let event = AuditEvent::allowed(AuditAction::AppointmentsRead)
            .subject(citizen)
            .object(format!("citizen:{}:appointments", citizen.0));
        self.finish_read(tx, audit, &event).await?;
        Ok(out)
    }

    pub(super) async fn read_unrecorded(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        limit: i64,
    ) -> StoreResult<Vec<UnitAppointment>> {
        let mut tx = self.begin_read().await?;
        let sql = format!(
            "SELECT {COLUMNS}, z.given_name || ' ' || z.family_name AS citizen_name FROM {JOINS} \
             JOIN citizens z ON z.id = a.citizen_id \
             WHERE a.unit_id = $1 AND a.attendance IS NULL AND a.cancelled_ms IS NULL AND a.starts_ms <= $2 \
             ORDER BY a.starts_ms, a.id LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(unit.0)
            .bind(audit.at_ms)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len());
        for r in &rows {
            let appointment = appointment_from(r)?;
            let event = AuditEvent::allowed(AuditAction::AppointmentsListed)
                .subject(appointment.citizen_id)
                .object(format!("appointment:{}", appointment.id));
            records.push((audit.tenant_id, audit.fields(&event)));
            out.push(UnitAppointment {
                appointment,
                citizen_name: r.try_get("citizen_name").map_err(err)?,
            });
        }
        self.finish_read_many(tx, records).await?;
        Ok(out)
    }
}
