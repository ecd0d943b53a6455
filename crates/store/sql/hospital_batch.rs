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
use bro_domain::{CitizenId, CourseId, Timestamp, UserId};
use bro_store::{AuditCtx, AuditEvent, IncomingHospitalMessage, StoreResult, TableRows};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::chain::append_many;
use super::hospital_follow_ups::keep_follow_up;
use super::rows::{insert_rows, placeholders, rows_in};
use super::{Tx, err};
use crate::BULK_BINDS;

pub(super) struct Batch {
    /// Message ids kept (not rejected), before the batch or in it.
    pub(super) seen: HashSet<String>,
    /// Citizens by compact CPR number (`None`: no citizen has it).
    citizens: HashMap<String, Option<CitizenId>>,
    /// Each citizen's open course, if any.
    courses: HashMap<CitizenId, CourseId>,
    /// Staff with an e-mail address, among those the batch may tell.
    mailed: HashSet<UserId>,
    /// The kept notifications of each episode the batch touched, its own included.
    pub(super) notes: HashMap<i64, Vec<Notification>>,
    /// Each touched episode's timeline as it ends.
    pub(super) events: BTreeMap<i64, Vec<EpisodeEvent>>,
    /// Each touched episode's follow-up as it ends (`None`: it has none).
    follow_ups: BTreeMap<i64, Option<PlannedFollowUp>>,
    notices: TableRows,
    audit: Vec<(i64, AuditFields)>,
}

/// A follow-up as the batch leaves it: made at (the first time the batch planned it since it
/// last had none), due at, on course.
struct PlannedFollowUp {
    made: Timestamp,
    due: (Timestamp, CourseId),
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
        let mut citizens: HashMap<String, Option<CitizenId>> =
            cprs.iter().map(|c| (c.clone(), None)).collect();
        let sql = "SELECT id, cpr FROM citizens WHERE cpr IN ({})";
        for r in rows_in(tx, sql, &[], &cprs).await? {
            citizens.insert(
                r.try_get("cpr").map_err(err)?,
                Some(CitizenId(r.try_get("id").map_err(err)?)),
            );
        }
        let found: Vec<i64> = citizens.values().flatten().map(|c| c.0).collect();
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
        self.citizens.get(cpr).copied().flatten()
    }

    /// The citizen's open course, which their episodes show on.
    pub(super) fn course(&self, citizen: CitizenId) -> Option<CourseId> {
        self.courses.get(&citizen).copied()
    }

    pub(super) fn audit(&mut self, ctx: &AuditCtx, event: &AuditEvent) {
        self.audit.push((ctx.tenant_id, ctx.fields(event)));
    }

    /// Plans episode `episode`'s follow-up as of `at`: due on a course, or none.
    pub(super) fn follow_up(
        &mut self,
        at: Timestamp,
        episode: i64,
        due: Option<(Timestamp, CourseId)>,
    ) {
        let made = match self.follow_ups.get(&episode) {
            Some(Some(planned)) => planned.made,
            _ => at,
        };
        self.follow_ups
            .insert(episode, due.map(|due| PlannedFollowUp { made, due }));
    }

    /// An alert to each of `to` but the actor; staff with an address also get its e-mail.
    pub(super) fn notice(
        &mut self,
        ctx: &AuditCtx,
        to: &[UserId],
        kind: &str,
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
                kind.into(),
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
            match plan {
                Some(p) => keep_follow_up(tx, p.made, episode, Some(p.due)).await?,
                None => keep_follow_up(tx, 0, episode, None).await?,
            }
        }
        insert_rows(tx, &self.notices).await?;
        append_many(tx, &self.audit).await
    }
}
