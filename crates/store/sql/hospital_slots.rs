//! The episodes a batch of hospital messages touches, held in memory while the batch runs:
//! read up front by their keys and by the batch's citizens (the readmission rule looks at all
//! of a citizen's stays), changed by each message, written back at the end in a few multi-row
//! statements. A new episode takes an id reserved up front, so its messages can point at it
//! before it is written.

use bro_domain::hospital::{EncounterClass, Episode, EpisodeState};
use bro_domain::readmission::{Contact, begins_readmission};
use bro_domain::{CitizenId, Cpr, OrgId, Timestamp};
use bro_store::{Cell, HospitalFacts, StoreError, StoreResult, TableRows};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

use super::rows::{bind_at, insert_given, reserve_ids, rows_in};
use super::{DbRow, Tx, coded, err};
use crate::BULK_BINDS;

/// An episode of care at an organisation: (organisation, identifier system, value).
pub(super) type EpisodeKey = (OrgId, String, String);

const COLUMNS: &str = "id, org_id, episode_system, episode_value, citizen_id, cpr, class, state, start_ms, end_ms, leave_from_ms, hospital";

/// Writing a changed episode back: a new one is inserted, one that was read is updated.
const UPSERT: &str = " ON CONFLICT (id) DO UPDATE SET citizen_id = excluded.citizen_id, cpr = excluded.cpr, \
     class = excluded.class, state = excluded.state, start_ms = excluded.start_ms, end_ms = excluded.end_ms, \
     leave_from_ms = excluded.leave_from_ms, hospital = excluded.hospital, updated_ms = excluded.updated_ms";

/// One episode's row as the batch has left it so far.
struct Slot {
    org: OrgId,
    system: String,
    value: String,
    citizen: Option<CitizenId>,
    /// The compact CPR number an unmatched episode waits for.
    cpr: Option<String>,
    class: EncounterClass,
    state: EpisodeState,
    start: Timestamp,
    end: Option<Timestamp>,
    leave_from: Option<Timestamp>,
    unit: String,
    /// When the batch last changed it (written back at its end, as updated then); `None`:
    /// untouched.
    changed_at: Option<Timestamp>,
}

impl Slot {
    fn read(r: &DbRow) -> StoreResult<(i64, Slot)> {
        let slot = Slot {
            org: OrgId(r.try_get("org_id").map_err(err)?),
            system: r.try_get("episode_system").map_err(err)?,
            value: r.try_get("episode_value").map_err(err)?,
            citizen: r
                .try_get::<Option<i64>, _>("citizen_id")
                .map_err(err)?
                .map(CitizenId),
            cpr: r.try_get("cpr").map_err(err)?,
            class: coded(r, "class", EncounterClass::parse)?,
            state: coded(r, "state", EpisodeState::parse)?,
            start: r.try_get("start_ms").map_err(err)?,
            end: r.try_get("end_ms").map_err(err)?,
            leave_from: r.try_get("leave_from_ms").map_err(err)?,
            unit: r.try_get("hospital").map_err(err)?,
            changed_at: None,
        };
        Ok((r.try_get("id").map_err(err)?, slot))
    }
}

pub(super) struct Slots {
    by_id: BTreeMap<i64, Slot>,
    by_key: HashMap<EpisodeKey, i64>,
    /// Every episode of each of the batch's citizens.
    by_citizen: HashMap<CitizenId, Vec<i64>>,
    /// Ids reserved for the episodes the batch opens, in the order it opens them.
    fresh: std::vec::IntoIter<i64>,
    /// The episodes found by their keys: those the batch's messages may add to.
    found: Vec<i64>,
}

impl Slots {
    /// Reads the episodes with `keys` (distinct) and every episode of `citizens`, and
    /// reserves an id for each key without an episode.
    pub(super) async fn read(
        tx: &mut Tx,
        keys: &[EpisodeKey],
        citizens: &[i64],
    ) -> StoreResult<Slots> {
        let mut slots = Slots {
            by_id: BTreeMap::new(),
            by_key: HashMap::new(),
            by_citizen: HashMap::new(),
            found: Vec::new(),
            fresh: Vec::new().into_iter(),
        };
        // One index lookup per key, ORed: each backend unions them.
        for chunk in keys.chunks(BULK_BINDS / 3) {
            let wanted: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let n = 3 * i;
                    format!(
                        "(org_id = {} AND episode_system = {} AND episode_value = {})",
                        bind_at(n + 1),
                        bind_at(n + 2),
                        bind_at(n + 3)
                    )
                })
                .collect();
            let sql = format!(
                "SELECT {COLUMNS} FROM hospital_episodes WHERE {}",
                wanted.join(" OR ")
            );
            let mut q = sqlx::query(&sql);
            for (org, system, value) in chunk {
                q = q.bind(org.0).bind(system).bind(value);
            }
            for r in q.fetch_all(&mut **tx).await.map_err(err)? {
                let (id, slot) = Slot::read(&r)?;
                slots.found.push(id);
                slots.hold(id, slot);
            }
        }
        // Exactly one id for each key not found: the first message of it opens its episode.
        let new = keys.len() - slots.found.len();
        slots.fresh = reserve_ids(tx, "hospital_episodes", new).await?.into_iter();
        let sql = format!("SELECT {COLUMNS} FROM hospital_episodes WHERE citizen_id IN ({{}})");
        for r in rows_in(tx, &sql, &[], citizens).await? {
            let (id, slot) = Slot::read(&r)?;
            if let Some(c) = slot.citizen {
                slots.by_citizen.entry(c).or_default().push(id);
            }
            slots.hold(id, slot);
        }
        Ok(slots)
    }

    fn hold(&mut self, id: i64, slot: Slot) {
        let key = (slot.org, slot.system.clone(), slot.value.clone());
        self.by_key.insert(key, id);
        self.by_id.entry(id).or_insert(slot);
    }

    /// The episodes that were there before the batch and that its messages are about.
    pub(super) fn found(&self) -> &[i64] {
        &self.found
    }

    /// The episode of `facts` at `org` and its state before this message, opened when this is
    /// its first message (state `None`); `None` when the episode is another patient's (a
    /// message is never attached to the wrong person).
    pub(super) fn find_or_open(
        &mut self,
        (org, citizen): (OrgId, Option<CitizenId>),
        facts: &HospitalFacts,
        at: Timestamp,
    ) -> StoreResult<Option<(i64, Option<EpisodeState>)>> {
        let (system, value) = &facts.episode;
        let key = (org, system.clone(), value.clone());
        if let Some(id) = self.by_key.get(&key) {
            let slot = &self.by_id[id];
            let same = match slot.citizen {
                Some(theirs) => citizen == Some(theirs),
                None => slot.cpr == facts.cpr.as_ref().map(Cpr::compact),
            };
            return Ok(same.then_some((*id, Some(slot.state))));
        }
        let id = self.fresh.next().ok_or_else(|| {
            StoreError::Database("no episode id was reserved for a new episode".to_owned())
        })?;
        let n = &facts.notification;
        let slot = Slot {
            org,
            system: system.clone(),
            value: value.clone(),
            citizen: None,
            cpr: None,
            class: n.activity.class(),
            state: EpisodeState::Cancelled,
            start: n.start,
            end: None,
            leave_from: None,
            unit: n.unit.clone(),
            changed_at: Some(at),
        };
        self.by_key.insert(key, id);
        self.by_id.insert(id, slot);
        Ok(Some((id, None)))
    }

    /// Episode `id` as rebuilt by a message about `citizen` (or, unmatched, about `cpr`).
    pub(super) fn rebuilt(
        &mut self,
        id: i64,
        (citizen, cpr): (Option<CitizenId>, Option<&Cpr>),
        episode: &Episode,
        at: Timestamp,
    ) {
        let Some(slot) = self.by_id.get_mut(&id) else {
            return;
        };
        if let (None, Some(c)) = (slot.citizen, citizen) {
            slot.citizen = Some(c);
            self.by_citizen.entry(c).or_default().push(id);
        }
        slot.cpr = match citizen {
            None => cpr.map(Cpr::compact),
            Some(_) => None,
        };
        slot.class = episode.class;
        slot.state = episode.state;
        slot.start = episode.start;
        slot.end = episode.end;
        slot.leave_from = episode
            .leaves
            .last()
            .filter(|l| l.to.is_none())
            .map(|l| l.from);
        slot.unit = episode.unit.clone();
        slot.changed_at = Some(at);
    }

    /// Whether the admission of episode `id` is an acute readmission, by all the citizen's
    /// episodes as the batch has left them.
    pub(super) fn is_readmission(&self, citizen: CitizenId, id: i64, now: Timestamp) -> bool {
        let contacts: Vec<Contact> = self
            .by_citizen
            .get(&citizen)
            .into_iter()
            .flatten()
            .map(|i| &self.by_id[i])
            .filter(|s| s.state != EpisodeState::Cancelled)
            .map(|s| Contact::notified(s.class, s.start, s.end))
            .collect();
        let this = self
            .by_id
            .get(&id)
            .filter(|s| s.state != EpisodeState::Cancelled && s.citizen == Some(citizen));
        this.is_some_and(|s| begins_readmission(&contacts, s.start, now))
    }

    /// Writes every episode the batch changed, in `tx`.
    pub(super) async fn write(&self, tx: &mut Tx) -> StoreResult<()> {
        let mut rows = TableRows::new(
            "hospital_episodes",
            &[
                "id",
                "org_id",
                "episode_system",
                "episode_value",
                "citizen_id",
                "cpr",
                "class",
                "state",
                "start_ms",
                "end_ms",
                "leave_from_ms",
                "hospital",
                "updated_ms",
            ],
        );
        for (id, s, at) in self
            .by_id
            .iter()
            .filter_map(|(id, s)| Some((id, s, s.changed_at?)))
        {
            rows.push(vec![
                (*id).into(),
                s.org.0.into(),
                s.system.as_str().into(),
                s.value.as_str().into(),
                s.citizen.map(|c| c.0).into(),
                s.cpr.clone().into(),
                s.class.as_str().into(),
                s.state.as_str().into(),
                s.start.into(),
                s.end.into(),
                s.leave_from.into(),
                s.unit.as_str().into(),
                Cell::Int(at),
            ]);
        }
        insert_given(tx, &rows, UPSERT).await
    }
}
