//! The demo's hospital events: Holstebro Kommune is known to hospitals by a SOR id, and
//! Regionspsykiatrien Gødstrup's ward sends MedCom HospitalNotifications about its citizens,
//! written as a hospital would and received through the one pipeline every message takes
//! (read by the parser, matched by CPR number, the care team alerted). The demo citizen was
//! admitted, went on leave, came back and was discharged; came back acutely three weeks
//! later (a readmission by eSundhed's rule) and was discharged three days ago, so the
//! follow-up waits on the course. Two more citizens are in hospital now, one on leave.

use bro_domain::hospital::{Activity, Notification};
use bro_domain::{CitizenId, CourseId, OrgId, Timestamp};
use bro_medcom::{Organization, Outgoing};
use bro_store::{AuditCtx, DynStore, Receipt};

/// Made up for the demo: not a real SOR id.
pub const HOLSTEBRO_SOR: &str = "953741000016009";
const WARD_SOR: &str = "6171000016000";
const WARD: &str = "Regionspsykiatrien Gødstrup, Afsnit P1";
const EPISODES: &str = "https://sor2.sum.dsdn.dk/#id=6171000016000";

const H: i64 = 3_600_000;
const DAY: i64 = 24 * H;

/// One message: (activity, its moment before now, the episode's start, end and leave).
struct Step {
    activity: Activity,
    at: i64,
    leave: Option<(i64, Option<i64>)>,
}

fn step(activity: Activity, days_ago: f64) -> Step {
    Step {
        activity,
        at: (days_ago * DAY as f64) as i64,
        leave: None,
    }
}

/// The stays of a citizen: each its steps, the first an admission.
fn stays_of(which: usize) -> Vec<Vec<Step>> {
    use Activity as A;
    match which {
        0 => vec![
            vec![
                step(A::AdmitInpatient, 30.0),
                Step {
                    leave: Some((27 * DAY, None)),
                    ..step(A::StartLeave, 27.0)
                },
                Step {
                    leave: Some((27 * DAY, Some(26 * DAY))),
                    ..step(A::EndLeave, 26.0)
                },
                step(A::DischargeInpatient, 24.0),
            ],
            vec![
                step(A::AdmitInpatient, 10.0),
                step(A::DischargeInpatient, 3.0),
            ],
        ],
        1 => vec![vec![step(A::AdmitInpatient, 2.5)]],
        _ => vec![vec![
            step(A::AdmitInpatient, 6.0),
            Step {
                leave: Some((DAY / 2, None)),
                ..step(A::StartLeave, 0.5)
            },
        ]],
    }
}

/// Sets Holstebro's SOR id and receives the ward's messages about the first three of
/// `citizens` with an open course (the demo citizen first); the coordinator (`coordinator`, on `course`) booked the follow-up after the
/// demo citizen's first discharge.
pub(super) async fn seed_hospital(
    store: &DynStore,
    (coordinator, course): (&AuditCtx, CourseId),
    citizens: &[CitizenId],
    now: Timestamp,
) -> Result<(), String> {
    let holstebro = OrgId(coordinator.tenant_id);
    let ctx = AuditCtx::system(holstebro.0, now, "demo-setup");
    store
        .set_org_sor(&ctx, holstebro, Some(HOLSTEBRO_SOR))
        .await
        .map_err(|e| e.to_string())?;
    let ward = Organization {
        sor: Some(WARD_SOR.to_owned()),
        gln: None,
        name: Some(WARD.to_owned()),
    };
    let municipality = Organization {
        sor: Some(HOLSTEBRO_SOR.to_owned()),
        gln: None,
        name: Some("Holstebro Kommune".to_owned()),
    };
    let mut open = Vec::new();
    for citizen in citizens {
        if open.len() < 3
            && store
                .open_course_of(*citizen)
                .await
                .map_err(|e| e.to_string())?
                .is_some()
        {
            open.push(*citizen);
        }
    }
    for (which, citizen) in open.iter().enumerate() {
        let cpr = store
            .citizen(&AuditCtx::system(0, now, "demo-setup"), *citizen)
            .await
            .map_err(|e| e.to_string())?
            .cpr;
        for (s, steps) in stays_of(which).iter().enumerate() {
            let start = now - steps[0].at;
            let episode = format!("demo-{}-{s}", citizen.0);
            for (k, st) in steps.iter().enumerate() {
                let at = now - st.at;
                let discharged =
                    matches!(st.activity.event(), bro_domain::hospital::Event::Discharge);
                let notification = Notification {
                    message_id: format!("{episode}-{k}"),
                    recorded: at,
                    activity: st.activity,
                    start,
                    end: discharged.then_some(at),
                    leave: st.leave.map(|(from, to)| (now - from, to.map(|t| now - t))),
                    unit: WARD.to_owned(),
                };
                let bytes = Outgoing {
                    message_id: &notification.message_id,
                    sender: &ward,
                    receiver: &municipality,
                    cpr: &cpr,
                    episode: (EPISODES, &episode),
                    notification: &notification,
                }
                .to_json();
                let intake = bro_web::hospital_intake::Intake::file(bytes.as_bytes());
                let received = bro_web::hospital_intake::receive(store, now, intake)
                    .await
                    .map_err(|e| e.to_string())?;
                if !matches!(received.receipt, Receipt::Accepted { .. }) {
                    return Err(format!(
                        "demo hospital message {}: {:?}",
                        notification.message_id, received.receipt
                    ));
                }
            }
        }
    }
    let first = citizens.first().ok_or("no demo citizen")?;
    let episodes = store
        .hospital_episodes(coordinator, *first)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(oldest) = episodes.iter().rev().find(|e| e.follow_up.is_some()) {
        store
            .book_hospital_follow_up(coordinator, course, oldest.id)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
