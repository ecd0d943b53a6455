//! The outreach effort: contacts with a course's citizen and fixed attendance times at
//! drop-in centres.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{CitizenId, CourseId, UnitId, UserId};
use bro_store::{
    AttendanceTime, AuditCtx, AuditEvent, NewOutreachContact, OutreachContact, OutreachStore,
    StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::{DbRow, commit, err};
use crate::Backend;

fn time_from_row(r: &DbRow) -> StoreResult<AttendanceTime> {
    let small = |c: &str| -> StoreResult<i64> { r.try_get(c).map_err(err) };
    Ok(AttendanceTime {
        offer_id: r.try_get("offer_id").map_err(err)?,
        offer: r.try_get("offer").map_err(err)?,
        unit: r.try_get("unit").map_err(err)?,
        weekday: u8::try_from(small("weekday")?).unwrap_or(0),
        from_min: u16::try_from(small("from_min")?).unwrap_or(0),
        to_min: u16::try_from(small("to_min")?).unwrap_or(0),
    })
}

const TIMES: &str = "SELECT t.offer_id, f.name AS offer, u.name AS unit, t.weekday, t.from_min, t.to_min \
     FROM outreach_times t JOIN offers f ON f.id = t.offer_id JOIN units u ON u.id = t.unit_id";

#[async_trait]
impl OutreachStore for Backend {
    async fn add_contact(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        new: &NewOutreachContact,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let citizen: i64 = sqlx::query_scalar("SELECT citizen_id FROM courses WHERE id = $1")
            .bind(course.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outreach_contacts (course_id, citizen_id, at_ms, place, offer_id, what, next_step, worsening, \
             by_user_id, org_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(course.0)
        .bind(citizen)
        .bind(audit.at_ms)
        .bind(&new.place)
        .bind(new.offer_id)
        .bind(new.what.trim())
        .bind(new.next_step.trim())
        .bind(new.worsening)
        .bind(audit.actor_user_id.map(|u| u.0))
        .bind(audit.tenant_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::OutreachRecorded)
            .subject(CitizenId(citizen))
            .object(format!("outreach:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn listed_for(&self, course: CourseId, user: UserId) -> StoreResult<bool> {
        let listed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM team_citizens c JOIN teams t ON t.id = c.team_id \
             WHERE c.course_id = $1 AND c.removed_ms IS NULL AND (t.leader_user_id = $2 \
             OR t.convener_user_id = $2 OR EXISTS (SELECT 1 FROM team_members m \
             WHERE m.team_id = t.id AND m.user_id = $2))",
        )
        .bind(course.0)
        .bind(user.0)
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        Ok(listed > 0)
    }

    async fn contacts(
        &self,
        audit: &AuditCtx,
        course: CourseId,
    ) -> StoreResult<Vec<OutreachContact>> {
        let mut tx = self.begin_read().await?;
        let citizen: i64 = sqlx::query_scalar("SELECT citizen_id FROM courses WHERE id = $1")
            .bind(course.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        let rows = sqlx::query(
            "SELECT c.id, c.at_ms, c.place, c.offer_id, f.name AS offer, c.what, c.next_step, c.worsening, \
             COALESCE(u.display_name, '') AS by_name FROM outreach_contacts c LEFT JOIN offers f ON f.id = c.offer_id \
             LEFT JOIN users u ON u.id = c.by_user_id WHERE c.course_id = $1 ORDER BY c.at_ms DESC, c.id DESC",
        )
        .bind(course.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let offer: Option<i64> = r.try_get("offer_id").map_err(err)?;
            out.push(OutreachContact {
                id: r.try_get("id").map_err(err)?,
                at_ms: r.try_get("at_ms").map_err(err)?,
                place: r.try_get("place").map_err(err)?,
                offer: match offer {
                    Some(id) => Some((id, r.try_get("offer").map_err(err)?)),
                    None => None,
                },
                what: r.try_get("what").map_err(err)?,
                next_step: r.try_get("next_step").map_err(err)?,
                worsening: r.try_get("worsening").map_err(err)?,
                by: r.try_get("by_name").map_err(err)?,
            });
        }
        let event = AuditEvent::allowed(AuditAction::OutreachRead)
            .subject(CitizenId(citizen))
            .object(format!("course:{}:outreach", course.0));
        self.finish_read(tx, audit, &event).await?;
        Ok(out)
    }

    async fn add_attendance(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        t: &AttendanceTime,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO outreach_times (unit_id, offer_id, weekday, from_min, to_min, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(unit.0)
        .bind(t.offer_id)
        .bind(i64::from(t.weekday))
        .bind(i64::from(t.from_min))
        .bind(i64::from(t.to_min))
        .bind(audit.at_ms)
        .execute(&mut *tx)
        .await
        .map_err(super::db_err(bro_store::Conflict::Unknown))?;
        let event = AuditEvent::allowed(AuditAction::OutreachTimeChanged)
            .object(format!("offer:{}:outreach", t.offer_id));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn attendance_of_offer(&self, offer: i64) -> StoreResult<Vec<AttendanceTime>> {
        let rows = sqlx::query(&format!(
            "{TIMES} WHERE t.offer_id = $1 ORDER BY t.weekday, t.from_min"
        ))
        .bind(offer)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(time_from_row).collect()
    }

    async fn attendance_of_unit(&self, unit: UnitId) -> StoreResult<Vec<AttendanceTime>> {
        let rows = sqlx::query(&format!(
            "{TIMES} WHERE t.unit_id = $1 ORDER BY t.weekday, t.from_min"
        ))
        .bind(unit.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(time_from_row).collect()
    }
}
