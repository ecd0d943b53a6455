//! Escort requests: asked of a municipality's escort service (its staff told in their
//! notices), answered once (whoever asked, and the citizen, told), and afterwards the time the
//! escort took. Reads are in `escort_reads`.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::escort::EscortStatus;
use bro_domain::notice::NoticeKind;
use bro_domain::{CitizenId, CourseId, UnitId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, EscortAnswer, EscortFacts, EscortList, EscortListItem,
    EscortStore, StoreError, StoreResult,
};
use sqlx::Row;

use super::appointments::lock as lock_appointment;
use super::chain::append;
use super::courses::lock_open_course;
use super::notices::{About, notify};
use super::{DbRow, Tx, actor, coded, commit, db_err, err};
use crate::{Backend, ROW_LOCK};

const FACTS: &str = "e.id, e.appointment_id, a.course_id, a.citizen_id, e.unit_id, e.status, \
                     a.starts_ms, e.requested_by_user_id";

fn facts_from(r: &DbRow) -> StoreResult<EscortFacts> {
    Ok(EscortFacts {
        id: r.try_get("id").map_err(err)?,
        appointment_id: r.try_get("appointment_id").map_err(err)?,
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        citizen_id: CitizenId(r.try_get("citizen_id").map_err(err)?),
        unit_id: UnitId(r.try_get("unit_id").map_err(err)?),
        status: coded(r, "status", EscortStatus::parse)?,
        starts_ms: r.try_get("starts_ms").map_err(err)?,
    })
}

/// The request, locked for the rest of the transaction (with its appointment), and who asked.
async fn lock(tx: &mut Tx, id: i64) -> StoreResult<(EscortFacts, UserId)> {
    let sql = format!(
        "SELECT {FACTS} FROM escort_requests e JOIN appointments a ON a.id = e.appointment_id \
         WHERE e.id = $1{ROW_LOCK}"
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
    let facts = facts_from(&row)?;
    lock_appointment(tx, facts.appointment_id).await?;
    Ok((
        facts,
        UserId(row.try_get("requested_by_user_id").map_err(err)?),
    ))
}

fn event(action: AuditAction, citizen: CitizenId, id: i64) -> AuditEvent {
    AuditEvent::allowed(action)
        .subject(citizen)
        .object(format!("escort:{id}"))
}

/// The users who work in `unit`.
async fn unit_staff(tx: &mut Tx, unit: UnitId) -> StoreResult<Vec<UserId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT ra.user_id FROM role_assignments ra JOIN users u ON u.id = ra.user_id \
         WHERE ra.unit_id = $1 AND u.active = $2",
    )
    .bind(unit.0)
    .bind(true)
    .fetch_all(&mut **tx)
    .await
    .map_err(err)?;
    Ok(ids.into_iter().map(UserId).collect())
}

/// The citizen's own accounts.
async fn citizen_accounts(tx: &mut Tx, citizen: CitizenId) -> StoreResult<Vec<UserId>> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE citizen_id = $1 AND kind = 'citizen'")
            .bind(citizen.0)
            .fetch_all(&mut **tx)
            .await
            .map_err(err)?;
    Ok(ids.into_iter().map(UserId).collect())
}

#[async_trait]
impl EscortStore for Backend {
    async fn escort_services(&self, course: CourseId) -> StoreResult<Vec<(UnitId, String)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.name || ', ' || o.name AS name FROM units u \
             JOIN organisations o ON o.id = u.org_id \
             WHERE u.kind = 'escort_service' AND o.kind = 'municipality' AND o.id IN \
             (SELECT m.org_id FROM care_team_members m WHERE m.course_id = $1 AND m.removed_ms IS NULL) \
             ORDER BY o.name, u.name, u.id",
        )
        .bind(course.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok((
                    UnitId(r.try_get("id").map_err(err)?),
                    r.try_get("name").map_err(err)?,
                ))
            })
            .collect()
    }

    async fn request_escort(
        &self,
        audit: &AuditCtx,
        appointment: i64,
        unit: UnitId,
        note: &str,
    ) -> StoreResult<i64> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let a = lock_appointment(&mut tx, appointment).await?;
        lock_open_course(&mut tx, a.course_id).await?;
        if a.cancelled || a.starts_ms <= audit.at_ms {
            return Err(StoreError::Conflict(Conflict::Begun));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO escort_requests (appointment_id, unit_id, requested_by_user_id, note, requested_ms, status) \
             SELECT $1, u.id, $3, $4, $5, 'open' FROM units u JOIN organisations o ON o.id = u.org_id \
             WHERE u.id = $2 AND u.kind = 'escort_service' AND o.kind = 'municipality' RETURNING id",
        )
        .bind(appointment)
        .bind(unit.0)
        .bind(by.0)
        .bind(note)
        .bind(audit.at_ms)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err(Conflict::Escort))?
        .ok_or(StoreError::NotFound)?;
        let staff = unit_staff(&mut tx, unit).await?;
        let about = About {
            kind: NoticeKind::EscortRequested,
            citizen: Some(a.citizen_id),
            course: Some(a.course_id),
            offer: None,
            referral: None,
            org: Some(a.org_id),
            detail: &id.to_string(),
        };
        notify(&mut tx, audit, &staff, &about).await?;
        let event = event(AuditAction::EscortRequested, a.citizen_id, id);
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn escort_facts(&self, id: i64) -> StoreResult<EscortFacts> {
        let sql = format!(
            "SELECT {FACTS} FROM escort_requests e JOIN appointments a ON a.id = e.appointment_id \
             WHERE e.id = $1"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        facts_from(&row)
    }

    async fn answer_escort(
        &self,
        audit: &AuditCtx,
        id: i64,
        answer: &EscortAnswer,
    ) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let (e, requester) = lock(&mut tx, id).await?;
        if e.status != EscortStatus::Open {
            return Err(StoreError::Conflict(Conflict::Escort));
        }
        let a = lock_appointment(&mut tx, e.appointment_id).await?;
        if a.cancelled {
            return Err(StoreError::Conflict(Conflict::Cancelled));
        }
        let (status, plan, reason) = match answer {
            EscortAnswer::Accept(p) => (EscortStatus::Accepted, Some(p), None),
            EscortAnswer::Decline(r) => (EscortStatus::Declined, None, Some(r.as_str())),
        };
        sqlx::query(
            "UPDATE escort_requests SET status = $1, answered_ms = $2, answered_by_user_id = $3, \
             answered_version = $4, escort_name = $5, meeting_point = $6, meeting_ms = $7, \
             decline_reason = $8 WHERE id = $9",
        )
        .bind(status.as_str())
        .bind(audit.at_ms)
        .bind(by.0)
        .bind(a.version)
        .bind(plan.map(|p| p.escort.as_str()))
        .bind(plan.map(|p| p.meeting_point.as_str()))
        .bind(plan.map(|p| p.meeting_ms))
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err(Conflict::Escort))?;
        let mut tell = citizen_accounts(&mut tx, e.citizen_id).await?;
        tell.push(requester);
        let about = About {
            kind: NoticeKind::EscortAnswered,
            citizen: Some(e.citizen_id),
            course: Some(e.course_id),
            offer: None,
            referral: None,
            org: Some(a.org_id),
            detail: status.as_str(),
        };
        notify(&mut tx, audit, &tell, &about).await?;
        let event = event(AuditAction::EscortAnswered, e.citizen_id, id);
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn record_escort_time(&self, audit: &AuditCtx, id: i64, minutes: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (e, _) = lock(&mut tx, id).await?;
        if e.status != EscortStatus::Accepted {
            return Err(StoreError::Conflict(Conflict::Escort));
        }
        if e.starts_ms > audit.at_ms {
            return Err(StoreError::Conflict(Conflict::NotYet));
        }
        let done = sqlx::query(
            "UPDATE escort_requests SET minutes_spent = $1, spent_recorded_ms = $2 \
             WHERE id = $3 AND minutes_spent IS NULL",
        )
        .bind(minutes)
        .bind(audit.at_ms)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(Conflict::Recorded));
        }
        let event = event(AuditAction::EscortTimeRecorded, e.citizen_id, id);
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn escort_request(&self, audit: &AuditCtx, id: i64) -> StoreResult<EscortListItem> {
        self.read_escort_request(audit, id).await
    }

    async fn escort_list(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        limit: i64,
    ) -> StoreResult<EscortList> {
        self.read_escort_list(audit, unit, limit).await
    }
}
