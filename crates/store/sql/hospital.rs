//! Hospital events: each message kept verbatim with its facts, and the episode it belongs to
//! rebuilt from all of the episode's messages in one transaction with the message, its audit
//! record and the alerts it causes.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::hospital::{Activity, EncounterClass, Episode, EpisodeState, Event, Notification};
use bro_domain::notice::NoticeKind;
use bro_domain::readmission::{Contact, begins_readmission};
use bro_domain::{CitizenId, CourseId, Cpr, OrgId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, HospitalEpisode, HospitalFacts, HospitalStore, IncomingHospitalMessage,
    OpenEpisode, Receipt, ReceivedMessage, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::hospital_follow_ups::{follow_up_of, keep_follow_up};
use super::notice_mail::mark_hospital_mails;
use super::notices::{About, notify};
use super::{DbRow, Tx, coded, commit, err};
use crate::Backend;

const FACTS: &str = "activity, recorded_ms, start_ms, end_ms, leave_from_ms, leave_to_ms, hospital";

fn notification(r: &DbRow) -> StoreResult<Notification> {
    let leave_from: Option<i64> = r.try_get("leave_from_ms").map_err(err)?;
    let leave_to: Option<i64> = r.try_get("leave_to_ms").map_err(err)?;
    Ok(Notification {
        message_id: r
            .try_get::<Option<String>, _>("message_id")
            .map_err(err)?
            .unwrap_or_default(),
        recorded: r.try_get("recorded_ms").map_err(err)?,
        activity: coded(r, "activity", Activity::parse)?,
        start: r.try_get("start_ms").map_err(err)?,
        end: r.try_get("end_ms").map_err(err)?,
        leave: leave_from.map(|from| (from, leave_to)),
        unit: r.try_get("hospital").map_err(err)?,
    })
}

/// The citizen with the CPR number, read through `db` (the pool, or a transaction).
async fn citizen_with<'e>(
    db: impl sqlx::Executor<'e, Database = crate::Db>,
    cpr: &Cpr,
) -> StoreResult<Option<CitizenId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM citizens WHERE cpr = $1")
        .bind(cpr.compact())
        .fetch_optional(db)
        .await
        .map_err(err)?;
    Ok(id.map(CitizenId))
}

/// The episode of `facts` at `org`, created when it is the first message of it, with its
/// state before this message; `None` when the episode is another patient's (a message is never
/// attached to the wrong person).
async fn episode_row(
    tx: &mut Tx,
    audit: &AuditCtx,
    (org, citizen): (OrgId, Option<CitizenId>),
    facts: &HospitalFacts,
) -> StoreResult<Option<(i64, Option<EpisodeState>)>> {
    let (system, value) = &facts.episode;
    let found = sqlx::query(
        "SELECT id, state, citizen_id, cpr FROM hospital_episodes WHERE org_id = $1 AND episode_system = $2 AND episode_value = $3",
    )
    .bind(org.0)
    .bind(system)
    .bind(value)
    .fetch_optional(&mut **tx)
    .await
    .map_err(err)?;
    if let Some(r) = found {
        let theirs: Option<i64> = r.try_get("citizen_id").map_err(err)?;
        let waiting: Option<String> = r.try_get("cpr").map_err(err)?;
        let same = match theirs {
            Some(c) => citizen == Some(CitizenId(c)),
            None => waiting == facts.cpr.as_ref().map(Cpr::compact),
        };
        if !same {
            return Ok(None);
        }
        return Ok(Some((
            r.try_get("id").map_err(err)?,
            Some(coded(&r, "state", EpisodeState::parse)?),
        )));
    }
    let n = &facts.notification;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hospital_episodes (org_id, episode_system, episode_value, class, state, start_ms, hospital, updated_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(system)
    .bind(value)
    .bind(n.activity.class().as_str())
    .bind(EpisodeState::Cancelled.as_str())
    .bind(n.start)
    .bind(&n.unit)
    .bind(audit.at_ms)
    .fetch_one(&mut **tx)
    .await
    .map_err(err)?;
    Ok(Some((id, None)))
}

/// Rebuilds episode `id` from all its kept messages; its new state.
async fn rebuild(
    tx: &mut Tx,
    audit: &AuditCtx,
    id: i64,
    citizen: Option<CitizenId>,
    cpr: Option<&Cpr>,
) -> StoreResult<Option<Episode>> {
    let rows = sqlx::query(&format!(
        "SELECT message_id, {FACTS} FROM hospital_messages WHERE episode_id = $1 AND outcome <> 'rejected'"
    ))
    .bind(id)
    .fetch_all(&mut **tx)
    .await
    .map_err(err)?;
    let notes = rows
        .iter()
        .map(notification)
        .collect::<StoreResult<Vec<_>>>()?;
    let Some(episode) = Episode::rebuild(&notes) else {
        return Ok(None);
    };
    let on_leave = episode.leaves.last().filter(|l| l.to.is_none());
    sqlx::query(
        "UPDATE hospital_episodes SET citizen_id = COALESCE(citizen_id, $1), cpr = CASE WHEN $1 IS NULL THEN $2 ELSE NULL END, \
         class = $3, state = $4, start_ms = $5, end_ms = $6, leave_from_ms = $7, hospital = $8, updated_ms = $9 WHERE id = $10",
    )
    .bind(citizen.map(|c| c.0))
    .bind(cpr.map(Cpr::compact))
    .bind(episode.class.as_str())
    .bind(episode.state.as_str())
    .bind(episode.start)
    .bind(episode.end)
    .bind(on_leave.map(|l| l.from))
    .bind(&episode.unit)
    .bind(audit.at_ms)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    sqlx::query("DELETE FROM hospital_episode_events WHERE episode_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    for (seq, e) in episode.events.iter().enumerate() {
        sqlx::query(
            "INSERT INTO hospital_episode_events (episode_id, seq, event, at_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(seq as i64)
        .bind(e.event.as_str())
        .bind(e.at)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    }
    Ok(Some(episode))
}

/// What to tell the team of a change from `before` to `after`, if anything.
fn alert(before: Option<EpisodeState>, after: &Episode) -> Option<NoticeKind> {
    use EpisodeState as S;
    match (before, after.state) {
        (b, a) if b == Some(a) => None,
        (Some(S::OnLeave), S::Admitted) => Some(NoticeKind::HospitalBack),
        (_, S::Admitted) => Some(NoticeKind::HospitalAdmitted),
        (_, S::OnLeave) => Some(NoticeKind::HospitalOnLeave),
        (_, S::Discharged) => Some(NoticeKind::HospitalDischarged),
        (_, S::Cancelled) => None,
    }
}

/// Whether the admission of episode `id` is an acute readmission, by all the citizen's
/// episodes.
async fn is_readmission(tx: &mut Tx, citizen: CitizenId, id: i64, now: i64) -> StoreResult<bool> {
    let rows = sqlx::query(
        "SELECT id, class, start_ms, end_ms FROM hospital_episodes WHERE citizen_id = $1 AND state <> 'cancelled'",
    )
    .bind(citizen.0)
    .fetch_all(&mut **tx)
    .await
    .map_err(err)?;
    let mut contacts = Vec::new();
    let mut this = None;
    for r in &rows {
        let class = coded(r, "class", EncounterClass::parse)?;
        let contact = Contact::notified(
            class,
            r.try_get("start_ms").map_err(err)?,
            r.try_get("end_ms").map_err(err)?,
        );
        if r.try_get::<i64, _>("id").map_err(err)? == id {
            this = Some(contact.start);
        }
        contacts.push(contact);
    }
    Ok(this.is_some_and(|start| begins_readmission(&contacts, start, now)))
}

impl Backend {
    /// Keeps `batch` in one transaction: under a heavy feed the cost of a message is its
    /// statements, not a flush to disk. When that transaction fails, each message is kept in a
    /// transaction of its own, so one bad message fails only itself and every message is either
    /// fully applied or not at all.
    async fn keep_messages(
        &self,
        batch: &[(AuditCtx, IncomingHospitalMessage)],
    ) -> Vec<StoreResult<Receipt>> {
        if batch.len() > 1
            && let Ok(receipts) = self.keep_together(batch).await
        {
            return receipts.into_iter().map(Ok).collect();
        }
        let mut receipts = Vec::with_capacity(batch.len());
        for one in batch {
            let kept = self.keep_together(std::slice::from_ref(one)).await;
            receipts.push(kept.map(|mut r| r.remove(0)));
        }
        receipts
    }

    async fn keep_together(
        &self,
        batch: &[(AuditCtx, IncomingHospitalMessage)],
    ) -> StoreResult<Vec<Receipt>> {
        let mut tx = self.begin_write().await?;
        let mut receipts = Vec::with_capacity(batch.len());
        for (audit, m) in batch {
            receipts.push(keep(&mut tx, audit, m).await?);
        }
        commit(tx).await?;
        Ok(receipts)
    }
}

/// Keeps one message in `tx` and applies it to its episode.
async fn keep(tx: &mut Tx, audit: &AuditCtx, m: &IncomingHospitalMessage) -> StoreResult<Receipt> {
    if let Some(id) = &m.message_id {
        let seen: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM hospital_messages WHERE message_id = $1 AND outcome <> 'rejected'",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(err)?;
        if seen.is_some() {
            return Ok(Receipt::Duplicate);
        }
    }
    let (receipt, citizen, episode, change) = match (&m.facts, m.org) {
        (Err(reason), _) => (
            Receipt::Rejected {
                reason: reason.clone(),
            },
            None,
            None,
            None,
        ),
        (Ok(_), None) => (
            Receipt::Rejected {
                reason: "the receiving organisation is not known".to_owned(),
            },
            None,
            None,
            None,
        ),
        (Ok(facts), Some(org)) => {
            let citizen = match &facts.cpr {
                Some(cpr) => citizen_with(&mut **tx, cpr).await?,
                None => None,
            };
            match episode_row(tx, audit, (org, citizen), facts).await? {
                None => (
                    Receipt::Rejected {
                        reason: "the episode of care belongs to another patient".to_owned(),
                    },
                    None,
                    None,
                    None,
                ),
                Some((episode, before)) => {
                    let receipt = match citizen {
                        Some(citizen) => Receipt::Accepted { episode, citizen },
                        None => Receipt::Unmatched { episode },
                    };
                    (receipt, citizen, Some((episode, facts)), before)
                }
            }
        }
    };
    let outcome = match receipt {
        Receipt::Accepted { .. } => "accepted",
        Receipt::Unmatched { .. } => "unmatched",
        _ => "rejected",
    };
    let reason = match &receipt {
        Receipt::Rejected { reason } => reason.as_str(),
        _ => "",
    };
    let n = episode.map(|(_, f)| &f.notification);
    let id: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO hospital_messages (org_id, message_id, channel, received_ms, received_by_user_id, client_id, body, outcome, reason, episode_id, {FACTS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id"
    ))
    .bind(m.org.map(|o| o.0))
    .bind(&m.message_id)
    .bind(m.channel.as_str())
    .bind(audit.at_ms)
    .bind(audit.actor_user_id.map(|u| u.0))
    .bind(m.client)
    .bind(&m.body)
    .bind(outcome)
    .bind(reason)
    .bind(episode.map(|(e, _)| e))
    .bind(n.map(|n| n.activity.as_str()))
    .bind(n.map(|n| n.recorded))
    .bind(n.map(|n| n.start))
    .bind(n.and_then(|n| n.end))
    .bind(n.and_then(|n| n.leave.map(|l| l.0)))
    .bind(n.and_then(|n| n.leave.and_then(|l| l.1)))
    .bind(n.map(|n| n.unit.as_str()))
    .fetch_one(&mut **tx)
    .await
    .map_err(err)?;
    let mut event = AuditEvent::allowed(AuditAction::HospitalMessageReceived)
        .object(format!("hospital-message:{id}"));
    if let Some(c) = citizen {
        event = event.subject(c);
    }
    append(tx, audit, &event).await?;
    if let Some((episode_id, facts)) = episode {
        let rebuilt = rebuild(tx, audit, episode_id, citizen, facts.cpr.as_ref()).await?;
        if let (Some(after), Some(citizen)) = (rebuilt, citizen) {
            let course = open_course(tx, citizen).await?;
            keep_follow_up(tx, audit.at_ms, (episode_id, course), &after).await?;
            tell(
                tx,
                audit,
                (citizen, episode_id, course),
                change,
                &after,
                &m.tell,
            )
            .await?;
        }
    }
    Ok(receipt)
}

/// The citizen's open course, which their episodes show on.
async fn open_course(tx: &mut Tx, citizen: CitizenId) -> StoreResult<Option<CourseId>> {
    let course: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM courses WHERE citizen_id = $1 AND closed_ms IS NULL ORDER BY opened_ms DESC LIMIT 1",
    )
    .bind(citizen.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(err)?;
    Ok(course.map(CourseId))
}

/// Alerts `to` of the episode's change, a readmission as such.
async fn tell(
    tx: &mut Tx,
    audit: &AuditCtx,
    (citizen, episode, course): (CitizenId, i64, Option<CourseId>),
    before: Option<EpisodeState>,
    after: &Episode,
    to: &[UserId],
) -> StoreResult<()> {
    let Some(mut kind) = alert(before, after) else {
        return Ok(());
    };
    if kind == NoticeKind::HospitalAdmitted
        && is_readmission(tx, citizen, episode, audit.at_ms).await?
    {
        kind = NoticeKind::HospitalReadmitted;
    }
    let about = About {
        kind,
        citizen: Some(citizen),
        course,
        offer: None,
        referral: None,
        org: None,
        detail: &after.unit,
    };
    notify(tx, audit, to, &about).await?;
    mark_hospital_mails(tx, audit.at_ms, citizen).await
}

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
    async fn org_by_sor(&self, sor: &str) -> StoreResult<Option<OrgId>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM organisations WHERE sor_id = $1")
            .bind(sor.trim())
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        Ok(id.map(OrgId))
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

    async fn citizen_by_cpr(&self, cpr: &Cpr) -> StoreResult<Option<CitizenId>> {
        citizen_with(&self.pool, cpr).await
    }

    async fn book_hospital_follow_up(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        episode: i64,
    ) -> StoreResult<()> {
        self.book_follow_up(audit, course, episode).await
    }

    async fn rematch_hospital_episodes(&self, audit: &AuditCtx, org: OrgId) -> StoreResult<usize> {
        self.rematch(audit, org).await
    }

    async fn open_hospital_episodes(&self, citizen: CitizenId) -> StoreResult<Vec<OpenEpisode>> {
        self.open_episodes(citizen).await
    }

    async fn care_team_orgs(&self, course: CourseId) -> StoreResult<Vec<(UserId, OrgId, bool)>> {
        let rows = sqlx::query(
            "SELECT user_id, org_id, is_coordinator FROM care_team_members WHERE course_id = $1 AND removed_ms IS NULL ORDER BY id",
        )
        .bind(course.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok((
                    UserId(r.try_get("user_id").map_err(err)?),
                    OrgId(r.try_get("org_id").map_err(err)?),
                    r.try_get("is_coordinator").map_err(err)?,
                ))
            })
            .collect()
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
