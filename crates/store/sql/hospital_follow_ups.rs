//! The follow-up after a discharge: a task on the citizen's open course, due within 7 days,
//! kept in step with the episode it follows and booked by the coordinator.

use bro_audit::AuditAction;
use bro_domain::hospital::{Episode, EpisodeState, FOLLOW_UP_MS};
use bro_domain::{CourseId, Timestamp};
use bro_store::{AuditCtx, AuditEvent, FollowUp, StoreError, StoreResult};
use sqlx::Row;

use super::chain::append;
use super::{Tx, actor, commit, err};
use crate::Backend;

/// An episode's follow-up as it should be: due at, on the course, made at (when it is new).
pub(super) struct FollowUpPlan {
    pub(super) due: Timestamp,
    pub(super) course: CourseId,
    pub(super) made: Timestamp,
}

/// The follow-up of an episode in state `after` as of `at`: due 7 days after its discharge (a
/// revised discharge moves it); `None` when there is none to do (not discharged, the discharge
/// cancelled, or no open course).
pub(super) fn follow_up_plan(
    after: &Episode,
    course: Option<CourseId>,
    at: Timestamp,
) -> Option<FollowUpPlan> {
    match (after.state, after.end, course) {
        (EpisodeState::Discharged, Some(end), Some(course)) => Some(FollowUpPlan {
            due: end + FOLLOW_UP_MS,
            course,
            made: at,
        }),
        _ => None,
    }
}

/// Keeps episode `episode`'s follow-up in step with it: as `plan` says, or gone when there is
/// none to do. A booked one stays as it was booked.
pub(super) async fn keep_follow_up(
    tx: &mut Tx,
    episode: i64,
    plan: Option<&FollowUpPlan>,
) -> StoreResult<()> {
    let q = match plan {
        Some(plan) => sqlx::query(
            "INSERT INTO hospital_follow_ups (episode_id, course_id, due_ms, created_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (episode_id) DO UPDATE SET due_ms = excluded.due_ms \
             WHERE hospital_follow_ups.booked_ms IS NULL",
        )
        .bind(episode)
        .bind(plan.course.0)
        .bind(plan.due)
        .bind(plan.made),
        None => sqlx::query(
            "DELETE FROM hospital_follow_ups WHERE episode_id = $1 AND booked_ms IS NULL",
        )
        .bind(episode),
    };
    q.execute(&mut **tx).await.map_err(err)?;
    Ok(())
}

/// The follow-up of `episode`, if it has one.
pub(super) async fn follow_up_of(tx: &mut Tx, episode: i64) -> StoreResult<Option<FollowUp>> {
    let row =
        sqlx::query("SELECT due_ms, booked_ms FROM hospital_follow_ups WHERE episode_id = $1")
            .bind(episode)
            .fetch_optional(&mut **tx)
            .await
            .map_err(err)?;
    row.map(|r| {
        Ok(FollowUp {
            due_ms: r.try_get("due_ms").map_err(err)?,
            booked_ms: r.try_get("booked_ms").map_err(err)?,
        })
    })
    .transpose()
}

impl Backend {
    pub(super) async fn book_follow_up(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        episode: i64,
    ) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let found: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT booked_ms FROM hospital_follow_ups WHERE episode_id = $1 AND course_id = $2",
        )
        .bind(episode)
        .bind(course.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?;
        match found {
            None => return Err(StoreError::NotFound),
            Some(Some(_)) => return commit(tx).await,
            Some(None) => {}
        }
        sqlx::query(
            "UPDATE hospital_follow_ups SET booked_ms = $1, booked_by_user_id = $2 \
             WHERE episode_id = $3 AND booked_ms IS NULL",
        )
        .bind(audit.at_ms)
        .bind(by.0)
        .bind(episode)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::HospitalFollowUpBooked)
            .object(format!("course:{}:follow-up:{episode}", course.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }
}
