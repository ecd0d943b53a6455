//! Fælles Team teams: members, agenda, the annual cycle of themes and the list of citizens in
//! the target group.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::meeting::TeamFunction;
use bro_domain::{
    CitizenId, CollaborationId, CourseId, OrgId, ShareCategory, TeamId, Timestamp, UserId,
};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, NewTeam, NewTeamMember, StoreError, StoreResult, TargetCitizen,
    Team, TeamMember, TeamStore, TeamSummary,
};
use sqlx::Row;

use super::chain::append;
use super::courses::{course_citizen, lock_open_course};
use super::sharing::{Asked, shared_with};
use super::{Tx, actor, coded, commit, corrupt, db_err, err};
use crate::Backend;

/// Records a change of a team's set-up and commits it.
async fn team_changed(mut tx: Tx, audit: &AuditCtx, team: TeamId) -> StoreResult<()> {
    let event = AuditEvent::allowed(AuditAction::TeamChanged).object(format!("team:{}", team.0));
    append(&mut tx, audit, &event).await?;
    commit(tx).await
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
            orgs.push((
                OrgId(o.try_get("id").map_err(err)?),
                o.try_get("name").map_err(err)?,
            ));
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
        let theme_rows =
            sqlx::query("SELECT month, theme FROM team_themes WHERE team_id = $1 ORDER BY month")
                .bind(id.0)
                .fetch_all(&self.pool)
                .await
                .map_err(err)?;
        let mut themes = Vec::new();
        for t in &theme_rows {
            let month: i64 = t.try_get("month").map_err(err)?;
            themes.push((
                u8::try_from(month).map_err(|_| corrupt("theme month"))?,
                t.try_get("theme").map_err(err)?,
            ));
        }
        Ok(Team {
            id,
            collaboration_id,
            collaboration_name: r.try_get("collaboration_name").map_err(err)?,
            name: r.try_get("name").map_err(err)?,
            place: r.try_get("place").map_err(err)?,
            leader: (
                UserId(r.try_get("leader_user_id").map_err(err)?),
                r.try_get("leader_name").map_err(err)?,
            ),
            convener: (
                UserId(r.try_get("convener_user_id").map_err(err)?),
                r.try_get("convener_name").map_err(err)?,
            ),
            agenda: r.try_get("agenda").map_err(err)?,
            orgs,
            members,
            themes,
        })
    }

    async fn teams_of_user(&self, user: UserId, now: Timestamp) -> StoreResult<Vec<TeamSummary>> {
        self.team_summaries(
            now,
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

    async fn set_team_agenda(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        agenda: &str,
        themes: &[(u8, String)],
    ) -> StoreResult<()> {
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

    async fn set_team_member(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        member: NewTeamMember,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        upsert_member(&mut tx, team, member).await?;
        team_changed(tx, audit, team).await
    }

    async fn remove_team_member(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        user: UserId,
    ) -> StoreResult<()> {
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

    async fn team_citizens(
        &self,
        audit: &AuditCtx,
        team: TeamId,
    ) -> StoreResult<Vec<TargetCitizen>> {
        // Only the citizens whose minutes the viewer's organisation may see, each one's
        // showing recorded for that citizen's access log.
        let minutes_shared = shared_with(
            ShareCategory::Minutes,
            Asked {
                course: "c.id",
                citizen: "c.citizen_id",
                org: "$2",
                now: "$3",
            },
        );
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!(
            "SELECT tc.course_id, c.citizen_id, ci.given_name || ' ' || ci.family_name AS name, tc.added_ms FROM team_citizens tc JOIN courses c ON c.id = tc.course_id \
             JOIN citizens ci ON ci.id = c.citizen_id WHERE tc.team_id = $1 AND tc.removed_ms IS NULL AND c.closed_ms IS NULL AND {minutes_shared} \
             ORDER BY ci.family_name, ci.given_name"
        ))
        .bind(team.0)
        .bind(audit.tenant_id)
        .bind(audit.at_ms)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len());
        for r in &rows {
            let citizen = TargetCitizen {
                course_id: CourseId(r.try_get("course_id").map_err(err)?),
                citizen_id: CitizenId(r.try_get("citizen_id").map_err(err)?),
                citizen_name: r.try_get("name").map_err(err)?,
                added_ms: r.try_get("added_ms").map_err(err)?,
            };
            let event = AuditEvent::allowed(AuditAction::TeamCitizensRead)
                .subject(citizen.citizen_id)
                .object(format!("team:{}", team.0));
            records.push((audit.tenant_id, audit.fields(&event)));
            out.push(citizen);
        }
        self.finish_read_many(tx, records).await?;
        Ok(out)
    }

    async fn add_team_citizen(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        course: CourseId,
    ) -> StoreResult<()> {
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
        let event = AuditEvent::allowed(AuditAction::TeamCitizenAdded)
            .subject(citizen)
            .object(format!("team:{}", team.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn remove_team_citizen(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        course: CourseId,
    ) -> StoreResult<()> {
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
        let event = AuditEvent::allowed(AuditAction::TeamCitizenRemoved)
            .subject(citizen)
            .object(format!("team:{}", team.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }
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
    async fn team_summaries(
        &self,
        now: Timestamp,
        filter: &str,
        key: i64,
    ) -> StoreResult<Vec<TeamSummary>> {
        let sql = format!(
            "SELECT t.id, t.name, t.place, (SELECT MIN(m.starts_ms) FROM meetings m WHERE m.team_id = t.id \
             AND m.cancelled_ms IS NULL AND m.ends_ms > $2) AS next_ms FROM teams t WHERE {filter} ORDER BY t.name"
        );
        let rows = sqlx::query(&sql)
            .bind(key)
            .bind(now)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
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
