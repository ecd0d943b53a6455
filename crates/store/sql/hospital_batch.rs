//! What a transaction of hospital messages reads once and writes once: under a feed of
//! thousands a message should cost no statement of its own. Read up front: which message ids
//! are kept already, the citizens by CPR number, their open courses, which of the staff to tell
//! have an e-mail address, the episodes the messages are about and every episode of their
//! citizens (`hospital_slots`), and the kept notifications of those episodes. Written at the
//! end, in as few statements as the backend allows: the episodes as they ended, the messages,
//! the timelines, the follow-ups, the alerts (their e-mails due) and the audit records. Every
//! message in between sees the batch's own changes, so the result is the same as one
//! transaction per message.

use bro_domain::hospital::{EpisodeEvent, Notification};
use bro_domain::notice::NoticeKind;
use bro_domain::{CitizenId, CourseId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Cell, HospitalFacts, IncomingHospitalMessage, Receipt, StoreResult,
    TableRows,
};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::chain::append_many;
use super::hospital_follow_ups::{FollowUpPlan, keep_follow_ups};
use super::hospital_reads::{FACTS, citizens_with, notification};
use super::hospital_slots::{EpisodeKey, Slots};
use super::rows::{execute_in, insert_given, insert_rows, reserve_ids, rows_in};
use super::{Tx, err};

pub(super) struct Batch {
    /// Message ids kept (not rejected), before the batch or in it.
    pub(super) seen: HashSet<String>,
    /// Citizens by compact CPR number, those Bro has.
    citizens: HashMap<String, CitizenId>,
    /// Each citizen's open course, if any.
    courses: HashMap<CitizenId, CourseId>,
    /// Staff with an e-mail address, among those the batch may tell.
    mailed: HashSet<UserId>,
    /// The episodes the batch is about, and every episode of its citizens.
    pub(super) slots: Slots,
    /// The kept notifications of each episode the batch is about, its own included.
    pub(super) notes: HashMap<i64, Vec<Notification>>,
    /// Each touched episode's timeline as it ends.
    pub(super) events: BTreeMap<i64, Vec<EpisodeEvent>>,
    /// Each touched episode's follow-up as it ends (`None`: it has none), made at the first
    /// time the batch planned it since it last had none.
    follow_ups: BTreeMap<i64, Option<FollowUpPlan>>,
    /// The messages as kept, their ids (the first column) taken when they are written.
    messages: TableRows,
    /// Each kept message's audit record, but for its object: the message's id.
    audit: Vec<(AuditCtx, AuditEvent)>,
    notices: TableRows,
}

impl Batch {
    /// Reads what the messages of `batch` will ask for.
    pub(super) async fn read(
        tx: &mut Tx,
        batch: &[(AuditCtx, IncomingHospitalMessage)],
    ) -> StoreResult<Batch> {
        let ids: Vec<String> = batch
            .iter()
            .filter_map(|(_, m)| m.message_id.clone())
            .collect();
        let mut seen = HashSet::new();
        let sql = "SELECT message_id FROM hospital_messages WHERE message_id IS NOT NULL AND outcome <> 'rejected' AND message_id IN ({})";
        for r in rows_in(tx, sql, &[], &ids).await? {
            seen.insert(r.try_get("message_id").map_err(err)?);
        }
        let cprs: Vec<String> = batch
            .iter()
            .filter_map(|(_, m)| m.facts.as_ref().ok()?.cpr.as_ref().map(|c| c.compact()))
            .collect();
        let told: Vec<UserId> = batch
            .iter()
            .flat_map(|(_, m)| m.tell.iter().copied())
            .collect();
        let keys: Vec<EpisodeKey> = batch
            .iter()
            .filter(|(_, m)| !m.message_id.as_ref().is_some_and(|id| seen.contains(id)))
            .filter_map(|(_, m)| {
                let (system, value) = &m.facts.as_ref().ok()?.episode;
                Some((m.org?, system.clone(), value.clone()))
            })
            .collect();
        Self::load(tx, seen, (&cprs, &told), keys).await
    }

    /// Reads what a batch about the episodes with `keys`, the citizens with `cprs` and
    /// telling `told` asks for; `seen` are the message ids kept already.
    pub(super) async fn load(
        tx: &mut Tx,
        seen: HashSet<String>,
        (cprs, told): (&[String], &[UserId]),
        mut keys: Vec<EpisodeKey>,
    ) -> StoreResult<Batch> {
        let citizens: HashMap<String, CitizenId> =
            citizens_with(tx, cprs).await?.into_iter().collect();
        let found: Vec<i64> = citizens.values().map(|c| c.0).collect();
        let mut courses = HashMap::new();
        let sql =
            "SELECT id, citizen_id FROM courses WHERE closed_ms IS NULL AND citizen_id IN ({})";
        for r in rows_in(tx, sql, &[], &found).await? {
            courses.insert(
                CitizenId(r.try_get("citizen_id").map_err(err)?),
                CourseId(r.try_get("id").map_err(err)?),
            );
        }
        let mut told: Vec<i64> = told.iter().map(|u| u.0).collect();
        told.sort_unstable();
        told.dedup();
        let mut mailed = HashSet::new();
        let sql = "SELECT id FROM users WHERE kind = 'staff' AND email IS NOT NULL AND active AND id IN ({})";
        for r in rows_in(tx, sql, &[], &told).await? {
            mailed.insert(UserId(r.try_get("id").map_err(err)?));
        }
        keys.sort_unstable();
        keys.dedup();
        let slots = Slots::read(tx, &keys, &found).await?;
        let mut notes: HashMap<i64, Vec<Notification>> = HashMap::new();
        let sql = format!(
            "SELECT episode_id, message_id, {FACTS} FROM hospital_messages WHERE outcome <> 'rejected' AND episode_id IN ({{}})"
        );
        for r in rows_in(tx, &sql, &[], slots.found()).await? {
            let episode: i64 = r.try_get("episode_id").map_err(err)?;
            notes.entry(episode).or_default().push(notification(&r)?);
        }
        Ok(Batch {
            seen,
            citizens,
            courses,
            mailed,
            slots,
            notes,
            events: BTreeMap::new(),
            follow_ups: BTreeMap::new(),
            messages: TableRows::new(
                "hospital_messages",
                &[
                    "id",
                    "org_id",
                    "message_id",
                    "channel",
                    "received_ms",
                    "received_by_user_id",
                    "client_id",
                    "body",
                    "outcome",
                    "reason",
                    "episode_id",
                    "activity",
                    "recorded_ms",
                    "start_ms",
                    "end_ms",
                    "leave_from_ms",
                    "leave_to_ms",
                    "hospital",
                ],
            ),
            notices: TableRows::new(
                "notices",
                &[
                    "user_id",
                    "kind",
                    "citizen_id",
                    "course_id",
                    "detail",
                    "created_ms",
                    "mail_status",
                    "mail_next_ms",
                ],
            ),
            audit: Vec::new(),
        })
    }

    /// The citizen with this compact CPR number (every message's number is read up front).
    pub(super) fn citizen(&self, cpr: &str) -> Option<CitizenId> {
        self.citizens.get(cpr).copied()
    }

    /// The citizen's open course, which their episodes show on.
    pub(super) fn course(&self, citizen: CitizenId) -> Option<CourseId> {
        self.courses.get(&citizen).copied()
    }

    /// Plans episode `episode`'s follow-up: as `plan` says, or none.
    pub(super) fn follow_up(&mut self, episode: i64, plan: Option<FollowUpPlan>) {
        let plan = plan.map(|p| match self.follow_ups.get(&episode) {
            Some(Some(planned)) => FollowUpPlan {
                made: planned.made,
                ..p
            },
            _ => p,
        });
        self.follow_ups.insert(episode, plan);
    }

    /// Message `m` kept, with what came of it, the episode it was applied to and its audit
    /// record (`event`). It takes its id when the batch is written, so that ids are taken for
    /// exactly the messages kept, in their order.
    pub(super) fn kept_message(
        &mut self,
        (audit, m): (&AuditCtx, &IncomingHospitalMessage),
        (receipt, episode): (&Receipt, Option<(i64, &HospitalFacts)>),
        event: AuditEvent,
    ) {
        let (outcome, reason) = match receipt {
            Receipt::Accepted { .. } => ("accepted", ""),
            Receipt::Unmatched { .. } => ("unmatched", ""),
            Receipt::Rejected { reason } => ("rejected", reason.as_str()),
            // Not kept: a duplicate changes nothing.
            Receipt::Duplicate => return,
        };
        let n = episode.map(|(_, f)| &f.notification);
        self.audit.push((audit.clone(), event));
        self.messages.push(vec![
            Cell::Int(0),
            m.org.map(|o| o.0).into(),
            m.message_id.clone().into(),
            m.channel.as_str().into(),
            audit.at_ms.into(),
            audit.actor_user_id.map(|u| u.0).into(),
            m.client.into(),
            Cell::Bytes(m.body.clone()),
            outcome.into(),
            reason.into(),
            episode.map(|(e, _)| e).into(),
            n.map(|n| n.activity.as_str().to_owned()).into(),
            n.map(|n| n.recorded).into(),
            n.map(|n| n.start).into(),
            n.and_then(|n| n.end).into(),
            n.and_then(|n| n.leave.map(|l| l.0)).into(),
            n.and_then(|n| n.leave.and_then(|l| l.1)).into(),
            n.map(|n| n.unit.clone()).into(),
        ]);
    }

    /// An alert to each of `to` but the actor; staff with an address also get its e-mail.
    pub(super) fn notice(
        &mut self,
        ctx: &AuditCtx,
        to: &[UserId],
        kind: NoticeKind,
        (citizen, course): (CitizenId, Option<CourseId>),
        detail: &str,
    ) {
        let mut to = to.to_vec();
        to.sort_unstable_by_key(|u| u.0);
        to.dedup();
        for user in to.into_iter().filter(|u| Some(*u) != ctx.actor_user_id) {
            let mailed = self.mailed.contains(&user);
            self.notices.push(vec![
                user.0.into(),
                kind.as_str().into(),
                Some(citizen.0).into(),
                course.map(|c| c.0).into(),
                detail.into(),
                ctx.at_ms.into(),
                mailed.then(|| "pending".to_owned()).into(),
                mailed.then_some(ctx.at_ms).into(),
            ]);
        }
    }

    /// Writes what the batch left to the end, in `tx`: the episodes before what refers to
    /// them.
    pub(super) async fn write(self, tx: &mut Tx) -> StoreResult<()> {
        self.slots.write(tx).await?;
        let mut messages = self.messages;
        let ids = reserve_ids(tx, "hospital_messages", messages.rows.len()).await?;
        let mut audit = Vec::with_capacity(ids.len());
        for ((row, (ctx, event)), id) in messages.rows.iter_mut().zip(self.audit).zip(ids) {
            row[0] = Cell::Int(id);
            let event = event.object(format!("hospital-message:{id}"));
            audit.push((ctx.tenant_id, ctx.fields(&event)));
        }
        insert_given(tx, &messages, "").await?;
        let touched: Vec<i64> = self.events.keys().copied().collect();
        let sql = "DELETE FROM hospital_episode_events WHERE episode_id IN ({})";
        execute_in(tx, sql, &touched).await?;
        let mut events = TableRows::new(
            "hospital_episode_events",
            &["episode_id", "seq", "event", "at_ms"],
        );
        for (id, timeline) in &self.events {
            for (seq, e) in timeline.iter().enumerate() {
                events.push(vec![
                    (*id).into(),
                    (seq as i64).into(),
                    e.event.as_str().into(),
                    e.at.into(),
                ]);
            }
        }
        insert_rows(tx, &events).await?;
        keep_follow_ups(tx, &self.follow_ups).await?;
        insert_rows(tx, &self.notices).await?;
        append_many(tx, &audit).await
    }
}
