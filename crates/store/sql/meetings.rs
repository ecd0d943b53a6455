// Fælles Team meetings: SQL both backends share, included after `shared.rs` (whose helpers it
// uses: `append`, `commit`, `err`, `db_err`, `course_event`, `Tx`, `ROW_LOCK`).

use bro_domain::meeting::{Attendance, DeliveryChannel, DeliveryStatus, Score, TeamFunction, retry_delay_ms};
use bro_domain::{CaseId, MeetingId, TeamId};
use bro_store::{
    Agreement, CalendarFeed, CaseEvaluation, CaseRef, CitizenCase, Delivery, DueDelivery, EvaluationPoint, FeedOwner,
    FieldSave, FieldValue, FrozenMinutes, Meeting, MeetingCase, MeetingEvaluation, MeetingStore, MinutesSummary, CaseStore, DeliveryStore, FeedStore, TeamStore,
    NewSeries, NewTeam, NewTeamMember, Participant, TargetCitizen, Team, TeamMember, TeamSummary,
};

type DbRow = <Db as sqlx::Database>::Row;

fn coded<T>(r: &DbRow, column: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    let code: String = r.try_get(column).map_err(err)?;
    parse(&code).ok_or_else(|| corrupt(column))
}

fn score(r: &DbRow, column: &str) -> StoreResult<Score> {
    let n: i64 = r.try_get(column).map_err(err)?;
    u8::try_from(n).ok().and_then(Score::new).ok_or_else(|| corrupt(column))
}

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

const FIELD_SELECT: &str = "SELECT f.field, f.body, f.version, f.updated_ms, u.display_name FROM case_fields f \
     JOIN users u ON u.id = f.updated_by_user_id";

fn field_from_row(r: &DbRow) -> StoreResult<FieldValue> {
    Ok(FieldValue {
        field: r.try_get("field").map_err(err)?,
        body: r.try_get("body").map_err(err)?,
        version: r.try_get("version").map_err(err)?,
        updated_ms: r.try_get("updated_ms").map_err(err)?,
        updated_by: r.try_get("display_name").map_err(err)?,
    })
}

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

fn delivery_from_row(r: &DbRow) -> StoreResult<Delivery> {
    Ok(Delivery {
        id: r.try_get("id").map_err(err)?,
        case_id: CaseId(r.try_get("case_id").map_err(err)?),
        channel: coded(r, "channel", DeliveryChannel::parse)?,
        status: coded(r, "status", DeliveryStatus::parse)?,
        attempts: r.try_get("attempts").map_err(err)?,
        next_attempt_ms: r.try_get("next_attempt_ms").map_err(err)?,
        last_error: r.try_get("last_error").map_err(err)?,
        sent_ms: r.try_get("sent_ms").map_err(err)?,
    })
}

fn feed_from_row(r: &DbRow) -> StoreResult<CalendarFeed> {
    let user: Option<i64> = r.try_get("user_id").map_err(err)?;
    let team: Option<i64> = r.try_get("team_id").map_err(err)?;
    let owner = match (user, team) {
        (Some(u), None) => FeedOwner::User(UserId(u)),
        (None, Some(t)) => FeedOwner::Team(TeamId(t)),
        _ => return Err(corrupt("calendar feed owner")),
    };
    Ok(CalendarFeed {
        id: r.try_get("id").map_err(err)?,
        owner,
        created_ms: r.try_get("created_ms").map_err(err)?,
        revoked_ms: r.try_get("revoked_ms").map_err(err)?,
    })
}

fn owner_columns(owner: FeedOwner) -> (Option<i64>, Option<i64>) {
    match owner {
        FeedOwner::User(u) => (Some(u.0), None),
        FeedOwner::Team(t) => (None, Some(t.0)),
    }
}

fn actor(audit: &AuditCtx) -> StoreResult<UserId> {
    audit.actor_user_id.ok_or_else(|| StoreError::Corrupt("a meeting act is done by someone".into()))
}

/// Refuses a meeting overlapping another, not cancelled, meeting of the team.
async fn check_no_overlap(tx: &mut Tx, team: TeamId, starts: i64, ends: i64, except: Option<MeetingId>) -> StoreResult<()> {
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

const CASE_REF_SELECT: &str = "SELECT c.id, c.meeting_id, m.team_id, c.course_id, c.citizen_id, c.approved_ms \
     FROM meeting_cases c JOIN meetings m ON m.id = c.meeting_id WHERE c.id = $1";

async fn case_ref_in(tx: &mut Tx, case: CaseId, lock: &str) -> StoreResult<CaseRef> {
    let sql = format!("{CASE_REF_SELECT}{lock}");
    let r = sqlx::query(&sql).bind(case.0).fetch_one(&mut **tx).await.map_err(err)?;
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
async fn open_case(tx: &mut Tx, case: CaseId) -> StoreResult<CaseRef> {
    let r = case_ref_in(tx, case, ROW_LOCK).await?;
    if r.approved {
        return Err(StoreError::Conflict(Conflict::Approved));
    }
    Ok(r)
}

fn case_event(action: AuditAction, case: &CaseRef) -> AuditEvent {
    AuditEvent::allowed(action).subject(case.citizen_id).object(format!("case:{}", case.id.0))
}

/// Records a change of a team's set-up and commits it.
async fn team_changed(mut tx: Tx, audit: &AuditCtx, team: TeamId) -> StoreResult<()> {
    let event = AuditEvent::allowed(AuditAction::TeamChanged).object(format!("team:{}", team.0));
    append(&mut tx, audit, &event).await?;
    commit(tx).await
}

/// The address a citizen's notices go to: their active citizen login's e-mail, if any.
/// `citizen` is the SQL expression of the citizen's id.
fn citizen_email(citizen: &str) -> String {
    format!(
        "(SELECT u.email FROM users u WHERE u.citizen_id = {citizen} AND u.kind = 'citizen' AND u.active \
         ORDER BY u.id LIMIT 1)"
    )
}

async fn touch_meeting(tx: &mut Tx, audit: &AuditCtx, meeting: MeetingId) -> StoreResult<()> {
    let event = AuditEvent::allowed(AuditAction::MeetingChanged).object(format!("meeting:{}", meeting.0));
    append(tx, audit, &event).await
}

async fn fields_in(tx: &mut Tx, case: CaseId) -> StoreResult<Vec<FieldValue>> {
    let sql = format!("{FIELD_SELECT} WHERE f.case_id = $1 ORDER BY f.field");
    let rows = sqlx::query(&sql).bind(case.0).fetch_all(&mut **tx).await.map_err(err)?;
    rows.iter().map(field_from_row).collect()
}

#[async_trait]
impl TeamStore for Backend {
    async fn create_team(&self, audit: &AuditCtx, new: NewTeam) -> StoreResult<TeamId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO teams (collaboration_id, name, place, leader_user_id, convener_user_id, agenda, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.collaboration_id.0)
        .bind(&new.name)
        .bind(&new.place)
        .bind(new.leader.0)
        .bind(new.convener.0)
        .bind(&new.agenda)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Team))?;
        for m in &new.members {
            upsert_member(&mut tx, TeamId(id), *m).await?;
        }
        replace_themes(&mut tx, TeamId(id), &new.themes).await?;
        let event = AuditEvent::allowed(AuditAction::TeamCreated).object(format!("team:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(TeamId(id))
    }

    async fn team(&self, id: TeamId) -> StoreResult<Team> {
        let r = sqlx::query(
            "SELECT t.id, t.collaboration_id, c.name AS collaboration_name, t.name, t.place, t.agenda, \
             t.leader_user_id, l.display_name AS leader_name, t.convener_user_id, v.display_name AS convener_name \
             FROM teams t JOIN collaborations c ON c.id = t.collaboration_id JOIN users l ON l.id = t.leader_user_id \
             JOIN users v ON v.id = t.convener_user_id WHERE t.id = $1",
        )
        .bind(id.0)
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        let collaboration_id = CollaborationId(r.try_get("collaboration_id").map_err(err)?);
        let org_rows = sqlx::query(
            "SELECT o.id, o.name FROM collaboration_orgs co JOIN organisations o ON o.id = co.org_id \
             WHERE co.collaboration_id = $1 ORDER BY o.name",
        )
        .bind(collaboration_id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut orgs = Vec::new();
        for o in &org_rows {
            orgs.push((OrgId(o.try_get("id").map_err(err)?), o.try_get("name").map_err(err)?));
        }
        let member_rows = sqlx::query(
            "SELECT m.user_id, u.display_name, o.name AS org_name, m.function, m.fixed FROM team_members m \
             JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = u.org_id WHERE m.team_id = $1 \
             ORDER BY m.fixed DESC, u.display_name",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut members = Vec::new();
        for m in &member_rows {
            members.push(TeamMember {
                user_id: UserId(m.try_get("user_id").map_err(err)?),
                name: m.try_get("display_name").map_err(err)?,
                org_name: m.try_get("org_name").map_err(err)?,
                function: coded(m, "function", TeamFunction::parse)?,
                fixed: m.try_get("fixed").map_err(err)?,
            });
        }
        let theme_rows = sqlx::query("SELECT month, theme FROM team_themes WHERE team_id = $1 ORDER BY month")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        let mut themes = Vec::new();
        for t in &theme_rows {
            let month: i64 = t.try_get("month").map_err(err)?;
            themes.push((u8::try_from(month).map_err(|_| corrupt("theme month"))?, t.try_get("theme").map_err(err)?));
        }
        Ok(Team {
            id,
            collaboration_id,
            collaboration_name: r.try_get("collaboration_name").map_err(err)?,
            name: r.try_get("name").map_err(err)?,
            place: r.try_get("place").map_err(err)?,
            leader: (UserId(r.try_get("leader_user_id").map_err(err)?), r.try_get("leader_name").map_err(err)?),
            convener: (UserId(r.try_get("convener_user_id").map_err(err)?), r.try_get("convener_name").map_err(err)?),
            agenda: r.try_get("agenda").map_err(err)?,
            orgs,
            members,
            themes,
        })
    }

    async fn teams_of_user(&self, user: UserId, now: Timestamp) -> StoreResult<Vec<TeamSummary>> {
        self.team_summaries(now, 
            "t.leader_user_id = $1 OR t.convener_user_id = $1 OR EXISTS \
             (SELECT 1 FROM team_members tm WHERE tm.team_id = t.id AND tm.user_id = $1)",
            user.0,
        )
        .await
    }

    async fn teams_of_org(&self, org: OrgId, now: Timestamp) -> StoreResult<Vec<TeamSummary>> {
        self.team_summaries(now, 
            "t.collaboration_id IN (SELECT collaboration_id FROM collaboration_orgs WHERE org_id = $1)",
            org.0,
        )
        .await
    }

    async fn set_team_agenda(&self, audit: &AuditCtx, team: TeamId, agenda: &str, themes: &[(u8, String)]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE teams SET agenda = $1 WHERE id = $2")
            .bind(agenda)
            .bind(team.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        replace_themes(&mut tx, team, themes).await?;
        team_changed(tx, audit, team).await
    }

    async fn set_team_member(&self, audit: &AuditCtx, team: TeamId, member: NewTeamMember) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        upsert_member(&mut tx, team, member).await?;
        team_changed(tx, audit, team).await
    }

    async fn remove_team_member(&self, audit: &AuditCtx, team: TeamId, user: UserId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
            .bind(team.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        team_changed(tx, audit, team).await
    }

    async fn team_citizens(&self, audit: &AuditCtx, team: TeamId) -> StoreResult<Vec<TargetCitizen>> {
        let rows = sqlx::query(
            "SELECT tc.course_id, c.citizen_id, ci.given_name || ' ' || ci.family_name AS name, tc.added_ms FROM team_citizens tc JOIN courses c ON c.id = tc.course_id \
             JOIN citizens ci ON ci.id = c.citizen_id WHERE tc.team_id = $1 AND tc.removed_ms IS NULL AND c.closed_ms IS NULL \
             ORDER BY ci.family_name, ci.given_name",
        )
        .bind(team.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(TargetCitizen {
                course_id: CourseId(r.try_get("course_id").map_err(err)?),
                citizen_id: CitizenId(r.try_get("citizen_id").map_err(err)?),
                citizen_name: r.try_get("name").map_err(err)?,
                added_ms: r.try_get("added_ms").map_err(err)?,
            });
        }
        let event = AuditEvent::allowed(AuditAction::TeamCitizensRead).object(format!("team:{}", team.0));
        self.append_audit(audit, event).await?;
        Ok(out)
    }

    async fn add_team_citizen(&self, audit: &AuditCtx, team: TeamId, course: CourseId) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let done = sqlx::query(
            "INSERT INTO team_citizens (team_id, course_id, added_ms, added_by_user_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (team_id, course_id) DO UPDATE SET removed_ms = NULL, added_ms = $3, added_by_user_id = $4 \
             WHERE team_citizens.removed_ms IS NOT NULL",
        )
        .bind(team.0)
        .bind(course.0)
        .bind(audit.at_ms)
        .bind(by.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err(Conflict::TeamCitizen))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(Conflict::Listed));
        }
        let event = AuditEvent::allowed(AuditAction::TeamCitizenAdded).subject(citizen).object(format!("team:{}", team.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn remove_team_citizen(&self, audit: &AuditCtx, team: TeamId, course: CourseId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (citizen, _) = course_citizen(&mut tx, course).await?;
        let done = sqlx::query("UPDATE team_citizens SET removed_ms = $1 WHERE team_id = $2 AND course_id = $3 AND removed_ms IS NULL")
            .bind(audit.at_ms)
            .bind(team.0)
            .bind(course.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::TeamCitizenRemoved).subject(citizen).object(format!("team:{}", team.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }
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
        let event = AuditEvent::allowed(AuditAction::MeetingSeriesCreated).object(format!("series:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn meetings_of_team(&self, team: TeamId, from_ms: Timestamp, to_ms: Timestamp) -> StoreResult<Vec<Meeting>> {
        let sql = format!("{MEETING_SELECT} WHERE m.team_id = $1 AND m.ends_ms > $2 AND m.starts_ms < $3 ORDER BY m.starts_ms");
        let rows = sqlx::query(&sql).bind(team.0).bind(from_ms).bind(to_ms).fetch_all(&self.pool).await.map_err(err)?;
        rows.iter().map(meeting_from_row).collect()
    }

    async fn meetings_of_user(&self, user: UserId, from_ms: Timestamp, to_ms: Timestamp) -> StoreResult<Vec<Meeting>> {
        let sql = format!(
            "{MEETING_SELECT} JOIN meeting_participants p ON p.meeting_id = m.id WHERE p.user_id = $1 \
             AND m.ends_ms > $2 AND m.starts_ms < $3 ORDER BY m.starts_ms"
        );
        let rows = sqlx::query(&sql).bind(user.0).bind(from_ms).bind(to_ms).fetch_all(&self.pool).await.map_err(err)?;
        rows.iter().map(meeting_from_row).collect()
    }

    async fn meeting(&self, id: MeetingId) -> StoreResult<Meeting> {
        let sql = format!("{MEETING_SELECT} WHERE m.id = $1");
        let r = sqlx::query(&sql).bind(id.0).fetch_one(&self.pool).await.map_err(err)?;
        meeting_from_row(&r)
    }

    async fn move_meeting(&self, audit: &AuditCtx, meeting: MeetingId, starts_ms: Timestamp, ends_ms: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let sql = format!("SELECT team_id, cancelled_ms FROM meetings WHERE id = $1{ROW_LOCK}");
        let r = sqlx::query(&sql).bind(meeting.0).fetch_one(&mut *tx).await.map_err(err)?;
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

    async fn set_meeting_details(&self, audit: &AuditCtx, meeting: MeetingId, place: &str, video_link: &str) -> StoreResult<()> {
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
        let event = AuditEvent::allowed(AuditAction::MeetingAttendance).object(format!("meeting:{}", meeting.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn set_attendance(&self, audit: &AuditCtx, meeting: MeetingId, user: UserId, attendance: Attendance) -> StoreResult<()> {
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
        let event = AuditEvent::allowed(AuditAction::MeetingAttendance).object(format!("meeting:{}", meeting.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn record_meeting_evaluation(&self, audit: &AuditCtx, meeting: MeetingId, coherence: Score, effects: &str, learning: &str) -> StoreResult<()> {
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
        let event = AuditEvent::allowed(AuditAction::EvaluationRecorded).object(format!("meeting:{}", meeting.0));
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

#[async_trait]
impl CaseStore for Backend {
    async fn add_case(&self, audit: &AuditCtx, meeting: MeetingId, course: CourseId) -> StoreResult<CaseId> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let cancelled: Option<i64> = sqlx::query_scalar(&format!("SELECT cancelled_ms FROM meetings WHERE id = $1{ROW_LOCK}"))
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
        let event = AuditEvent::allowed(AuditAction::CaseAdded).subject(citizen).object(format!("case:{id}"));
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
        let sql = format!("{CASE_SELECT} WHERE c.meeting_id = $1 ORDER BY c.position");
        let rows = sqlx::query(&sql).bind(meeting.0).fetch_all(&self.pool).await.map_err(err)?;
        let cases = rows.iter().map(case_from_row).collect::<StoreResult<Vec<_>>>()?;
        let event = AuditEvent::allowed(AuditAction::CasesRead).object(format!("meeting:{}", meeting.0));
        self.append_audit(audit, event).await?;
        Ok(cases)
    }

    async fn case(&self, audit: &AuditCtx, case: CaseId) -> StoreResult<MeetingCase> {
        let sql = format!("{CASE_SELECT} WHERE c.id = $1");
        let r = sqlx::query(&sql).bind(case.0).fetch_one(&self.pool).await.map_err(err)?;
        let found = case_from_row(&r)?;
        let event = AuditEvent::allowed(AuditAction::CaseRead).subject(found.citizen_id).object(format!("case:{}", case.0));
        self.append_audit(audit, event).await?;
        Ok(found)
    }

    async fn case_fields(&self, audit: &AuditCtx, case: CaseId) -> StoreResult<Vec<FieldValue>> {
        let mut tx = self.begin_read().await?;
        let r = case_ref_in(&mut tx, case, "").await?;
        let fields = fields_in(&mut tx, case).await?;
        self.finish_read(tx, audit, &case_event(AuditAction::CaseRead, &r)).await?;
        Ok(fields)
    }

    async fn save_case_field(&self, audit: &AuditCtx, case: CaseId, field: &str, body: &str, base_version: i64) -> StoreResult<FieldSave> {
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
            let theirs = fields.into_iter().find(|f| f.field == field).ok_or(StoreError::NotFound)?;
            return Ok(FieldSave::Conflict(theirs));
        }
        append(&mut tx, audit, &case_event(AuditAction::CaseWritten, &r)).await?;
        commit(tx).await?;
        Ok(FieldSave::Saved(fields))
    }

    async fn set_citizen_attendance(&self, audit: &AuditCtx, case: CaseId, attendance: Attendance) -> StoreResult<()> {
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

    async fn add_agreement(&self, audit: &AuditCtx, case: CaseId, what: &str, who: &str, due_date: Option<&str>) -> StoreResult<i64> {
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
        let rows = sqlx::query(&sql).bind(case.0).fetch_all(&self.pool).await.map_err(err)?;
        rows.iter().map(agreement_from_row).collect()
    }

    async fn open_agreements(&self, case: CaseId) -> StoreResult<Vec<Agreement>> {
        let sql = format!(
            "{AGREEMENT_SELECT} WHERE a.course_id = (SELECT course_id FROM meeting_cases WHERE id = $1) AND a.case_id <> $1 \
             AND c.approved_ms IS NOT NULL AND (a.done_ms IS NULL OR a.done_ms >= (SELECT added_ms FROM meeting_cases WHERE id = $1)) \
             ORDER BY m.starts_ms, a.id"
        );
        let rows = sqlx::query(&sql).bind(case.0).fetch_all(&self.pool).await.map_err(err)?;
        rows.iter().map(agreement_from_row).collect()
    }

    async fn complete_agreement(&self, audit: &AuditCtx, case: CaseId, agreement: i64) -> StoreResult<()> {
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

    async fn approve_case(&self, audit: &AuditCtx, case: CaseId, body: &str) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let r = open_case(&mut tx, case).await?;
        sqlx::query("UPDATE meeting_cases SET approved_ms = $1, approved_by_user_id = $2 WHERE id = $3")
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
        let email_status = if email.is_some_and(|e| !e.is_empty()) { DeliveryStatus::Pending } else { DeliveryStatus::NoAddress };
        for (channel, status, sent) in [
            (DeliveryChannel::Inbox, DeliveryStatus::Sent, Some(audit.at_ms)),
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
        let agreements: Vec<String> = sqlx::query_scalar("SELECT what FROM case_agreements WHERE case_id = $1 ORDER BY id")
            .bind(case.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        course_event(&mut tx, audit, r.course_id, "minutes_approved", "").await?;
        for what in &agreements {
            course_event(&mut tx, audit, r.course_id, "agreement", what).await?;
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
        self.finish_read(tx, audit, &case_event(AuditAction::MinutesRead, &r)).await?;
        Ok(Some(frozen))
    }

    async fn citizen_minutes(&self, audit: &AuditCtx, citizen: CitizenId) -> StoreResult<Vec<MinutesSummary>> {
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
        let event = AuditEvent::allowed(AuditAction::MinutesRead).subject(citizen).object("inbox");
        self.append_audit(audit, event).await?;
        Ok(out)
    }

    async fn citizen_cases(&self, audit: &AuditCtx, citizen: CitizenId) -> StoreResult<Vec<CitizenCase>> {
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
        let event = AuditEvent::allowed(AuditAction::CasesRead).subject(citizen).object("own-cases");
        self.append_audit(audit, event).await?;
        Ok(out)
    }

    async fn record_case_evaluation(&self, audit: &AuditCtx, case: CaseId, e: &CaseEvaluation) -> StoreResult<()> {
        let by = actor(audit)?;
        let mut tx = self.begin_write().await?;
        let r = case_ref_in(&mut tx, case, ROW_LOCK).await?;
        sqlx::query(
            "INSERT INTO case_evaluations (case_id, involvement, ownership, comment, by_citizen, recorded_ms, recorded_by_user_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id) DO UPDATE SET involvement = $2, ownership = $3, \
             comment = $4, by_citizen = $5, recorded_ms = $6, recorded_by_user_id = $7",
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
        append(&mut tx, audit, &case_event(AuditAction::EvaluationRecorded, &r)).await?;
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

#[async_trait]
impl DeliveryStore for Backend {
    async fn deliveries(&self, case: CaseId) -> StoreResult<Vec<Delivery>> {
        let rows = sqlx::query(
            "SELECT id, case_id, channel, status, attempts, next_attempt_ms, last_error, sent_ms FROM deliveries \
             WHERE case_id = $1 ORDER BY channel",
        )
        .bind(case.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(delivery_from_row).collect()
    }

    async fn due_deliveries(&self, now: Timestamp, limit: i64) -> StoreResult<Vec<DueDelivery>> {
        let sql = format!(
            "SELECT d.id, d.case_id, d.attempts, {} AS email FROM deliveries d \
             WHERE d.channel = 'email' AND d.status IN ('pending', 'failed') AND d.next_attempt_ms <= $1 \
             ORDER BY d.next_attempt_ms LIMIT $2",
            citizen_email("d.citizen_id")
        );
        let rows = sqlx::query(&sql)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(DueDelivery {
                id: r.try_get("id").map_err(err)?,
                case_id: CaseId(r.try_get("case_id").map_err(err)?),
                attempts: r.try_get("attempts").map_err(err)?,
                email: r.try_get("email").map_err(err)?,
            });
        }
        Ok(out)
    }

    async fn record_delivery_attempt(&self, id: i64, now: Timestamp, outcome: Result<(), String>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let attempts: i64 = sqlx::query_scalar(&format!("SELECT attempts FROM deliveries WHERE id = $1{ROW_LOCK}"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
        let attempts = attempts + 1;
        match outcome {
            Ok(()) => sqlx::query("UPDATE deliveries SET status = 'sent', attempts = $1, sent_ms = $2, last_error = NULL WHERE id = $3")
                .bind(attempts)
                .bind(now)
                .bind(id),
            Err(reason) => sqlx::query("UPDATE deliveries SET status = 'failed', attempts = $1, next_attempt_ms = $2, last_error = $3 WHERE id = $4")
                .bind(attempts)
                .bind(now + retry_delay_ms(attempts))
                .bind(reason)
                .bind(id),
        }
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        commit(tx).await
    }

    async fn retry_delivery(&self, audit: &AuditCtx, case: CaseId, delivery: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let r = case_ref_in(&mut tx, case, "").await?;
        let done = sqlx::query("UPDATE deliveries SET next_attempt_ms = $1 WHERE id = $2 AND case_id = $3 AND status = 'failed'")
            .bind(audit.at_ms)
            .bind(delivery)
            .bind(case.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        append(&mut tx, audit, &case_event(AuditAction::DeliveryRetried, &r)).await?;
        commit(tx).await
    }

    async fn set_email(&self, audit: &AuditCtx, user: UserId, email: Option<&str>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
            .bind(email)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::EmailChanged).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn email(&self, user: UserId) -> StoreResult<Option<String>> {
        let email: Option<Option<String>> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        email.ok_or(StoreError::NotFound)
    }
}

#[async_trait]
impl FeedStore for Backend {
    async fn create_feed(&self, audit: &AuditCtx, owner: FeedOwner, digest: &str) -> StoreResult<i64> {
        let by = actor(audit)?;
        let (user, team) = owner_columns(owner);
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calendar_feeds (token_digest, user_id, team_id, created_by_user_id, created_ms) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(digest)
        .bind(user)
        .bind(team)
        .bind(by.0)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Feed))?;
        let event = AuditEvent::allowed(AuditAction::CalendarFeedCreated).object(format!("calendar:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn feeds(&self, owner: FeedOwner) -> StoreResult<Vec<CalendarFeed>> {
        let (user, team) = owner_columns(owner);
        let rows = sqlx::query(
            "SELECT id, user_id, team_id, created_ms, revoked_ms FROM calendar_feeds \
             WHERE (user_id = $1 OR team_id = $2) AND revoked_ms IS NULL ORDER BY created_ms",
        )
        .bind(user)
        .bind(team)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(feed_from_row).collect()
    }

    async fn revoke_feed(&self, audit: &AuditCtx, owner: FeedOwner, feed: i64) -> StoreResult<()> {
        let (user, team) = owner_columns(owner);
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE calendar_feeds SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL AND (user_id = $3 OR team_id = $4)",
        )
        .bind(audit.at_ms)
        .bind(feed)
        .bind(user)
        .bind(team)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::CalendarFeedRevoked).object(format!("calendar:{feed}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn feed_by_digest(&self, digest: &str) -> StoreResult<Option<CalendarFeed>> {
        let row = sqlx::query(
            "SELECT id, user_id, team_id, created_ms, revoked_ms FROM calendar_feeds WHERE token_digest = $1 AND revoked_ms IS NULL",
        )
        .bind(digest)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(feed_from_row).transpose()
    }
}

fn average(r: &DbRow, column: &str) -> StoreResult<Option<f64>> {
    r.try_get::<Option<f64>, _>(column).map_err(err)
}

async fn upsert_member(tx: &mut Tx, team: TeamId, m: NewTeamMember) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO team_members (team_id, user_id, function, fixed) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (team_id, user_id) DO UPDATE SET function = $3, fixed = $4",
    )
    .bind(team.0)
    .bind(m.user.0)
    .bind(m.function.as_str())
    .bind(m.fixed)
    .execute(&mut **tx)
    .await
    .map_err(db_err(Conflict::TeamMember))?;
    Ok(())
}

async fn replace_themes(tx: &mut Tx, team: TeamId, themes: &[(u8, String)]) -> StoreResult<()> {
    sqlx::query("DELETE FROM team_themes WHERE team_id = $1")
        .bind(team.0)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    for (month, theme) in themes {
        sqlx::query("INSERT INTO team_themes (team_id, month, theme) VALUES ($1, $2, $3)")
            .bind(team.0)
            .bind(i64::from(*month))
            .bind(theme)
            .execute(&mut **tx)
            .await
            .map_err(db_err(Conflict::Theme))?;
    }
    Ok(())
}

impl Backend {
    async fn team_summaries(&self, now: Timestamp, filter: &str, key: i64) -> StoreResult<Vec<TeamSummary>> {
        let sql = format!(
            "SELECT t.id, t.name, t.place, (SELECT MIN(m.starts_ms) FROM meetings m WHERE m.team_id = t.id \
             AND m.cancelled_ms IS NULL AND m.ends_ms > $2) AS next_ms FROM teams t WHERE {filter} ORDER BY t.name"
        );
        let rows = sqlx::query(&sql).bind(key).bind(now).fetch_all(&self.pool).await.map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(TeamSummary {
                    id: TeamId(r.try_get("id").map_err(err)?),
                    name: r.try_get("name").map_err(err)?,
                    place: r.try_get("place").map_err(err)?,
                    next_meeting_ms: r.try_get("next_ms").map_err(err)?,
                })
            })
            .collect()
    }
}
