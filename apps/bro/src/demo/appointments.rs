//! The demo's appointments across sectors: every citizen sees the region's outpatient clinic
//! every two weeks, and the Holstebro citizens the substance-abuse centre too. The past ones
//! are recorded (about 5 % no-shows; every other one for a few citizens, some of whom the
//! coordinator has followed up on, so some courses are flagged); the future ones wait. The
//! citizen who logs in as `borger` has a video consultation tomorrow, a GP appointment and a
//! moved one coming up.

use super::DemoStaff;
use super::escorts::{Escort, escort, next_visit};
use bro_domain::appointment::{AppointmentKind, Attendance, FollowUpAction};
use bro_domain::local_time::{from_local, to_local};
use bro_domain::working_days::is_working_day;
use bro_domain::{CitizenId, Timestamp};
use bro_store::{AuditCtx, DynStore, NewAppointment, Slot};

const H: i64 = 3_600_000;
const DAY: i64 = 24 * H;

/// `hour`:00 Danish time on the first working day from `days` after the day of `now`
/// (negative: before): clinics and centres do not book on weekends and holidays.
fn at(now: Timestamp, days: i64, hour: u8) -> Timestamp {
    let mut day = to_local(now + days * DAY).date();
    while !is_working_day(day) {
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    let time = time::Time::from_hms(hour, 0, 0).unwrap_or(time::Time::MIDNIGHT);
    from_local(day.with_time(time))
}

fn ctx(s: &DemoStaff, at_ms: Timestamp) -> AuditCtx {
    AuditCtx {
        tenant_id: s.org.0,
        at_ms,
        actor_user_id: Some(s.user),
        actor_role: Some(s.role.as_str().to_owned()),
        actor_unit_id: Some(s.unit),
        purpose: "care-team",
    }
}

fn slot(starts_ms: Timestamp, place: &str, video: Option<&str>, meets: &str) -> Slot {
    Slot {
        starts_ms,
        ends_ms: starts_ms + H,
        place: place.to_owned(),
        video_url: video.map(str::to_owned),
        meets: meets.to_owned(),
    }
}

/// What happened at citizen `i`'s `k`th past appointment: about 1 in 20 a no-show, every
/// one after the first for the citizens who miss many.
fn outcome(i: usize, k: usize) -> Attendance {
    let misses_many = i % 11 == 2;
    let k_missed = k != 0;
    if (misses_many && k_missed) || (i * 7 + k * 13).is_multiple_of(20) {
        Attendance::NoShow
    } else if (i + k).is_multiple_of(9) {
        Attendance::Late
    } else if (i + k).is_multiple_of(13) {
        Attendance::CancelledByCitizen
    } else {
        Attendance::Attended
    }
}

pub(super) async fn seed_appointments(
    store: &DynStore,
    staff: &[DemoStaff],
    citizens: &[CitizenId],
    now: Timestamp,
) -> Result<(), String> {
    let find = |name: &str| {
        staff
            .iter()
            .find(|s| s.username == name)
            .ok_or_else(|| format!("demo staff {name} missing"))
    };
    let (clinic, centre, gp) = (find("fagperson")?, find("koordinator")?, find("laege")?);
    let service = find("ledsager")?;
    let gate = "Hovedindgangen, Gødstrup";
    let e = |e: bro_store::StoreError| e.to_string();
    for (i, citizen) in citizens.iter().enumerate() {
        let Some(course) = store.open_course_of(*citizen).await.map_err(e)? else {
            continue;
        };
        let book = |by: &DemoStaff, kind, slot: Slot, remind| NewAppointment {
            course,
            citizen: *citizen,
            org: by.org,
            unit: by.unit,
            kind,
            slot,
            remind,
        };
        let offset = i64::try_from(i % 5).unwrap_or(0);
        // The substance-abuse centre is on the team of the coordinator's own courses.
        let centre_on_team = store
            .course_access(course, centre.user)
            .await
            .map_err(e)?
            .membership
            .is_some();
        let tell: Vec<_> = centre_on_team.then_some(centre.user).into_iter().collect();
        let mut no_shows = 0;
        // The past three weeks at the clinic (every course is older), recorded two hours
        // after each start.
        for k in 0..3 {
            let start = at(
                now,
                -20 + 7 * i64::try_from(k).unwrap_or(0),
                10 + (i % 4) as u8,
            );
            let new = book(
                clinic,
                AppointmentKind::Outpatient,
                slot(start, "Ambulatoriet, Gødstrup", None, "Peter Holm Sørensen"),
                false,
            );
            let id = store
                .book_appointment(&ctx(clinic, start - 7 * DAY), &new)
                .await
                .map_err(e)?;
            let result = outcome(i, k);
            no_shows += usize::from(result == Attendance::NoShow);
            // Holstebro's escort service took some of them there.
            if centre_on_team && k == 2 && next_visit(i) == Some(Escort::Accepted) {
                let times = (id, start, start - 6 * DAY);
                escort(store, (clinic, service), times, (Escort::Done, gate)).await?;
            }
            store
                .record_attendance(&ctx(clinic, start + 2 * H), id, result, "", &tell)
                .await
                .map_err(e)?;
        }
        // Some of the citizens who missed much were called; the rest wait on the coordinator.
        if no_shows >= 2 && i % 2 == 0 && centre_on_team {
            let note = "Ringet til borgeren, som gerne vil have følgeskab næste gang.";
            store
                .record_no_show_follow_up(
                    &ctx(centre, now - 2 * DAY),
                    course,
                    FollowUpAction::Contacted,
                    note,
                )
                .await
                .map_err(e)?;
        }
        // Coming up: the clinic in the next weeks; the substance-abuse centre for Holstebro's.
        let next = at(now, 3 + offset, 13);
        let new = book(
            clinic,
            AppointmentKind::Outpatient,
            slot(next, "Ambulatoriet, Gødstrup", None, "Peter Holm Sørensen"),
            i % 3 == 0,
        );
        let id = store
            .book_appointment(&ctx(clinic, now - DAY), &new)
            .await
            .map_err(e)?;
        if let Some(state) = next_visit(i).filter(|_| centre_on_team) {
            let times = (id, next, now - DAY + H);
            escort(store, (clinic, service), times, (state, gate)).await?;
        }
        if i % 4 == 0 && centre_on_team {
            let when = at(now, 5 + offset, 9);
            let new = book(
                centre,
                AppointmentKind::SubstanceTreatment,
                slot(
                    when,
                    "Rusmiddelcenter Holstebro, Nørregade 12",
                    None,
                    "Karen Kjær Jensen",
                ),
                true,
            );
            store
                .book_appointment(&ctx(centre, now - DAY), &new)
                .await
                .map_err(e)?;
        }
    }
    let borger = *citizens.first().ok_or("no citizens")?;
    let course = store
        .open_course_of(borger)
        .await
        .map_err(e)?
        .ok_or("borger's course")?;
    let book = |by: &DemoStaff, kind, slot: Slot| NewAppointment {
        course,
        citizen: borger,
        org: by.org,
        unit: by.unit,
        kind,
        slot,
        remind: true,
    };
    // A video consultation tomorrow, and the GP the week after.
    let video = slot(
        at(now, 1, 10),
        "",
        Some("https://video.rm.dk/meet/ambulatoriet-vest"),
        "Peter Holm Sørensen",
    );
    store
        .book_appointment(
            &ctx(clinic, now - 2 * DAY),
            &book(clinic, AppointmentKind::Outpatient, video),
        )
        .await
        .map_err(e)?;
    let gp_time = slot(
        at(now, 8, 8),
        "Lægehuset Vestergade, Holstebro",
        None,
        "Anne Vestergaard",
    );
    let id = store
        .book_appointment(
            &ctx(gp, now - 3 * DAY),
            &book(gp, AppointmentKind::Gp, gp_time),
        )
        .await
        .map_err(e)?;
    // The coordinator asked the escort service to take borger to the GP; it was accepted.
    let times = (id, at(now, 8, 9), now - 3 * DAY + H);
    let point = "Foran Lægehuset Vestergade";
    escort(store, (centre, service), times, (Escort::Accepted, point)).await?;
    // The GP moved it an hour later.
    let moved = slot(
        at(now, 8, 9),
        "Lægehuset Vestergade, Holstebro",
        None,
        "Anne Vestergaard",
    );
    store
        .move_appointment(
            &ctx(gp, now - DAY),
            id,
            1,
            &moved,
            "Lægen har fået et akut besøg",
        )
        .await
        .map_err(e)?;
    Ok(())
}
