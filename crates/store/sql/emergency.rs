//! Emergency access ("break the glass"): a professional outside the care team reads one
//! course for a bounded time, with a stated reason; the citizen is told and the professional's
//! organisation reviews it.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{CitizenId, CourseId, OrgId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, EmergencyAccess, EmergencyStore, NewEmergencyAccess,
    StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::{commit, db_err, err};
use crate::{Backend, Db, ROW_LOCK};

const EMERGENCY_SELECT: &str = "SELECT e.id, e.course_id, e.reason, e.started_ms, e.ends_ms, e.reviewed_ms, e.review_comment, \
     u.display_name AS user_name, o.name AS org_name, r.display_name AS reviewed_by FROM emergency_accesses e \
     JOIN users u ON u.id = e.user_id JOIN organisations o ON o.id = e.org_id LEFT JOIN users r ON r.id = e.reviewed_by_user_id";

fn emergency_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<EmergencyAccess> {
    Ok(EmergencyAccess {
        id: r.try_get("id").map_err(err)?,
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        user_name: r.try_get("user_name").map_err(err)?,
        org_name: r.try_get("org_name").map_err(err)?,
        reason: r.try_get("reason").map_err(err)?,
        started_ms: r.try_get("started_ms").map_err(err)?,
        ends_ms: r.try_get("ends_ms").map_err(err)?,
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
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO emergency_accesses (citizen_id, course_id, user_id, org_id, reason, started_ms, ends_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.citizen_id.0)
        .bind(new.course_id.0)
        .bind(user.0)
        .bind(new.org_id.0)
        .bind(&new.reason)
        .bind(audit.at_ms)
        .bind(new.ends_ms)
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
            "SELECT COUNT(*) FROM emergency_accesses WHERE course_id = $1 AND user_id = $2 AND started_ms <= $3 AND ends_ms > $3",
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
}
