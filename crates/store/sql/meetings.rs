//! Fælles Team meetings: series, single meetings, participants and the meetings' evaluations.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::meeting::{Attendance, Score, TeamFunction};
use bro_domain::{MeetingId, TeamId, Timestamp, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, EvaluationPoint, Meeting, MeetingEvaluation, MeetingStore,
    NewSeries, Participant, StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::{DbRow, Tx, actor, coded, commit, db_err, err, score};
use crate::{Backend, ROW_LOCK};

const MEETING_SELECT: &str = "SELECT m.id, m.team_id, t.name AS team_name, m.series_id, m.title, m.starts_ms, m.ends_ms, \
     m.place, m.video_link, m.theme, m.moved, m.cancelled_ms, m.sequence FROM meetings m JOIN teams t ON t.id = m.team_id";

fn meeting_from_row(r: &DbRow) -> StoreResult<Meeting> {
    Ok(Meeting {
        id: MeetingId(r.try_get("id").map_err(err)?),
        team_id: TeamId(r.try_get("team_id").map_err(err)?),
        team_name: r.try_get("team_name").map_err(err)?,
        series_id: r.try_get("series_id").map_err(err)?,
        title: r.try_get("title").map_err(err)?,
        starts_ms: r.try_get("starts_ms").map_err(err)?,
        ends_ms: r.try_get("ends_ms").map_err(err)?,
        place: r.try_get("place").map_err(err)?,
        video_link: r.try_get("video_link").map_err(err)?,
        theme: r.try_get("theme").map_err(err)?,
        moved: r.try_get("moved").map_err(err)?,
        cancelled_ms: r.try_get("cancelled_ms").map_err(err)?,
        sequence: r.try_get("sequence").map_err(err)?,
    })
}

/// Refuses a meeting overlapping another, not cancelled, meeting of the team.
async fn check_no_overlap(
    tx: &mut Tx,
    team: TeamId,
    starts: i64,
    ends: i64,
    except: Option<MeetingId>,
) -> StoreResult<()> {
    let clash: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM meetings WHERE team_id = $1 AND cancelled_ms IS NULL AND starts_ms < $3 AND ends_ms > $2 \
         AND id <> $4 LIMIT 1",
    )
    .bind(team.0)
    .bind(starts)
    .bind(ends)
    .bind(except.map_or(0, |m| m.0))
    .fetch_optional(&mut **tx)
    .await
    .map_err(err)?;
    match clash {
        Some(_) => Err(StoreError::Conflict(Conflict::Overlap)),
        None => Ok(()),
    }
}

async fn touch_meeting(tx: &mut Tx, audit: &AuditCtx, meeting: MeetingId) -> StoreResult<()> {
    let event =
        AuditEvent::allowed(AuditAction::MeetingChanged).object(format!("meeting:{}", meeting.0));
    append(tx, audit, &event).await
}

#[async_trait]
impl MeetingStore for Backend {
    async fn create_series(&self, audit: &AuditCtx, new: NewSeries) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meeting_series (team_id, title, first_date, start_minute, minutes, every_weeks, until_date, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.team.0)
        .bind(&new.title)
        .bind(&new.first_date)
        .bind(new.start_minute)
        .bind(new.minutes)
        .bind(new.every_weeks)
        .bind(&new.until_date)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Series))?;
        for (date, starts, ends, theme) in &new.meetings {
            check_no_overlap(&mut tx, new.team, *starts, *ends, None).await?;
            let meeting: i64 = sqlx::query_scalar(
                "INSERT INTO meetings (team_id, series_id, series_date, title, starts_ms, ends_ms, place, video_link, theme) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(new.team.0)
            .bind(id)
            .bind(date)
            .bind(&new.title)
            .bind(starts)
            .bind(ends)
            .bind(&new.place)
            .bind(&new.video_link)
            .bind(theme)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err(Conflict::Meeting))?;
            sqlx::query(
                "INSERT INTO meeting_participants (meeting_id, user_id, attendance) \
                 SELECT CAST($1 AS BIGINT), user_id, 'invited' FROM team_members WHERE team_id = $2 AND fixed \
                 UNION SELECT CAST($1 AS BIGINT), leader_user_id, 'invited' FROM teams WHERE id = $2 \
                 UNION SELECT CAST($1 AS BIGINT), convener_user_id, 'invited' FROM teams WHERE id = $2",
            )
            .bind(meeting)
            .bind(new.team.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
        let event =
            AuditEvent::allowed(AuditAction::MeetingSeriesCreated).object(format!("series:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn meetings_of_team(
        &self,
        team: TeamId,
        from_ms: Timestamp,
        to_ms: Timestamp,
    ) -> StoreResult<Vec<Meeting>> {
        let sql = format!(
            "{MEETING_SELECT} WHERE m.team_id = $1 AND m.ends_ms > $2 AND m.starts_ms < $3 ORDER BY m.starts_ms"
        );
        let rows = sqlx::query(&sql)
            .bind(team.0)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(meeting_from_row).collect()
    }

    async fn meetings_of_user(
        &self,
        user: UserId,
        from_ms: Timestamp,
        to_ms: Timestamp,
    ) -> StoreResult<Vec<Meeting>> {
        let sql = format!(
            "{MEETING_SELECT} JOIN meeting_participants p ON p.meeting_id = m.id WHERE p.user_id = $1 \
             AND m.ends_ms > $2 AND m.starts_ms < $3 ORDER BY m.starts_ms"
        );
        let rows = sqlx::query(&sql)
            .bind(user.0)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(meeting_from_row).collect()
    }

    async fn meeting(&self, id: MeetingId) -> StoreResult<Meeting> {
        let sql = format!("{MEETING_SELECT} WHERE m.id = $1");
        let r = sqlx::query(&sql)
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        meeting_from_row(&r)
    }

    async fn move_meeting(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        starts_ms: Timestamp,
        ends_ms: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let sql = format!("SELECT team_id, cancelled_ms FROM meetings WHERE id = $1{ROW_LOCK}");
        let r = sqlx::query(&sql)
            .bind(meeting.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
        let cancelled: Option<i64> = r.try_get("cancelled_ms").map_err(err)?;
        if cancelled.is_some() {
            return Err(StoreError::Conflict(Conflict::Cancelled));
        }
        let team = TeamId(r.try_get("team_id").map_err(err)?);
        check_no_overlap(&mut tx, team, starts_ms, ends_ms, Some(meeting)).await?;
        sqlx::query("UPDATE meetings SET starts_ms = $1, ends_ms = $2, moved = TRUE, sequence = sequence + 1 WHERE id = $3")
            .bind(starts_ms)
            .bind(ends_ms)
            .bind(meeting.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        touch_meeting(&mut tx, audit, meeting).await?;
        commit(tx).await
    }

    async fn cancel_meeting(&self, audit: &AuditCtx, meeting: MeetingId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE meetings SET cancelled_ms = $1, sequence = sequence + 1 WHERE id = $2 AND cancelled_ms IS NULL",
        )
        .bind(audit.at_ms)
        .bind(meeting.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(Conflict::Cancelled));
        }
        touch_meeting(&mut tx, audit, meeting).await?;
        commit(tx).await
    }

    async fn set_meeting_details(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        place: &str,
        video_link: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE meetings SET place = $1, video_link = $2, sequence = sequence + 1 WHERE id = $3")
            .bind(place)
            .bind(video_link)
            .bind(meeting.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        touch_meeting(&mut tx, audit, meeting).await?;
        commit(tx).await
    }

    async fn participants(&self, meeting: MeetingId) -> StoreResult<Vec<Participant>> {
        let rows = sqlx::query(
            "SELECT p.user_id, u.display_name, o.name AS org_name, tm.function, p.attendance FROM meeting_participants p \
             JOIN meetings m ON m.id = p.meeting_id JOIN users u ON u.id = p.user_id JOIN organisations o ON o.id = u.org_id \
             LEFT JOIN team_members tm ON tm.team_id = m.team_id AND tm.user_id = p.user_id \
             WHERE p.meeting_id = $1 ORDER BY u.display_name",
        )
        .bind(meeting.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for r in &rows {
            let function: Option<String> = r.try_get("function").map_err(err)?;
            out.push(Participant {
                user_id: UserId(r.try_get("user_id").map_err(err)?),
                name: r.try_get("display_name").map_err(err)?,
                org_name: r.try_get("org_name").map_err(err)?,
                function: function.as_deref().and_then(TeamFunction::parse),
                attendance: coded(r, "attendance", Attendance::parse)?,
            });
        }
        Ok(out)
    }

    async fn invite(&self, audit: &AuditCtx, meeting: MeetingId, user: UserId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO meeting_participants (meeting_id, user_id, attendance) SELECT m.id, tm.user_id, 'invited' \
             FROM meetings m JOIN team_members tm ON tm.team_id = m.team_id AND tm.user_id = $2 WHERE m.id = $1 \
             ON CONFLICT DO NOTHING",
        )
        .bind(meeting.0)
        .bind(user.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(Conflict::Invited));
        }
        sqlx::query("UPDATE meetings SET sequence = sequence + 1 WHERE id = $1")
            .bind(meeting.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::MeetingAttendance)
            .object(format!("meeting:{}", meeting.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn set_attendance(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        user: UserId,
        attendance: Attendance,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE meeting_participants SET attendance = $1 WHERE meeting_id = $2 AND user_id = $3")
            .bind(attendance.as_str())
            .bind(meeting.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::MeetingAttendance)
            .object(format!("meeting:{}", meeting.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn record_meeting_evaluation(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        coherence: Score,
        effects: &str,
        learning: &str,
    ) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO meeting_evaluations (meeting_id, user_id, coherence, effects, learning, recorded_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (meeting_id, user_id) DO UPDATE SET coherence = $3, effects = $4, \
             learning = $5, recorded_ms = $6",
        )
        .bind(meeting.0)
        .bind(by.0)
        .bind(i64::from(coherence.get()))
        .bind(effects)
        .bind(learning)
        .bind(audit.at_ms)
        .execute(&mut *tx)
        .await
        .map_err(db_err(Conflict::Evaluation))?;
        let event = AuditEvent::allowed(AuditAction::EvaluationRecorded)
            .object(format!("meeting:{}", meeting.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn meeting_evaluations(&self, meeting: MeetingId) -> StoreResult<Vec<MeetingEvaluation>> {
        let rows = sqlx::query(
            "SELECT u.display_name, e.coherence, e.effects, e.learning FROM meeting_evaluations e JOIN users u ON u.id = e.user_id \
             WHERE e.meeting_id = $1 ORDER BY u.display_name",
        )
        .bind(meeting.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(MeetingEvaluation {
                    user_name: r.try_get("display_name").map_err(err)?,
                    coherence: score(r, "coherence")?,
                    effects: r.try_get("effects").map_err(err)?,
                    learning: r.try_get("learning").map_err(err)?,
                })
            })
            .collect()
    }

    async fn evaluation_points(&self, team: TeamId) -> StoreResult<Vec<EvaluationPoint>> {
        let rows = sqlx::query(
            "SELECT m.id, m.starts_ms, \
             (SELECT AVG(CAST(e.involvement AS REAL)) FROM case_evaluations e JOIN meeting_cases c ON c.id = e.case_id WHERE c.meeting_id = m.id) AS involvement, \
             (SELECT AVG(CAST(e.ownership AS REAL)) FROM case_evaluations e JOIN meeting_cases c ON c.id = e.case_id WHERE c.meeting_id = m.id) AS ownership, \
             (SELECT COUNT(*) FROM case_evaluations e JOIN meeting_cases c ON c.id = e.case_id WHERE c.meeting_id = m.id) AS citizen_answers, \
             (SELECT AVG(CAST(e.coherence AS REAL)) FROM meeting_evaluations e WHERE e.meeting_id = m.id) AS coherence, \
             (SELECT COUNT(*) FROM meeting_evaluations e WHERE e.meeting_id = m.id) AS actor_answers \
             FROM meetings m WHERE m.team_id = $1 AND m.cancelled_ms IS NULL ORDER BY m.starts_ms",
        )
        .bind(team.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for r in &rows {
            let citizen_answers: i64 = r.try_get("citizen_answers").map_err(err)?;
            let actor_answers: i64 = r.try_get("actor_answers").map_err(err)?;
            if citizen_answers == 0 && actor_answers == 0 {
                continue;
            }
            out.push(EvaluationPoint {
                meeting_id: MeetingId(r.try_get("id").map_err(err)?),
                starts_ms: r.try_get("starts_ms").map_err(err)?,
                involvement: average(r, "involvement")?,
                ownership: average(r, "ownership")?,
                coherence: average(r, "coherence")?,
                citizen_answers,
                actor_answers,
            });
        }
        Ok(out)
    }
}

fn average(r: &DbRow, column: &str) -> StoreResult<Option<f64>> {
    r.try_get::<Option<f64>, _>(column).map_err(err)
}
