//! Fælles Team cases: a course on a meeting's agenda, the template's fields, agreements, the
//! minutes and their approval, and the citizen's evaluation.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::meeting::{Attendance, DeliveryChannel, DeliveryStatus};
use bro_domain::{CaseId, CitizenId, CourseId, MeetingId, ShareCategory, TeamId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, AuditStore, CaseEvaluation, CaseRef, CaseStore, CitizenCase, Conflict,
    FieldSave, FieldValue, FrozenMinutes, MeetingCase, MinutesSummary, StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::citizens::citizen_email;
use super::courses::{course_event, lock_open_course};
use super::sharing::{Asked, shared_with};
use super::{DbRow, Tx, actor, coded, commit, db_err, err, score};
use crate::{Backend, ROW_LOCK};

const FIELD_SELECT: &str = "SELECT f.field, f.body, f.version, f.updated_ms, f.updated_by_user_id, u.display_name FROM case_fields f \
     JOIN users u ON u.id = f.updated_by_user_id";

fn field_from_row(r: &DbRow) -> StoreResult<FieldValue> {
    Ok(FieldValue {
        field: r.try_get("field").map_err(err)?,
        body: r.try_get("body").map_err(err)?,
        version: r.try_get("version").map_err(err)?,
        updated_ms: r.try_get("updated_ms").map_err(err)?,
        updated_by: r.try_get("display_name").map_err(err)?,
        updated_by_user_id: UserId(r.try_get("updated_by_user_id").map_err(err)?),
    })
}

const CASE_SELECT: &str = "SELECT c.id, c.course_id, c.citizen_id, ci.given_name || ' ' || ci.family_name AS citizen_name, c.citizen_attendance, c.approved_ms, \
     u.display_name AS approved_by FROM meeting_cases c JOIN citizens ci ON ci.id = c.citizen_id \
     LEFT JOIN users u ON u.id = c.approved_by_user_id";

fn case_from_row(r: &DbRow) -> StoreResult<MeetingCase> {
    Ok(MeetingCase {
        id: CaseId(r.try_get("id").map_err(err)?),
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        citizen_id: CitizenId(r.try_get("citizen_id").map_err(err)?),
        citizen_name: r.try_get("citizen_name").map_err(err)?,
        citizen_attendance: coded(r, "citizen_attendance", Attendance::parse)?,
        approved_ms: r.try_get("approved_ms").map_err(err)?,
        approved_by: r.try_get("approved_by").map_err(err)?,
    })
}

const CASE_REF_SELECT: &str = "SELECT c.id, c.meeting_id, m.team_id, c.course_id, c.citizen_id, c.approved_ms \
     FROM meeting_cases c JOIN meetings m ON m.id = c.meeting_id WHERE c.id = $1";

pub(super) async fn case_ref_in(tx: &mut Tx, case: CaseId, lock: &str) -> StoreResult<CaseRef> {
    let sql = format!("{CASE_REF_SELECT}{lock}");
    let r = sqlx::query(&sql)
        .bind(case.0)
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
    case_ref_from_row(&r)
}

fn case_ref_from_row(r: &DbRow) -> StoreResult<CaseRef> {
    let approved: Option<i64> = r.try_get("approved_ms").map_err(err)?;
    Ok(CaseRef {
        id: CaseId(r.try_get("id").map_err(err)?),
        meeting_id: MeetingId(r.try_get("meeting_id").map_err(err)?),
        team_id: TeamId(r.try_get("team_id").map_err(err)?),
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        citizen_id: CitizenId(r.try_get("citizen_id").map_err(err)?),
        approved: approved.is_some(),
    })
}

/// A case's write lock: the case row, refused once the minutes are approved.
pub(super) async fn open_case(tx: &mut Tx, case: CaseId) -> StoreResult<CaseRef> {
    let r = case_ref_in(tx, case, ROW_LOCK).await?;
    if r.approved {
        return Err(StoreError::Conflict(Conflict::Approved));
    }
    Ok(r)
}

pub(super) fn case_event(action: AuditAction, case: &CaseRef) -> AuditEvent {
    AuditEvent::allowed(action)
        .subject(case.citizen_id)
        .object(format!("case:{}", case.id.0))
}

async fn fields_in(tx: &mut Tx, case: CaseId) -> StoreResult<Vec<FieldValue>> {
    let sql = format!("{FIELD_SELECT} WHERE f.case_id = $1 ORDER BY f.field");
    let rows = sqlx::query(&sql)
        .bind(case.0)
        .fetch_all(&mut **tx)
        .await
        .map_err(err)?;
    rows.iter().map(field_from_row).collect()
}

#[async_trait]
impl CaseStore for Backend {
    async fn add_case(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        course: CourseId,
    ) -> StoreResult<CaseId> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let cancelled: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT cancelled_ms FROM meetings WHERE id = $1{ROW_LOCK}"
        ))
        .bind(meeting.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        if cancelled.is_some() {
            return Err(StoreError::Conflict(Conflict::Cancelled));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meeting_cases (meeting_id, course_id, citizen_id, position, added_ms) \
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM meeting_cases WHERE meeting_id = $1), $4) RETURNING id",
        )
        .bind(meeting.0)
        .bind(course.0)
        .bind(citizen.0)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Case))?;
        let event = AuditEvent::allowed(AuditAction::CaseAdded)
            .subject(citizen)
            .object(format!("case:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(CaseId(id))
    }

    async fn case_ref(&self, case: CaseId) -> StoreResult<CaseRef> {
        let r = sqlx::query(CASE_REF_SELECT)
            .bind(case.0)
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        case_ref_from_row(&r)
    }

    async fn cases(&self, audit: &AuditCtx, meeting: MeetingId) -> StoreResult<Vec<MeetingCase>> {
        // The agenda names only the citizens whose minutes the viewer's organisation may see,
        // each one's showing recorded for that citizen's access log.
        let minutes_shared = shared_with(
            ShareCategory::Minutes,
            Asked {
                course: "c.course_id",
                citizen: "c.citizen_id",
                org: "$2",
                now: "$3",
            },
        );
        let sql = format!(
            "{CASE_SELECT} WHERE c.meeting_id = $1 AND {minutes_shared} ORDER BY c.position"
        );
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&sql)
            .bind(meeting.0)
            .bind(audit.tenant_id)
            .bind(audit.at_ms)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let cases = rows
            .iter()
            .map(case_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let records: Vec<_> = cases
            .iter()
            .map(|case| {
                let event = AuditEvent::allowed(AuditAction::CasesRead)
                    .subject(case.citizen_id)
                    .object(format!("meeting:{}", meeting.0));
                (audit.tenant_id, audit.fields(&event))
            })
            .collect();
        self.finish_read_many(tx, records).await?;
        Ok(cases)
    }

    async fn case(&self, audit: &AuditCtx, case: CaseId) -> StoreResult<MeetingCase> {
        let sql = format!("{CASE_SELECT} WHERE c.id = $1");
        let r = sqlx::query(&sql)
            .bind(case.0)
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        let found = case_from_row(&r)?;
        let event = AuditEvent::allowed(AuditAction::CaseRead)
            .subject(found.citizen_id)
            .object(format!("case:{}", case.0));
        self.append_audit(audit, event).await?;
        Ok(found)
    }

    async fn case_fields(&self, audit: &AuditCtx, case: CaseId) -> StoreResult<Vec<FieldValue>> {
        let mut tx = self.begin_read().await?;
        let r = case_ref_in(&mut tx, case, "").await?;
        let fields = fields_in(&mut tx, case).await?;
        self.finish_read(tx, audit, &case_event(AuditAction::CaseRead, &r))
            .await?;
        Ok(fields)
    }

    async fn save_case_field(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        field: &str,
        body: &str,
        base_version: i64,
    ) -> StoreResult<FieldSave> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let r = open_case(&mut tx, case).await?;
        let written = if base_version == 0 {
            sqlx::query(
                "INSERT INTO case_fields (case_id, field, body, version, updated_ms, updated_by_user_id) \
                 VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (case_id, field) DO NOTHING",
            )
            .bind(case.0)
            .bind(field)
            .bind(body)
            .bind(audit.at_ms)
            .bind(by.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?
        } else {
            sqlx::query(
                "UPDATE case_fields SET body = $1, version = version + 1, updated_ms = $2, updated_by_user_id = $3 \
                 WHERE case_id = $4 AND field = $5 AND version = $6",
            )
            .bind(body)
            .bind(audit.at_ms)
            .bind(by.0)
            .bind(case.0)
            .bind(field)
            .bind(base_version)
            .execute(&mut *tx)
            .await
            .map_err(err)?
        };
        let fields = fields_in(&mut tx, case).await?;
        if written.rows_affected() == 0 {
            let theirs = fields
                .into_iter()
                .find(|f| f.field == field)
                .ok_or(StoreError::NotFound)?;
            return Ok(FieldSave::Conflict(theirs));
        }
        append(&mut tx, audit, &case_event(AuditAction::CaseWritten, &r)).await?;
        commit(tx).await?;
        Ok(FieldSave::Saved(fields))
    }

    async fn set_citizen_attendance(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        attendance: Attendance,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let r = open_case(&mut tx, case).await?;
        sqlx::query("UPDATE meeting_cases SET citizen_attendance = $1 WHERE id = $2")
            .bind(attendance.as_str())
            .bind(case.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        append(&mut tx, audit, &case_event(AuditAction::CaseWritten, &r)).await?;
        commit(tx).await
    }

    async fn approve_case(&self, audit: &AuditCtx, case: CaseId, body: &str) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let r = open_case(&mut tx, case).await?;
        sqlx::query(
            "UPDATE meeting_cases SET approved_ms = $1, approved_by_user_id = $2 WHERE id = $3",
        )
        .bind(audit.at_ms)
        .bind(by.0)
        .bind(case.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        sqlx::query("INSERT INTO minutes (case_id, body, approved_ms, approved_by_user_id) VALUES ($1, $2, $3, $4)")
            .bind(case.0)
            .bind(body)
            .bind(audit.at_ms)
            .bind(by.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err(Conflict::Minutes))?;
        // The inbox is Bro itself: delivered in this transaction. The e-mail notice waits for
        // the delivery worker; without an address it is recorded as such, not silently skipped.
        let email: Option<String> = sqlx::query_scalar(&format!("SELECT {}", citizen_email("$1")))
            .bind(r.citizen_id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .flatten();
        let email_status = if email.is_some_and(|e| !e.is_empty()) {
            DeliveryStatus::Pending
        } else {
            DeliveryStatus::NoAddress
        };
        for (channel, status, sent) in [
            (
                DeliveryChannel::Inbox,
                DeliveryStatus::Sent,
                Some(audit.at_ms),
            ),
            (DeliveryChannel::Email, email_status, None),
        ] {
            sqlx::query(
                "INSERT INTO deliveries (case_id, citizen_id, channel, status, attempts, next_attempt_ms, sent_ms) \
                 VALUES ($1, $2, $3, $4, 0, $5, $6)",
            )
            .bind(case.0)
            .bind(r.citizen_id.0)
            .bind(channel.as_str())
            .bind(status.as_str())
            .bind(audit.at_ms)
            .bind(sent)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
        let agreements: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM case_agreements WHERE case_id = $1 ORDER BY id")
                .bind(case.0)
                .fetch_all(&mut *tx)
                .await
                .map_err(err)?;
        course_event(&mut tx, audit, r.course_id, "minutes_approved", "").await?;
        // The timeline names each agreement; its text stays with the minutes and their consent.
        for id in agreements {
            course_event(&mut tx, audit, r.course_id, "agreement", &id.to_string()).await?;
        }
        append(&mut tx, audit, &case_event(AuditAction::CaseApproved, &r)).await?;
        commit(tx).await
    }

    async fn minutes(&self, audit: &AuditCtx, case: CaseId) -> StoreResult<Option<FrozenMinutes>> {
        let mut tx = self.begin_read().await?;
        let r = case_ref_in(&mut tx, case, "").await?;
        let row = sqlx::query(
            "SELECT m.body, m.approved_ms, u.display_name FROM minutes m JOIN users u ON u.id = m.approved_by_user_id WHERE m.case_id = $1",
        )
        .bind(case.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let frozen = FrozenMinutes {
            case_id: case,
            body: row.try_get("body").map_err(err)?,
            approved_ms: row.try_get("approved_ms").map_err(err)?,
            approved_by: row.try_get("display_name").map_err(err)?,
        };
        self.finish_read(tx, audit, &case_event(AuditAction::MinutesRead, &r))
            .await?;
        Ok(Some(frozen))
    }

    async fn citizen_minutes(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<MinutesSummary>> {
        let rows = sqlx::query(
            "SELECT c.id, t.name AS team_name, m.starts_ms, c.approved_ms, \
             EXISTS (SELECT 1 FROM case_evaluations e WHERE e.case_id = c.id) AS evaluated \
             FROM meeting_cases c JOIN meetings m ON m.id = c.meeting_id JOIN teams t ON t.id = m.team_id \
             WHERE c.citizen_id = $1 AND c.approved_ms IS NOT NULL ORDER BY c.approved_ms DESC",
        )
        .bind(citizen.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(MinutesSummary {
                case_id: CaseId(r.try_get("id").map_err(err)?),
                team_name: r.try_get("team_name").map_err(err)?,
                meeting_ms: r.try_get("starts_ms").map_err(err)?,
                approved_ms: r.try_get("approved_ms").map_err(err)?,
                evaluated: r.try_get("evaluated").map_err(err)?,
            });
        }
        let event = AuditEvent::allowed(AuditAction::MinutesRead)
            .subject(citizen)
            .object("inbox");
        self.append_audit(audit, event).await?;
        Ok(out)
    }

    async fn citizen_cases(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<CitizenCase>> {
        let rows = sqlx::query(
            "SELECT c.id, c.meeting_id, t.name AS team_name, m.starts_ms, m.ends_ms, m.place, m.video_link, m.cancelled_ms, \
             c.approved_ms FROM meeting_cases c JOIN meetings m ON m.id = c.meeting_id JOIN teams t ON t.id = m.team_id \
             WHERE c.citizen_id = $1 ORDER BY m.starts_ms DESC",
        )
        .bind(citizen.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for r in &rows {
            let cancelled: Option<i64> = r.try_get("cancelled_ms").map_err(err)?;
            let approved: Option<i64> = r.try_get("approved_ms").map_err(err)?;
            out.push(CitizenCase {
                case_id: CaseId(r.try_get("id").map_err(err)?),
                meeting_id: MeetingId(r.try_get("meeting_id").map_err(err)?),
                team_name: r.try_get("team_name").map_err(err)?,
                starts_ms: r.try_get("starts_ms").map_err(err)?,
                ends_ms: r.try_get("ends_ms").map_err(err)?,
                place: r.try_get("place").map_err(err)?,
                video_link: r.try_get("video_link").map_err(err)?,
                cancelled: cancelled.is_some(),
                approved: approved.is_some(),
            });
        }
        let event = AuditEvent::allowed(AuditAction::CasesRead)
            .subject(citizen)
            .object("own-cases");
        self.append_audit(audit, event).await?;
        Ok(out)
    }

    async fn record_case_evaluation(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        e: &CaseEvaluation,
    ) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let r = case_ref_in(&mut tx, case, ROW_LOCK).await?;
        let written = sqlx::query(
            "INSERT INTO case_evaluations (case_id, involvement, ownership, comment, by_citizen, recorded_ms, recorded_by_user_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id) DO UPDATE SET involvement = $2, ownership = $3, \
             comment = $4, by_citizen = $5, recorded_ms = $6, recorded_by_user_id = $7 \
             WHERE NOT case_evaluations.by_citizen OR $5",
        )
        .bind(case.0)
        .bind(i64::from(e.involvement.get()))
        .bind(i64::from(e.ownership.get()))
        .bind(&e.comment)
        .bind(e.by_citizen)
        .bind(audit.at_ms)
        .bind(by.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        // The citizen's own answers stand: a note of them by the leader changes no row.
        if written.rows_affected() == 0 {
            return Err(StoreError::Conflict(Conflict::CitizenEvaluated));
        }
        append(
            &mut tx,
            audit,
            &case_event(AuditAction::EvaluationRecorded, &r),
        )
        .await?;
        commit(tx).await
    }

    async fn case_evaluation(&self, case: CaseId) -> StoreResult<Option<CaseEvaluation>> {
        let row = sqlx::query("SELECT involvement, ownership, comment, by_citizen FROM case_evaluations WHERE case_id = $1")
            .bind(case.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.map(|r| {
            Ok(CaseEvaluation {
                involvement: score(&r, "involvement")?,
                ownership: score(&r, "ownership")?,
                comment: r.try_get("comment").map_err(err)?,
                by_citizen: r.try_get("by_citizen").map_err(err)?,
            })
        })
        .transpose()
    }
}
