//! Fælles Team agreements: what a case agreed, who does it and by when, followed up at the
//! next meeting; on the course's timeline by reference, their text read only where the
//! citizen's minutes are shared.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{CaseId, CitizenId, CourseId};
use bro_store::{Agreement, AgreementStore, AuditCtx, AuditEvent, StoreError, StoreResult};
use sqlx::Row;

use super::cases::{case_event, open_case};
use super::chain::append;
use super::courses::course_event;
use super::{DbRow, commit, err};
use crate::Backend;

const AGREEMENT_SELECT: &str = "SELECT a.id, a.case_id, a.what, a.who, a.due_date, a.done_ms, m.starts_ms FROM case_agreements a \
     JOIN meeting_cases c ON c.id = a.case_id JOIN meetings m ON m.id = c.meeting_id";

fn agreement_from_row(r: &DbRow) -> StoreResult<Agreement> {
    Ok(Agreement {
        id: r.try_get("id").map_err(err)?,
        case_id: CaseId(r.try_get("case_id").map_err(err)?),
        what: r.try_get("what").map_err(err)?,
        who: r.try_get("who").map_err(err)?,
        due_date: r.try_get("due_date").map_err(err)?,
        done_ms: r.try_get("done_ms").map_err(err)?,
        made_ms: r.try_get("starts_ms").map_err(err)?,
    })
}

#[async_trait]
impl AgreementStore for Backend {
    async fn add_agreement(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        what: &str,
        who: &str,
        due_date: Option<&str>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let r = open_case(&mut tx, case).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO case_agreements (case_id, course_id, what, who, due_date) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(case.0)
        .bind(r.course_id.0)
        .bind(what)
        .bind(who)
        .bind(due_date)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        append(&mut tx, audit, &case_event(AuditAction::CaseWritten, &r)).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn agreements_of_case(&self, case: CaseId) -> StoreResult<Vec<Agreement>> {
        let sql = format!("{AGREEMENT_SELECT} WHERE a.case_id = $1 ORDER BY a.id");
        let rows = sqlx::query(&sql)
            .bind(case.0)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(agreement_from_row).collect()
    }

    async fn course_agreements(
        &self,
        audit: &AuditCtx,
        course: CourseId,
    ) -> StoreResult<Vec<Agreement>> {
        let mut tx = self.begin_read().await?;
        let citizen: i64 = sqlx::query_scalar("SELECT citizen_id FROM courses WHERE id = $1")
            .bind(course.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        let sql = format!(
            "{AGREEMENT_SELECT} WHERE a.course_id = $1 AND c.approved_ms IS NOT NULL ORDER BY a.id"
        );
        let rows = sqlx::query(&sql)
            .bind(course.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let agreements = rows
            .iter()
            .map(agreement_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let event = AuditEvent::allowed(AuditAction::MinutesRead)
            .subject(CitizenId(citizen))
            .object(format!("course:{}:agreements", course.0));
        self.finish_read(tx, audit, &event).await?;
        Ok(agreements)
    }

    async fn open_agreements(&self, case: CaseId) -> StoreResult<Vec<Agreement>> {
        let sql = format!(
            "{AGREEMENT_SELECT} WHERE a.course_id = (SELECT course_id FROM meeting_cases WHERE id = $1) AND a.case_id <> $1 \
             AND c.approved_ms IS NOT NULL AND (a.done_ms IS NULL OR a.done_ms >= (SELECT added_ms FROM meeting_cases WHERE id = $1)) \
             ORDER BY m.starts_ms, a.id"
        );
        let rows = sqlx::query(&sql)
            .bind(case.0)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(agreement_from_row).collect()
    }

    async fn complete_agreement(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        agreement: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let r = open_case(&mut tx, case).await?;
        let done = sqlx::query("UPDATE case_agreements SET done_ms = $1 WHERE id = $2 AND course_id = $3 AND done_ms IS NULL")
            .bind(audit.at_ms)
            .bind(agreement)
            .bind(r.course_id.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        course_event(&mut tx, audit, r.course_id, "agreement_done", "").await?;
        append(&mut tx, audit, &case_event(AuditAction::CaseWritten, &r)).await?;
        commit(tx).await
    }
}
