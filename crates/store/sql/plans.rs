//! The coordinated plan of a course, as versions, with its comments and the citizen's
//! agreement.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::plan::{PlanContent, Section};
use bro_domain::{CitizenId, CourseId};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, PlanComment, PlanStore, PlanVersion, StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::courses::{course_citizen, lock_course, lock_open_course, record_change};
use super::{Tx, commit, corrupt, db_err, err};
use crate::{Backend, Db};

const PLAN_COLUMNS: &str = "p.course_id, p.version, p.at_ms, p.section, p.content, u.display_name";

fn plan_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<PlanVersion> {
    let section: String = r.try_get("section").map_err(err)?;
    let content: String = r.try_get("content").map_err(err)?;
    Ok(PlanVersion {
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        version: r.try_get("version").map_err(err)?,
        at_ms: r.try_get("at_ms").map_err(err)?,
        author_name: r.try_get("display_name").map_err(err)?,
        section: Section::parse(&section).ok_or_else(|| corrupt("plan section"))?,
        content: PlanContent::from_json(&content)
            .map_err(|e| corrupt(&format!("plan content: {e}")))?,
    })
}

/// The record of reading `course`'s plan; an unknown course is not found.
async fn plan_read_event(tx: &mut Tx, course: CourseId) -> StoreResult<AuditEvent> {
    let (citizen, _) = course_citizen(tx, course).await?;
    Ok(AuditEvent::allowed(AuditAction::PlanRead)
        .subject(citizen)
        .object(format!("course:{}", course.0)))
}

#[async_trait]
impl PlanStore for Backend {
    async fn plan(&self, audit: &AuditCtx, course: CourseId) -> StoreResult<Option<PlanVersion>> {
        let mut tx = self.begin_read().await?;
        let event = plan_read_event(&mut tx, course).await?;
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plan_versions p LEFT JOIN users u ON u.id = p.author_user_id \
             WHERE p.course_id = $1 ORDER BY p.version DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(course.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?;
        let plan = row.as_ref().map(plan_from_row).transpose()?;
        self.finish_read(tx, audit, &event).await?;
        Ok(plan)
    }

    async fn plan_version(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        version: i64,
    ) -> StoreResult<PlanVersion> {
        let mut tx = self.begin_read().await?;
        let event = plan_read_event(&mut tx, course).await?;
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plan_versions p LEFT JOIN users u ON u.id = p.author_user_id \
             WHERE p.course_id = $1 AND p.version = $2"
        );
        let row = sqlx::query(&sql)
            .bind(course.0)
            .bind(version)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?;
        let plan = plan_from_row(&row.ok_or(StoreError::NotFound)?)?;
        self.finish_read(tx, audit, &event).await?;
        Ok(plan)
    }

    async fn plan_history(
        &self,
        audit: &AuditCtx,
        course: CourseId,
    ) -> StoreResult<Vec<PlanVersion>> {
        let mut tx = self.begin_read().await?;
        let event = plan_read_event(&mut tx, course).await?;
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plan_versions p LEFT JOIN users u ON u.id = p.author_user_id \
             WHERE p.course_id = $1 ORDER BY p.version DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(course.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let plans = rows
            .iter()
            .map(plan_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        self.finish_read(tx, audit, &event).await?;
        Ok(plans)
    }

    async fn save_plan(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        expected: i64,
        section: Section,
        content: &PlanContent,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let latest: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM plan_versions WHERE course_id = $1")
                .bind(course.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(err)?;
        if latest.unwrap_or(0) != expected {
            return Err(StoreError::Conflict(Conflict::Plan));
        }
        let version = expected + 1;
        // The primary key also refuses a second writer of the same version number.
        sqlx::query(
            "INSERT INTO plan_versions (course_id, version, at_ms, author_user_id, section, review_date, content) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(course.0)
        .bind(version)
        .bind(audit.at_ms)
        .bind(audit.actor_user_id.map(|u| u.0))
        .bind(section.as_str())
        .bind(content.review_date.clone())
        .bind(content.to_json())
        .execute(&mut *tx)
        .await
        .map_err(db_err(Conflict::Plan))?;
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("plan_version", &version.to_string()),
            AuditAction::PlanSaved,
            format!("course:{}", course.0),
        )
        .await?;
        commit(tx).await?;
        Ok(version)
    }

    async fn agree_plan(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        version: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (citizen, _) = lock_course(&mut tx, course).await?;
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT version FROM plan_versions WHERE course_id = $1 AND version = $2",
        )
        .bind(course.0)
        .bind(version)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("citizen_agreed", &version.to_string()),
            AuditAction::PlanAgreed,
            format!("course:{}", course.0),
        )
        .await?;
        commit(tx).await
    }

    async fn comment_plan(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        from_citizen: bool,
        text: String,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let author = audit.actor_user_id.ok_or(StoreError::NotFound)?;
        sqlx::query("INSERT INTO plan_comments (course_id, at_ms, author_user_id, from_citizen, text) VALUES ($1, $2, $3, $4, $5)")
            .bind(course.0)
            .bind(audit.at_ms)
            .bind(author.0)
            .bind(from_citizen)
            .bind(text)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::PlanCommented)
            .subject(citizen)
            .object(format!("course:{}", course.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn plan_comments(&self, course: CourseId) -> StoreResult<Vec<PlanComment>> {
        let rows = sqlx::query(
            "SELECT c.at_ms, c.from_citizen, c.text, u.display_name FROM plan_comments c JOIN users u ON u.id = c.author_user_id \
             WHERE c.course_id = $1 ORDER BY c.at_ms, c.id",
        )
        .bind(course.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(PlanComment {
                    at_ms: r.try_get("at_ms").map_err(err)?,
                    author_name: r.try_get("display_name").map_err(err)?,
                    from_citizen: r.try_get("from_citizen").map_err(err)?,
                    text: r.try_get("text").map_err(err)?,
                })
            })
            .collect()
    }

    async fn open_course_of(&self, citizen: CitizenId) -> StoreResult<Option<CourseId>> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM courses WHERE citizen_id = $1 AND closed_ms IS NULL",
        )
        .bind(citizen.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        Ok(id.map(CourseId))
    }
}
