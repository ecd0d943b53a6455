//! Keeping hospital messages: each message kept verbatim with its facts, and the episode it
//! belongs to rebuilt from all of the episode's messages, in one transaction with the message,
//! its audit record and the alerts it causes. A feed's messages share a transaction and what
//! it reads and writes once (`hospital_batch`).

use bro_audit::AuditAction;
use bro_domain::hospital::{Activity, EncounterClass, Episode, EpisodeState, Notification};
use bro_domain::notice::NoticeKind;
use bro_domain::readmission::{Contact, begins_readmission};
use bro_domain::{CitizenId, Cpr, OrgId};
use bro_store::{
    AuditCtx, AuditEvent, HospitalFacts, IncomingHospitalMessage, Receipt, StoreResult,
};
use sqlx::Row;

use super::hospital_batch::Batch;
use super::hospital_follow_ups::follow_up_plan;
use super::rows::rows_in;
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

/// The citizens with these compact CPR numbers, those Bro has: (number, citizen).
pub(super) async fn citizens_with(
    conn: &mut <crate::Db as sqlx::Database>::Connection,
    cprs: &[String],
) -> StoreResult<Vec<(String, CitizenId)>> {
    let sql = "SELECT id, cpr FROM citizens WHERE cpr IN ({})";
    rows_in(conn, sql, &[], cprs)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("cpr").map_err(err)?,
                CitizenId(r.try_get("id").map_err(err)?),
            ))
        })
        .collect()
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

/// Rebuilds episode `id` from all its kept messages, `new` the one just kept (the episode's
/// first when `fresh`); its new state. The timeline is written with the batch.
async fn rebuild(
    tx: &mut Tx,
    b: &mut Batch,
    audit: &AuditCtx,
    (id, fresh): (i64, bool),
    (citizen, cpr): (Option<CitizenId>, Option<&Cpr>),
    new: Notification,
) -> StoreResult<Option<Episode>> {
    if let Some(notes) = b.notes.get_mut(&id) {
        notes.push(new);
    } else if fresh {
        b.notes.insert(id, vec![new]);
    } else {
        // Read after the message was kept, so it is among them.
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
        b.notes.insert(id, notes);
    }
    let Some(episode) = Episode::rebuild(&b.notes[&id]) else {
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
    b.events.insert(id, episode.events.clone());
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
    pub(super) async fn keep_messages(
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
        let mut b = Batch::read(&mut tx, batch).await?;
        let mut receipts = Vec::with_capacity(batch.len());
        for (audit, m) in batch {
            receipts.push(keep(&mut tx, &mut b, audit, m).await?);
        }
        b.write(&mut tx).await?;
        commit(tx).await?;
        Ok(receipts)
    }
}

/// Keeps one message of batch `b` in `tx` and applies it to its episode.
async fn keep(
    tx: &mut Tx,
    b: &mut Batch,
    audit: &AuditCtx,
    m: &IncomingHospitalMessage,
) -> StoreResult<Receipt> {
    if m.message_id.as_ref().is_some_and(|id| b.seen.contains(id)) {
        return Ok(Receipt::Duplicate);
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
            let citizen = facts.cpr.as_ref().and_then(|c| b.citizen(&c.compact()));
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
    b.audit(audit, &event);
    if let (Some(kept), false) = (&m.message_id, matches!(receipt, Receipt::Rejected { .. })) {
        b.seen.insert(kept.clone());
    }
    if let Some((episode_id, facts)) = episode {
        let new = Notification {
            message_id: m.message_id.clone().unwrap_or_default(),
            ..facts.notification.clone()
        };
        let (fresh, who) = (change.is_none(), (citizen, facts.cpr.as_ref()));
        let rebuilt = rebuild(tx, b, audit, (episode_id, fresh), who, new).await?;
        if let (Some(after), Some(citizen)) = (rebuilt, citizen) {
            let course = b.course(citizen);
            b.follow_up(episode_id, follow_up_plan(&after, course, audit.at_ms));
            let Some(mut kind) = alert(change, &after) else {
                return Ok(receipt);
            };
            if kind == NoticeKind::HospitalAdmitted
                && is_readmission(tx, citizen, episode_id, audit.at_ms).await?
            {
                kind = NoticeKind::HospitalReadmitted;
            }
            b.notice(audit, &m.tell, kind, (citizen, course), &after.unit);
        }
    }
    Ok(receipt)
}
