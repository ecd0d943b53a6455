//! Hospital events: the store's hospital side. Messages are kept by `hospital_keep`; here
//! the reads of episodes and messages, SOR ids, and the doors to matching and follow-ups.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::hospital::{EncounterClass, EpisodeState, Event};
use bro_domain::{CitizenId, CourseId, Cpr, OrgId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, CareTeam, HospitalEpisode, HospitalStore, IncomingHospitalMessage,
    OpenEpisode, Receipt, ReceivedMessage, StoreResult,
};
use sqlx::Row;
use std::collections::HashMap;

use super::chain::append;
use super::consents::grants_of_citizens;
use super::hospital_follow_ups::follow_up_of;
use super::hospital_reads::citizens_with;
use super::rows::rows_in;
use super::{DbRow, coded, commit, err};
use crate::Backend;

fn episode_from(r: &DbRow) -> StoreResult<HospitalEpisode> {
    Ok(HospitalEpisode {
        id: r.try_get("id").map_err(err)?,
        class: coded(r, "class", EncounterClass::parse)?,
        state: coded(r, "state", EpisodeState::parse)?,
        start_ms: r.try_get("start_ms").map_err(err)?,
        end_ms: r.try_get("end_ms").map_err(err)?,
        leave_from_ms: r.try_get("leave_from_ms").map_err(err)?,
        hospital: r.try_get("hospital").map_err(err)?,
        events: Vec::new(),
        follow_up: None,
    })
}

#[async_trait]
impl HospitalStore for Backend {
    async fn orgs_by_sor(&self, sors: &[String]) -> StoreResult<HashMap<String, OrgId>> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        let trimmed: Vec<String> = sors.iter().map(|s| s.trim().to_owned()).collect();
        let sql = "SELECT id, sor_id FROM organisations WHERE sor_id IN ({})";
        let mut found = HashMap::new();
        for r in rows_in(&mut conn, sql, &[], &trimmed).await? {
            let sor: String = r.try_get("sor_id").map_err(err)?;
            found.insert(sor, OrgId(r.try_get("id").map_err(err)?));
        }
        Ok(sors
            .iter()
            .filter_map(|s| Some((s.clone(), *found.get(s.trim())?)))
            .collect())
    }

    async fn sor_of(&self, org: OrgId) -> StoreResult<Option<String>> {
        let sor: Option<Option<String>> =
            sqlx::query_scalar("SELECT sor_id FROM organisations WHERE id = $1")
                .bind(org.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(err)?;
        Ok(sor.flatten())
    }

    async fn set_org_sor(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        sor: Option<&str>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE organisations SET sor_id = $1 WHERE id = $2")
            .bind(sor.map(str::trim))
            .bind(org.0)
            .execute(&mut *tx)
            .await
            .map_err(super::db_err(bro_store::Conflict::Name))?;
        let event = AuditEvent::allowed(AuditAction::OrganisationSettingsChanged)
            .object(format!("org:{}:sor", org.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn book_hospital_follow_up(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        episode: i64,
    ) -> StoreResult<()> {
        self.book_follow_up(audit, course, episode).await
    }

    async fn hospital_matches_waiting(&self, org: OrgId) -> StoreResult<Vec<CitizenId>> {
        self.waiting_matches(org).await
    }

    async fn rematch_hospital_episodes(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        tell: &HashMap<CitizenId, Vec<UserId>>,
    ) -> StoreResult<usize> {
        self.rematch(audit, org, tell).await
    }

    async fn open_hospital_episodes(&self, citizen: CitizenId) -> StoreResult<Vec<OpenEpisode>> {
        self.open_episodes(citizen).await
    }

    async fn citizens_by_cpr(&self, cprs: &[Cpr]) -> StoreResult<Vec<(String, CitizenId)>> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        let cprs: Vec<String> = cprs.iter().map(Cpr::compact).collect();
        citizens_with(&mut conn, &cprs).await
    }

    async fn care_teams(&self, citizens: &[CitizenId], now: i64) -> StoreResult<Vec<CareTeam>> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        let ids: Vec<i64> = citizens.iter().map(|c| c.0).collect();
        let sql = "SELECT m.user_id, m.org_id, m.is_coordinator, c.citizen_id FROM care_team_members m \
             JOIN courses c ON c.id = m.course_id \
             WHERE c.closed_ms IS NULL AND m.removed_ms IS NULL AND c.citizen_id IN ({}) ORDER BY m.id";
        let mut teams: Vec<CareTeam> = Vec::new();
        let mut at: HashMap<CitizenId, usize> = HashMap::new();
        for r in rows_in(&mut conn, sql, &[], &ids).await? {
            let citizen = CitizenId(r.try_get("citizen_id").map_err(err)?);
            let k = *at.entry(citizen).or_insert_with(|| {
                teams.push(CareTeam {
                    citizen,
                    members: Vec::new(),
                    grants: HashMap::new(),
                });
                teams.len() - 1
            });
            teams[k].members.push((
                UserId(r.try_get("user_id").map_err(err)?),
                OrgId(r.try_get("org_id").map_err(err)?),
                r.try_get("is_coordinator").map_err(err)?,
            ));
        }
        let mut grants = grants_of_citizens(&mut conn, &ids, now).await?;
        for team in &mut teams {
            for (_, org, _) in &team.members {
                let granted = grants.remove(&(team.citizen, *org)).unwrap_or_default();
                team.grants.entry(*org).or_insert(granted);
            }
        }
        Ok(teams)
    }

    async fn receive_hospital_messages(
        &self,
        batch: &[(AuditCtx, IncomingHospitalMessage)],
    ) -> Vec<StoreResult<Receipt>> {
        self.keep_messages(batch).await
    }

    async fn has_hospital_episodes(&self, citizen: CitizenId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM hospital_episodes WHERE citizen_id = $1 AND state <> 'cancelled' LIMIT 1",
        )
        .bind(citizen.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        Ok(found.is_some())
    }

    async fn hospital_episodes(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<HospitalEpisode>> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT id, class, state, start_ms, end_ms, leave_from_ms, hospital FROM hospital_episodes \
             WHERE citizen_id = $1 AND state <> 'cancelled' ORDER BY start_ms DESC",
        )
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut episodes = rows
            .iter()
            .map(episode_from)
            .collect::<StoreResult<Vec<_>>>()?;
        for e in &mut episodes {
            let events = sqlx::query(
                "SELECT event, at_ms FROM hospital_episode_events WHERE episode_id = $1 ORDER BY seq",
            )
            .bind(e.id)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
            e.events = events
                .iter()
                .map(|r| {
                    Ok((
                        coded(r, "event", Event::parse)?,
                        r.try_get("at_ms").map_err(err)?,
                    ))
                })
                .collect::<StoreResult<_>>()?;
            e.follow_up = follow_up_of(&mut tx, e.id).await?;
        }
        let event = AuditEvent::allowed(AuditAction::HospitalEpisodesRead).subject(citizen);
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(episodes)
    }

    async fn unresolved_hospital_messages(
        &self,
        org: OrgId,
        limit: i64,
    ) -> StoreResult<Vec<ReceivedMessage>> {
        let rows = sqlx::query(
            "SELECT id, message_id, channel, received_ms, outcome, reason FROM hospital_messages \
             WHERE org_id = $1 AND (outcome = 'rejected' OR (outcome = 'unmatched' AND EXISTS \
               (SELECT 1 FROM hospital_episodes e WHERE e.id = hospital_messages.episode_id AND e.citizen_id IS NULL))) \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(org.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(ReceivedMessage {
                    id: r.try_get("id").map_err(err)?,
                    message_id: r.try_get("message_id").map_err(err)?,
                    channel: r.try_get("channel").map_err(err)?,
                    received_ms: r.try_get("received_ms").map_err(err)?,
                    outcome: r.try_get("outcome").map_err(err)?,
                    reason: r.try_get("reason").map_err(err)?,
                })
            })
            .collect()
    }
}
