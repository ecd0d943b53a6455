//! The hospital's facts a list of courses shows: whether each citizen is in hospital now, and
//! their acute readmissions in the last 12 months by eSundhed's rule (only for the citizens
//! the caller found health data shared for); and a citizen's open episodes, which a
//! hand-registered leave or discharge applies to.

use bro_domain::hospital::{EncounterClass, EpisodeState};
use bro_domain::readmission::{COUNTED_MS, Contact, readmissions_last_year};
use bro_domain::{CitizenId, Timestamp};
use sqlx::Row;
use std::collections::HashMap;

use super::{Tx, coded, err};
use crate::Backend;
use bro_store::{OpenEpisode, StoreResult};

/// Far enough back to find the discharge an admission 12 months ago followed.
const LOOK_BACK_MS: i64 = COUNTED_MS + 32 * 24 * 60 * 60 * 1000;
/// Ids per query.
const CHUNK: usize = 500;

/// Per citizen: in hospital now (admitted or on leave), and the readmissions counted.
pub(super) async fn hospital_flags(
    tx: &mut Tx,
    citizens: &[CitizenId],
    now: Timestamp,
) -> StoreResult<HashMap<CitizenId, (Option<EpisodeState>, usize)>> {
    let mut contacts: HashMap<CitizenId, Vec<Contact>> = HashMap::new();
    let mut inside: HashMap<CitizenId, EpisodeState> = HashMap::new();
    for chunk in citizens.chunks(CHUNK) {
        // Citizen ids are numbers, never text from a request.
        let ids: Vec<String> = chunk.iter().map(|c| c.0.to_string()).collect();
        let rows = sqlx::query(&format!(
            "SELECT citizen_id, class, state, start_ms, end_ms FROM hospital_episodes \
             WHERE citizen_id IN ({}) AND state <> 'cancelled' AND (end_ms IS NULL OR end_ms >= $1) \
             ORDER BY citizen_id, start_ms",
            ids.join(", ")
        ))
        .bind(now - LOOK_BACK_MS)
        .fetch_all(&mut **tx)
        .await
        .map_err(err)?;
        for r in &rows {
            let citizen = CitizenId(r.try_get("citizen_id").map_err(err)?);
            let class = coded(r, "class", EncounterClass::parse)?;
            let state = coded(r, "state", EpisodeState::parse)?;
            let contact = Contact::notified(
                class,
                r.try_get("start_ms").map_err(err)?,
                r.try_get("end_ms").map_err(err)?,
            );
            contacts.entry(citizen).or_default().push(contact);
            if matches!(state, EpisodeState::Admitted | EpisodeState::OnLeave) {
                inside.insert(citizen, state);
            }
        }
    }
    Ok(contacts
        .into_iter()
        .map(|(citizen, c)| {
            let counted = readmissions_last_year(&c, now);
            (citizen, (inside.get(&citizen).copied(), counted))
        })
        .collect())
}

impl Backend {
    pub(super) async fn open_episodes(&self, citizen: CitizenId) -> StoreResult<Vec<OpenEpisode>> {
        let rows = sqlx::query(
            "SELECT id, org_id, episode_system, episode_value, class, state, start_ms, leave_from_ms, hospital \
             FROM hospital_episodes WHERE citizen_id = $1 AND state IN ('admitted', 'on_leave') ORDER BY start_ms DESC",
        )
        .bind(citizen.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(OpenEpisode {
                    id: r.try_get("id").map_err(err)?,
                    org: bro_domain::OrgId(r.try_get("org_id").map_err(err)?),
                    key: (
                        r.try_get("episode_system").map_err(err)?,
                        r.try_get("episode_value").map_err(err)?,
                    ),
                    class: coded(r, "class", EncounterClass::parse)?,
                    state: coded(r, "state", EpisodeState::parse)?,
                    start_ms: r.try_get("start_ms").map_err(err)?,
                    leave_from_ms: r.try_get("leave_from_ms").map_err(err)?,
                    hospital: r.try_get("hospital").map_err(err)?,
                })
            })
            .collect()
    }
}
