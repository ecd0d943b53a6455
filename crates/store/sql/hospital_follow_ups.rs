//! The follow-up after a discharge: a task on the citizen's open course, due within 7 days,
//! kept in step with the episode it follows and booked by the coordinator.

use bro_audit::AuditAction;
use bro_domain::hospital::{Episode, EpisodeState, FOLLOW_UP_MS};
use bro_domain::{CourseId, Timestamp};
use bro_store::{AuditCtx, AuditEvent, FollowUp, StoreError, StoreResult, TableRows};
use sqlx::Row;
use std::collections::BTreeMap;

use super::chain::append;
use super::rows::{execute_in, insert_given};
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

/// Keeps the follow-ups of `plans`' episodes in step with them: as planned, or gone when
/// there is none to do (`None`). A booked one stays as it was booked.
pub(super) async fn keep_follow_ups(
    tx: &mut Tx,
    plans: &BTreeMap<i64, Option<FollowUpPlan>>,
) -> StoreResult<()> {
    let mut planned = TableRows::new(
        "hospital_follow_ups",
        &["episode_id", "course_id", "due_ms", "created_ms"],
    );
    let mut none = Vec::new();
    for (episode, plan) in plans {
        match plan {
            Some(p) => planned.push(vec![
                (*episode).into(),
                p.course.0.into(),
                p.due.into(),
                p.made.into(),
            ]),
            None => none.push(*episode),
        }
    }
    insert_given(
        tx,
        &planned,
        " ON CONFLICT (episode_id) DO UPDATE SET due_ms = excluded.due_ms \
         WHERE hospital_follow_ups.booked_ms IS NULL",
    )
    .await?;
    let sql = "DELETE FROM hospital_follow_ups WHERE booked_ms IS NULL AND episode_id IN ({})";
    execute_in(tx, sql, &none).await
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
