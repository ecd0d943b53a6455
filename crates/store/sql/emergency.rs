//! Emergency access ("break the glass"): a professional outside the care team reads one
//! course for a bounded time, with a stated reason; the citizen is told and the professional's
//! organisation reviews it.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::consent::{
    EMERGENCY_RENEWAL_WINDOW_MS, EMERGENCY_RENEWALS_WITHOUT_APPROVAL, EmergencyReasonKind,
};
use bro_domain::{CitizenId, CourseId, OrgId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, EmergencyAccess, EmergencyStore, NewEmergencyAccess,
    StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::courses::lock_open_course;
use super::{actor, coded, commit, db_err, err};
use crate::{Backend, Db, ROW_LOCK};

const EMERGENCY_SELECT: &str = "SELECT e.id, e.course_id, e.reason_kind, e.reason, e.started_ms, e.ends_ms, e.renewal, \
     e.awaiting_approval_since_ms, e.reviewed_ms, e.review_comment, \
     u.display_name AS user_name, o.name AS org_name, r.display_name AS reviewed_by, p.display_name AS approved_by \
     FROM emergency_accesses e JOIN users u ON u.id = e.user_id JOIN organisations o ON o.id = e.org_id \
     LEFT JOIN users r ON r.id = e.reviewed_by_user_id LEFT JOIN users p ON p.id = e.approved_by_user_id";

fn emergency_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<EmergencyAccess> {
    Ok(EmergencyAccess {
        id: r.try_get("id").map_err(err)?,
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        user_name: r.try_get("user_name").map_err(err)?,
        org_name: r.try_get("org_name").map_err(err)?,
        kind: coded(r, "reason_kind", EmergencyReasonKind::parse)?,
        reason: r.try_get("reason").map_err(err)?,
        started_ms: r.try_get("started_ms").map_err(err)?,
        ends_ms: r.try_get("ends_ms").map_err(err)?,
        renewal: r.try_get("renewal").map_err(err)?,
        awaiting_approval: r
            .try_get::<Option<i64>, _>("awaiting_approval_since_ms")
            .map_err(err)?
            .is_some(),
        approved_by: r.try_get("approved_by").map_err(err)?,
        reviewed_ms: r.try_get("reviewed_ms").map_err(err)?,
        reviewed_by: r.try_get("reviewed_by").map_err(err)?,
        review_comment: r.try_get("review_comment").map_err(err)?,
    })
}

#[async_trait]
impl EmergencyStore for Backend {
    async fn start_emergency_access(
        &self,
        audit: &AuditCtx,
        new: NewEmergencyAccess,
    ) -> StoreResult<i64> {
        let user = audit
            .actor_user_id
            .ok_or_else(|| StoreError::Corrupt("an emergency access has a person".into()))?;
        let mut tx = self.begin_write().await?;
        // Which renewal this is: the person's accesses to the course that ended within the
        // window (or are in force); beyond the one renewal allowed, it waits for approval.
        // The course row is locked (and must be open): parallel requests count one by one.
        lock_open_course(&mut tx, new.course_id).await?;
        let renewal: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM emergency_accesses WHERE course_id = $1 AND user_id = $2 AND ends_ms > $3",
        )
        .bind(new.course_id.0)
        .bind(user.0)
        .bind(audit.at_ms - EMERGENCY_RENEWAL_WINDOW_MS)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let awaiting = (renewal > EMERGENCY_RENEWALS_WITHOUT_APPROVAL).then_some(audit.at_ms);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO emergency_accesses (citizen_id, course_id, user_id, org_id, reason_kind, reason, started_ms, ends_ms, \
             renewal, awaiting_approval_since_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(new.citizen_id.0)
        .bind(new.course_id.0)
        .bind(user.0)
        .bind(new.org_id.0)
        .bind(new.kind.as_str())
        .bind(&new.reason)
        .bind(audit.at_ms)
        .bind(new.ends_ms)
        .bind(renewal)
        .bind(awaiting)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Emergency))?;
        let event = AuditEvent::allowed(AuditAction::EmergencyAccessStarted)
            .subject(new.citizen_id)
            .object(format!("emergency:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn emergency_active(
        &self,
        course: CourseId,
        user: UserId,
        now: i64,
    ) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM emergency_accesses WHERE course_id = $1 AND user_id = $2 AND started_ms <= $3 AND ends_ms > $3 \
             AND awaiting_approval_since_ms IS NULL",
        )
        .bind(course.0)
        .bind(user.0)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        Ok(n > 0)
    }

    async fn emergency_accesses_of(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<EmergencyAccess>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!(
            "{EMERGENCY_SELECT} WHERE e.citizen_id = $1 ORDER BY e.started_ms DESC, e.id DESC"
        ))
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let out = rows
            .iter()
            .map(emergency_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        self.finish_read(
            tx,
            audit,
            &AuditEvent::allowed(AuditAction::EmergencyAccessRead).subject(citizen),
        )
        .await?;
        Ok(out)
    }

    async fn emergency_reviews(
        &self,
        audit: &AuditCtx,
        org: OrgId,
    ) -> StoreResult<Vec<EmergencyAccess>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!(
            "{EMERGENCY_SELECT} WHERE e.org_id = $1 ORDER BY e.started_ms DESC, e.id DESC"
        ))
        .bind(org.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let out = rows
            .iter()
            .map(emergency_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        self.finish_read(
            tx,
            audit,
            &AuditEvent::allowed(AuditAction::EmergencyReviewsRead)
                .object(format!("org:{}", org.0)),
        )
        .await?;
        Ok(out)
    }

    async fn review_emergency_access(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        id: i64,
        comment: String,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!("SELECT citizen_id, reviewed_ms FROM emergency_accesses WHERE id = $1 AND org_id = $2{ROW_LOCK}"))
            .bind(id)
            .bind(org.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        let reviewed: Option<i64> = row.try_get("reviewed_ms").map_err(err)?;
        if reviewed.is_some() {
            return Err(StoreError::Conflict(Conflict::Reviewed));
        }
        let citizen = CitizenId(row.try_get("citizen_id").map_err(err)?);
        sqlx::query("UPDATE emergency_accesses SET reviewed_ms = $1, reviewed_by_user_id = $2, review_comment = $3 WHERE id = $4")
            .bind(audit.at_ms)
            .bind(audit.actor_user_id.map(|u| u.0))
            .bind(comment)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::EmergencyAccessReviewed)
            .subject(citizen)
            .object(format!("emergency:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn approve_emergency_access(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        id: i64,
    ) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        // Its time runs from the approval: what waited was never in force.
        let done = sqlx::query(
            "UPDATE emergency_accesses SET awaiting_approval_since_ms = NULL, approved_ms = $1, approved_by_user_id = $2, \
             ends_ms = $1 + (ends_ms - started_ms), started_ms = $1 \
             WHERE id = $3 AND org_id = $4 AND awaiting_approval_since_ms IS NOT NULL",
        )
        .bind(audit.at_ms)
        .bind(by.0)
        .bind(id)
        .bind(org.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let citizen: i64 =
            sqlx::query_scalar("SELECT citizen_id FROM emergency_accesses WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::EmergencyAccessApproved)
            .subject(CitizenId(citizen))
            .object(format!("emergency:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }
}
