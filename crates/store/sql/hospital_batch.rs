//! What a transaction of hospital messages reads once and writes once: under a feed of
//! thousands a message should cost the statements of its own episode, not also those that
//! every message repeats. Read up front: which message ids are kept already, the citizens by
//! CPR number, their open courses, and which of the staff to tell have an e-mail address.
//! Written at the end, in as few statements as the backend allows: the episodes' timelines as
//! they ended, their follow-ups, the alerts (their e-mails due) and the audit records. Every
//! message in between sees the batch's own changes, so the result is the same as one
//! transaction per message.

use bro_audit::AuditFields;
use bro_domain::hospital::{EpisodeEvent, Notification};
use bro_domain::notice::NoticeKind;
use bro_domain::{CitizenId, CourseId, UserId};
use bro_store::{AuditCtx, AuditEvent, IncomingHospitalMessage, StoreResult, TableRows};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::chain::append_many;
use super::hospital_follow_ups::{FollowUpPlan, keep_follow_up};
use super::hospital_keep::citizens_with;
use super::rows::{insert_rows, placeholders, rows_in};
use super::{Tx, err};
use crate::BULK_BINDS;

pub(super) struct Batch {
    /// Message ids kept (not rejected), before the batch or in it.
    pub(super) seen: HashSet<String>,
    /// Citizens by compact CPR number, those Bro has.
    citizens: HashMap<String, CitizenId>,
    /// Each citizen's open course, if any.
    courses: HashMap<CitizenId, CourseId>,
    /// Staff with an e-mail address, among those the batch may tell.
    mailed: HashSet<UserId>,
    /// The kept notifications of each episode the batch touched, its own included.
    pub(super) notes: HashMap<i64, Vec<Notification>>,
    /// Each touched episode's timeline as it ends.
    pub(super) events: BTreeMap<i64, Vec<EpisodeEvent>>,
    /// Each touched episode's follow-up as it ends (`None`: it has none), made at the first
    /// time the batch planned it since it last had none.
    follow_ups: BTreeMap<i64, Option<FollowUpPlan>>,
    notices: TableRows,
    audit: Vec<(i64, AuditFields)>,
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
        let citizens: HashMap<String, CitizenId> =
            citizens_with(tx, &cprs).await?.into_iter().collect();
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
        let mut told: Vec<i64> = batch
            .iter()
            .flat_map(|(_, m)| m.tell.iter().map(|u| u.0))
            .collect();
        told.sort_unstable();
        told.dedup();
        let mut mailed = HashSet::new();
        let sql = "SELECT id FROM users WHERE kind = 'staff' AND email IS NOT NULL AND active AND id IN ({})";
        for r in rows_in(tx, sql, &[], &told).await? {
            mailed.insert(UserId(r.try_get("id").map_err(err)?));
        }
        Ok(Batch {
            seen,
            citizens,
            courses,
            mailed,
            notes: HashMap::new(),
            events: BTreeMap::new(),
            follow_ups: BTreeMap::new(),
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

    pub(super) fn audit(&mut self, ctx: &AuditCtx, event: &AuditEvent) {
        self.audit.push((ctx.tenant_id, ctx.fields(event)));
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

    /// Writes what the batch left to the end, in `tx`.
    pub(super) async fn write(self, tx: &mut Tx) -> StoreResult<()> {
        let touched: Vec<i64> = self.events.keys().copied().collect();
        for chunk in touched.chunks(BULK_BINDS) {
            let sql = format!(
                "DELETE FROM hospital_episode_events WHERE episode_id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut **tx).await.map_err(err)?;
        }
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
        for (episode, plan) in self.follow_ups {
            keep_follow_up(tx, episode, plan.as_ref()).await?;
        }
        insert_rows(tx, &self.notices).await?;
        append_many(tx, &self.audit).await
    }
}
