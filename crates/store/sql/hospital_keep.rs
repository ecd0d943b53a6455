//! Keeping hospital messages: each message kept verbatim with its facts, and the episode it
//! belongs to rebuilt from all of the episode's messages, in one transaction with the message,
//! its audit record and the alerts it causes. A feed's messages share a transaction and what
//! it reads and writes once (`hospital_batch`); in between, a message is applied in memory.

use bro_audit::AuditAction;
use bro_domain::hospital::{Episode, EpisodeState, Notification};
use bro_domain::notice::NoticeKind;
use bro_domain::{CitizenId, UserId};
use bro_store::{AuditCtx, AuditEvent, IncomingHospitalMessage, Receipt, StoreResult};
use std::collections::HashMap;

use super::commit;
use super::hospital_batch::Batch;
use super::hospital_follow_ups::follow_up_plan;
use crate::Backend;

/// Rebuilds episode `id` from all its kept messages, `new` the one just kept; its new state.
/// The episode and its timeline are written with the batch.
fn rebuild(
    b: &mut Batch,
    audit: &AuditCtx,
    id: i64,
    who: (Option<CitizenId>, Option<&bro_domain::Cpr>),
    new: Notification,
) -> Option<Episode> {
    let notes = b.notes.entry(id).or_default();
    notes.push(new);
    let episode = Episode::rebuild(notes)?;
    b.slots.rebuilt(id, who, &episode, audit.at_ms);
    b.events.insert(id, episode.events.clone());
    Some(episode)
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
            receipts.push(keep(&mut b, audit, m)?);
        }
        b.write(&mut tx).await?;
        commit(tx).await?;
        Ok(receipts)
    }
}

/// Keeps one message of batch `b` and applies it to its episode, in memory.
fn keep(b: &mut Batch, audit: &AuditCtx, m: &IncomingHospitalMessage) -> StoreResult<Receipt> {
    if m.message_id.as_ref().is_some_and(|id| b.seen.contains(id)) {
        return Ok(Receipt::Duplicate);
    }
    let rejected = |reason: &str| Receipt::Rejected {
        reason: reason.to_owned(),
    };
    let (receipt, citizen, episode, change) = match (&m.facts, m.org) {
        (Err(reason), _) => (rejected(reason), None, None, None),
        (Ok(_), None) => (
            rejected("the receiving organisation is not known"),
            None,
            None,
            None,
        ),
        (Ok(facts), Some(org)) => {
            let citizen = facts.cpr.as_ref().and_then(|c| b.citizen(&c.compact()));
            match b.slots.find_or_open((org, citizen), facts, audit.at_ms)? {
                None => (
                    rejected("the episode of care belongs to another patient"),
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
    let mut event = AuditEvent::allowed(AuditAction::HospitalMessageReceived);
    if let Some(c) = citizen {
        event = event.subject(c);
    }
    b.kept_message((audit, m), (&receipt, episode), event);
    if let (Some(kept), false) = (&m.message_id, matches!(receipt, Receipt::Rejected { .. })) {
        b.seen.insert(kept.clone());
    }
    if let Some((episode_id, facts)) = episode {
        let new = Notification {
            message_id: m.message_id.clone().unwrap_or_default(),
            ..facts.notification.clone()
        };
        let rebuilt = rebuild(b, audit, episode_id, (citizen, facts.cpr.as_ref()), new);
        if let (Some(after), Some(citizen)) = (rebuilt, citizen) {
            follow(b, audit, (episode_id, citizen), (change, &after), &m.tell);
        }
    }
    Ok(receipt)
}

/// Each of `found`'s episodes, waiting unmatched, becomes its citizen's: rebuilt from its kept
/// messages, its follow-up planned and the citizen's `tell` alerted of where the stay is now,
/// as they would have been had the citizen been in Bro when its messages came. Every stay is
/// the citizen's before any is told of, so a readmission is seen whatever the order.
pub(super) fn matched(
    b: &mut Batch,
    audit: &AuditCtx,
    found: &[(i64, CitizenId)],
    tell: &HashMap<CitizenId, Vec<UserId>>,
) {
    let mut rebuilt = Vec::with_capacity(found.len());
    for (id, citizen) in found {
        if let Some(episode) = b.notes.get(id).and_then(|n| Episode::rebuild(n)) {
            b.slots
                .rebuilt(*id, (Some(*citizen), None), &episode, audit.at_ms);
            rebuilt.push((*id, *citizen, episode));
        }
    }
    for (id, citizen, episode) in rebuilt {
        let to = tell.get(&citizen).map_or(&[][..], Vec::as_slice);
        follow(b, audit, (id, citizen), (None, &episode), to);
    }
}

/// What the citizen's team is to do of episode `id` changing from `before` to `after`: the
/// follow-up it plans, and an alert to `tell` (a readmission said as one).
fn follow(
    b: &mut Batch,
    audit: &AuditCtx,
    (id, citizen): (i64, CitizenId),
    (before, after): (Option<EpisodeState>, &Episode),
    tell: &[UserId],
) {
    let course = b.course(citizen);
    b.follow_up(id, follow_up_plan(after, course, audit.at_ms));
    let Some(mut kind) = alert(before, after) else {
        return;
    };
    if kind == NoticeKind::HospitalAdmitted && b.slots.is_readmission(citizen, id, audit.at_ms) {
        kind = NoticeKind::HospitalReadmitted;
    }
    b.notice(audit, tell, kind, (citizen, course), &after.unit);
}
