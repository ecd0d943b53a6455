//! Admissions in the generated world: each region's psychiatric ward sends MedCom
//! HospitalNotifications to the municipalities, by made-up SOR ids, and they are received
//! through the one pipeline every hospital message takes, each at its own moment, after the
//! chunk's citizens are written. Three in ten citizens with an open course were admitted in the
//! last year (some are in hospital now, some on leave); a quarter of the discharges are
//! followed by an acute readmission within 30 days, the national figure.

use super::layout::{MUNICIPALITIES, REGIONS, municipality_sor};
use super::writer::{ChunkWriter, Sent};
use super::{ANCHOR_MS, DAY_MS, YEAR_MS};
use bro_domain::hospital::{Activity, Event, Notification};
use bro_domain::{Cpr, Timestamp};
use bro_medcom::{Organization, Outgoing};
use bro_store::{DynStore, Receipt};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const H: i64 = 3_600_000;
/// The episode-of-care identifier system of the generated wards.
const EPISODES: &str = "urn:bro:generated-ward-episode";

/// The made-up SOR id and name of region `r`'s ward.
fn ward(r: usize) -> Organization {
    Organization {
        sor: Some(format!("96000{r:010}")),
        gln: None,
        name: Some(format!("{}, psykiatrisk sengeafsnit", REGIONS[r])),
    }
}

/// Who a generated citizen's messages are between, and about.
pub(super) struct Patient<'a> {
    pub(super) i: usize,
    pub(super) cpr: &'a Cpr,
    pub(super) municipality: usize,
    pub(super) region: usize,
    /// When their open course opened: no stay before it.
    pub(super) opened: Timestamp,
}

impl ChunkWriter<'_> {
    /// The stays of a citizen with an open course, as the messages their ward sends. A
    /// generator of its own per citizen, so the rest of the world does not depend on it.
    pub(super) fn admissions(&mut self, p: &Patient<'_>) {
        let mut rng = StdRng::seed_from_u64(
            self.layout.seed ^ (p.i as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03),
        );
        if !rng.gen_bool(0.3) {
            return;
        }
        let earliest = p.opened.max(ANCHOR_MS - YEAR_MS) + DAY_MS;
        if earliest >= ANCHOR_MS - DAY_MS {
            return;
        }
        let mut admitted = rng.gen_range(earliest..ANCHOR_MS - DAY_MS);
        for stay in 0..3 {
            let length = rng.gen_range(20 * H..25 * DAY_MS);
            let leave = rng
                .gen_bool(0.2)
                .then(|| admitted + length / 2)
                .map(|from| (from, from + rng.gen_range(6 * H..48 * H)));
            let discharged = admitted + length;
            self.hospital_stay(p, stay, admitted, leave, discharged);
            // A quarter of the discharges: an acute readmission within 30 days.
            if discharged >= ANCHOR_MS || !rng.gen_bool(0.25) {
                break;
            }
            admitted = discharged + rng.gen_range(6 * H..29 * DAY_MS);
            if admitted >= ANCHOR_MS {
                break;
            }
        }
    }

    /// One stay's messages, those up to the world's "now".
    fn hospital_stay(
        &mut self,
        p: &Patient<'_>,
        n: usize,
        admitted: Timestamp,
        leave: Option<(Timestamp, Timestamp)>,
        discharged: Timestamp,
    ) {
        use Activity as A;
        let mut steps = vec![(A::AdmitInpatient, admitted, None)];
        if let Some((from, to)) = leave.filter(|(_, to)| *to < discharged) {
            steps.push((A::StartLeave, from, Some((from, None))));
            steps.push((A::EndLeave, to, Some((from, Some(to)))));
        }
        steps.push((A::DischargeInpatient, discharged, None));
        let (sender, receiver) = (
            ward(p.region),
            Organization {
                sor: Some(municipality_sor(p.municipality)),
                gln: None,
                name: Some(format!("{} Kommune", MUNICIPALITIES[p.municipality])),
            },
        );
        let episode = format!("gen-{}-{n}", p.i);
        for (k, (activity, at, leave)) in steps.into_iter().enumerate() {
            if at > ANCHOR_MS {
                break;
            }
            let notification = Notification {
                message_id: format!("{episode}-{k}"),
                recorded: at,
                activity,
                start: admitted,
                end: matches!(activity.event(), Event::Discharge).then_some(at),
                leave,
                unit: sender.name.clone().unwrap_or_default(),
            };
            let bytes = Outgoing {
                message_id: &notification.message_id,
                sender: &sender,
                receiver: &receiver,
                cpr: p.cpr,
                episode: (EPISODES, &episode),
                notification: &notification,
            }
            .to_json()
            .into_bytes();
            self.hospital.push(Sent { at, bytes });
        }
    }
}

/// Receives a chunk's messages in the order they were sent, each at its moment.
pub(super) async fn receive(store: &DynStore, mut sent: Vec<Sent>) -> Result<(), String> {
    sent.sort_by_key(|s| s.at);
    for batch in sent.chunks(bro_web::hospital_intake::FEED_BATCH) {
        let intakes: Vec<_> = batch
            .iter()
            .map(|s| (s.at, bro_web::hospital_intake::Intake::file(&s.bytes)))
            .collect();
        for received in bro_web::hospital_intake::receive_all(store, &intakes).await {
            match received.map_err(|e| e.to_string())?.receipt {
                Receipt::Accepted { .. } | Receipt::Duplicate => {}
                other => return Err(format!("a generated hospital message: {other:?}")),
            }
        }
    }
    Ok(())
}
