//! Bulk loading for generated worlds: rows with explicit ids in as few INSERTs as the backend's
//! `BULK_BINDS` allows, their audit records, and the facts a generated world is checked by.

use async_trait::async_trait;
use bro_domain::notice::NoticeKind;
use bro_store::{
    BULK_TABLES, BulkChunk, BulkStore, FINGERPRINT_START, RECEIVED_TABLES, StoreResult, WorldFacts,
    fingerprint,
};
use sqlx::Row;

use super::chain::append_many;
use super::rows::{insert_rows, known_table};
use super::{commit, err};
use crate::Backend;

#[async_trait]
impl BulkStore for Backend {
    async fn max_id(&self, table: &str) -> StoreResult<i64> {
        known_table(table)?;
        let max: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX(id) FROM {table}"))
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        Ok(max.unwrap_or(0))
    }

    async fn world_facts(&self) -> StoreResult<WorldFacts> {
        let mut facts = WorldFacts::default();
        for table in BULK_TABLES {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&self.pool)
                .await
                .map_err(err)?;
            facts.rows.push((table, n));
        }
        facts.courses_without_one_coordinator = sqlx::query_scalar(
            "SELECT COUNT(*) FROM courses c WHERE (SELECT COUNT(*) FROM care_team_members m \
             WHERE m.course_id = c.id AND m.is_coordinator AND m.removed_ms IS NULL) <> 1",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        facts.overlapping_courses = sqlx::query_scalar(
            "SELECT COUNT(*) FROM courses a JOIN courses b ON b.citizen_id = a.citizen_id AND b.id <> a.id \
             AND b.opened_ms >= a.opened_ms AND (a.closed_ms IS NULL OR b.opened_ms <= a.closed_ms)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        facts.cases_outside_their_course = sqlx::query_scalar(
            "SELECT COUNT(*) FROM meeting_cases mc JOIN courses c ON c.id = mc.course_id JOIN meetings m ON m.id = mc.meeting_id \
             WHERE m.starts_ms < c.opened_ms OR (c.closed_ms IS NOT NULL AND m.starts_ms > c.closed_ms) OR mc.citizen_id <> c.citizen_id",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        facts.approved_cases_without_minutes = sqlx::query_scalar(
            "SELECT COUNT(*) FROM meeting_cases mc WHERE mc.approved_ms IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM minutes m WHERE m.case_id = mc.id)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        facts.overlapping_stays = sqlx::query_scalar(
            "SELECT COUNT(*) FROM care_stays a JOIN care_stays b ON b.bed_id = a.bed_id AND b.id > a.id \
             AND b.start_day < a.end_day AND a.start_day < b.end_day",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        for table in RECEIVED_TABLES {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&self.pool)
                .await
                .map_err(err)?;
            facts.rows.push((table, n));
        }
        let hospital = NoticeKind::HOSPITAL.map(|k| format!("'{}'", k.as_str()));
        let kinds = sqlx::query(&format!(
            "SELECT kind, COUNT(*) AS n FROM notices WHERE kind IN ({}) GROUP BY kind ORDER BY kind",
            hospital.join(", ")
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        for r in &kinds {
            facts.hospital_alerts.push((
                r.try_get("kind").map_err(err)?,
                r.try_get("n").map_err(err)?,
            ));
        }
        facts.cprs = sqlx::query_scalar("SELECT cpr FROM citizens ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        let rows =
            sqlx::query("SELECT citizen_id, phase, opened_ms, closed_ms FROM courses ORDER BY id")
                .fetch_all(&self.pool)
                .await
                .map_err(err)?;
        for r in &rows {
            let citizen: i64 = r.try_get("citizen_id").map_err(err)?;
            let phase: String = r.try_get("phase").map_err(err)?;
            let opened: i64 = r.try_get("opened_ms").map_err(err)?;
            let closed: Option<i64> = r.try_get("closed_ms").map_err(err)?;
            facts
                .courses
                .push(format!("{citizen} {phase} {opened} {closed:?}"));
        }
        let contents: Vec<String> =
            sqlx::query_scalar("SELECT content FROM plan_versions ORDER BY course_id, version")
                .fetch_all(&self.pool)
                .await
                .map_err(err)?;
        facts.plan_fingerprint = contents
            .iter()
            .fold(FINGERPRINT_START, |h, c| fingerprint(h, c));
        let records = sqlx::query(
            "SELECT tenant_id, seq, at_ms, actor_user_id, action, subject_citizen_id, purpose, object \
             FROM audit_log ORDER BY tenant_id, seq",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut h = FINGERPRINT_START;
        for r in &records {
            let line = format!(
                "{} {} {} {:?} {} {:?} {} {:?}",
                r.try_get::<i64, _>("tenant_id").map_err(err)?,
                r.try_get::<i64, _>("seq").map_err(err)?,
                r.try_get::<i64, _>("at_ms").map_err(err)?,
                r.try_get::<Option<i64>, _>("actor_user_id").map_err(err)?,
                r.try_get::<String, _>("action").map_err(err)?,
                r.try_get::<Option<i64>, _>("subject_citizen_id")
                    .map_err(err)?,
                r.try_get::<String, _>("purpose").map_err(err)?,
                r.try_get::<Option<String>, _>("object").map_err(err)?,
            );
            h = fingerprint(h, &line);
        }
        facts.audit_fingerprint = h;
        Ok(facts)
    }

    async fn analyze(&self) -> StoreResult<()> {
        sqlx::query("ANALYZE")
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn bulk_write(&self, chunk: BulkChunk) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for t in &chunk.tables {
            insert_rows(&mut tx, t).await?;
        }
        append_many(&mut tx, &chunk.audit).await?;
        let (key, value) = &chunk.done;
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        commit(tx).await
    }
}
