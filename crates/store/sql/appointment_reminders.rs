//! Reminders the day before: for each appointment whose citizen asked, not cancelled, not
//! begun and starting within a day, one notice to the citizen with its e-mail due, written
//! with a row in `appointment_reminders` whose key (appointment, start) makes a second one
//! for the same time impossible, whichever instance or round tries.

use bro_audit::AuditAction;
use bro_domain::appointment::REMIND_BEFORE_MS;
use bro_domain::notice::NoticeKind;
use bro_domain::{CitizenId, Timestamp};
use bro_store::{AuditCtx, AuditEvent, StoreResult};
use sqlx::Row;

use super::chain::append;
use super::notices::{About, citizen_users, notify};
use super::{commit, err};
use crate::Backend;

impl Backend {
    pub(super) async fn queue_due_reminders(
        &self,
        now: Timestamp,
        limit: i64,
    ) -> StoreResult<usize> {
        let mut tx = self.begin_write().await?;
        let due = sqlx::query(
            "SELECT a.id, a.citizen_id, a.course_id, a.org_id, a.starts_ms FROM appointments a \
             WHERE a.remind AND a.cancelled_ms IS NULL AND a.attendance IS NULL \
             AND a.starts_ms > $1 AND a.starts_ms <= $2 \
             AND NOT EXISTS (SELECT 1 FROM appointment_reminders r WHERE r.appointment_id = a.id AND r.starts_ms = a.starts_ms) \
             ORDER BY a.starts_ms LIMIT $3",
        )
        .bind(now)
        .bind(now + REMIND_BEFORE_MS)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut queued = 0;
        for r in &due {
            let id: i64 = r.try_get("id").map_err(err)?;
            let starts: i64 = r.try_get("starts_ms").map_err(err)?;
            let taken = sqlx::query(
                "INSERT INTO appointment_reminders (appointment_id, starts_ms, queued_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(starts)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            if taken.rows_affected() == 0 {
                continue; // another round was first
            }
            let citizen = CitizenId(r.try_get("citizen_id").map_err(err)?);
            let org: i64 = r.try_get("org_id").map_err(err)?;
            // The reminder is the booking organisation's act, done by Bro itself.
            let audit = AuditCtx::system(org, now, "reminder");
            let to = citizen_users(&mut tx, citizen).await?;
            let about = About {
                kind: NoticeKind::AppointmentReminder,
                citizen: Some(citizen),
                course: Some(bro_domain::CourseId(r.try_get("course_id").map_err(err)?)),
                offer: None,
                referral: None,
                org: None,
                detail: &starts.to_string(),
            };
            notify(&mut tx, &audit, &to, &about).await?;
            sqlx::query(
                "UPDATE notices SET mail_status = 'pending', mail_next_ms = $1 \
                 WHERE kind = 'appointment_reminder' AND citizen_id = $2 AND detail = $3 AND created_ms = $1 \
                 AND mail_status IS NULL \
                 AND user_id IN (SELECT id FROM users WHERE kind = 'citizen' AND email IS NOT NULL AND active)",
            )
            .bind(now)
            .bind(citizen.0)
            .bind(starts.to_string())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            let event = AuditEvent::allowed(AuditAction::AppointmentReminded)
                .subject(citizen)
                .object(format!("appointment:{id}"));
            append(&mut tx, &audit, &event).await?;
            queued += 1;
        }
        commit(tx).await?;
        Ok(queued)
    }
}
