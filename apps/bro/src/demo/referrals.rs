//! The demo's referrals: Holstebro's citizens referred to the MPO places at Skovvang and to the
//! Rusmiddelcenter, by their coordinator, in every state of the closed loop, decided by
//! `funktionsleder` with reasons, so the queue, the course's referrals and `borger`'s own page
//! have something to show; MPO Holstebro's four beds hold the stays of the accepted ones (one
//! waiting to begin, one under way, one ended). `borger` has one waiting for their yes, and an
//! outreach contact at Værestedet Møllen, where the unit's staff come on Tuesdays.

use super::DemoStaff;
use bro_domain::care_place::{AgreementText, NextStep, default_end};
use bro_domain::offer::{OfferLaw, ReferrerKind};
use bro_domain::referral::{ReferralAction as A, ReferralStatus as S, ReferralText, Urgency};
use bro_domain::{CitizenId, CourseId};
use bro_store::{
    AttendanceTime, AuditCtx, Decision, DynStore, NewAgreementVersion, NewOutreachContact,
    NewReferral, OfferQuery, ReferralStep, StayChange,
};
use time::Duration;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn ctx_of(s: &DemoStaff, at_ms: i64, purpose: &'static str) -> AuditCtx {
    AuditCtx {
        tenant_id: s.org.0,
        at_ms,
        actor_user_id: Some(s.user),
        actor_role: Some(s.role.as_str().to_owned()),
        actor_unit_id: Some(s.unit),
        purpose,
    }
}

/// One step of a demo story: what is done, the state it leads to, and its note.
type Step = (A, S, &'static str);

/// The steps after a referral is sent that bring it to its state, with its urgency.
const STORIES: &[(Urgency, &[Step])] = &[
    (Urgency::Asap, &[]),
    (Urgency::Urgent, &[(A::Receive, S::Received, "")]),
    (
        Urgency::Routine,
        &[
            (A::Receive, S::Received, ""),
            (A::Accept, S::Accepted, "I målgruppen; plads fra den 1."),
        ],
    ),
    (
        Urgency::Urgent,
        &[
            (A::Accept, S::Accepted, "Akut behov, plads i dag"),
            (A::Start, S::InProgress, ""),
        ],
    ),
    (
        Urgency::Routine,
        &[
            (A::Receive, S::Received, ""),
            (
                A::Reject,
                S::Rejected,
                "Ikke i målgruppen: ingen psykisk lidelse beskrevet",
            ),
        ],
    ),
    (
        Urgency::Routine,
        &[
            (A::Accept, S::Accepted, "Plads efter udskrivning"),
            (A::Start, S::InProgress, ""),
            (
                A::Complete,
                S::Completed,
                "Udskrevet til eget hjem med bostøtte",
            ),
        ],
    ),
    (
        Urgency::Routine,
        &[(A::Hold, S::OnHold, "Afventer udskrivning fra døgnafsnittet")],
    ),
];

/// The agreement drafted at enrolment, on `base` (0 for the first).
fn agreement(base: i64) -> NewAgreementVersion {
    NewAgreementVersion {
        base_version: base,
        text: AgreementText {
            goals: "Ro og søvn; mindre hash; en plan for bolig efter opholdet".to_owned(),
            parties:
                "Omsorgspladsen: daglig kontakt. Bostøtten: besøg hver uge. Klinikken: medicin."
                    .to_owned(),
            medication: "Som ved indskrivningen; klinikken justerer".to_owned(),
            ward_contact: "Virtuelt tilsyn fra døgnafsnittet hver anden uge".to_owned(),
            discharge: "Hjem med bostøtte eller et botilbud".to_owned(),
            participants: "Ambulant Akut Team, regionens socialrådgiver, borgeren".to_owned(),
        },
        review_day: None,
        principles: Vec::new(),
        principles_note: String::new(),
    }
}

async fn offer_id(store: &DynStore, text: &str) -> Result<i64, String> {
    let query = OfferQuery {
        text: text.to_owned(),
        ..OfferQuery::default()
    };
    let found = store
        .search_offers(&query, 1)
        .await
        .map_err(|e| e.to_string())?;
    found
        .first()
        .map(|o| o.id)
        .ok_or_else(|| format!("demo offer {text} missing"))
}

/// Holds MPO Holstebro's reviews at Fælles Team Holstebro's fortnightly series on the stay
/// agreements, and returns the days of its meetings.
async fn review_series(
    store: &DynStore,
    leader: &DemoStaff,
    unit: bro_domain::UnitId,
    now: i64,
) -> Result<Vec<time::Date>, String> {
    let e = |e: bro_store::StoreError| e.to_string();
    let series = store
        .series_choices(leader.org)
        .await
        .map_err(e)?
        .into_iter()
        .find(|s| s.title == super::meetings::REVIEW_SERIES)
        .ok_or("the demo's review series is missing")?;
    let admin = ctx_of(leader, now - 90 * DAY_MS, "administration");
    store
        .set_review_series(&admin, unit, series.id)
        .await
        .map_err(e)?;
    let meetings = store
        .meetings_of_team(series.team_id, now - 200 * DAY_MS, now + 200 * DAY_MS)
        .await
        .map_err(e)?;
    Ok(meetings
        .iter()
        .filter(|m| m.series_id == Some(series.id))
        .map(|m| bro_domain::local_time::to_local(m.starts_ms).date())
        .collect())
}

/// Refers Holstebro's first citizens (after `borger`) through the stories, a week apart, and
/// `borger` to the Rusmiddelcenter without their yes yet.
pub(super) async fn seed_referrals(
    store: &DynStore,
    staff: &[DemoStaff],
    citizens: &[CitizenId],
    now: i64,
) -> Result<(), String> {
    let e = |e: bro_store::StoreError| e.to_string();
    let find = |name: &str| {
        staff
            .iter()
            .find(|s| s.username == name)
            .ok_or_else(|| format!("demo user {name} missing"))
    };
    let (koordinator, leader) = (find("koordinator")?, find("funktionsleder")?);
    let mpo = offer_id(store, "Midlertidige psykiatriske omsorgspladser").await?;
    let rusmiddel = offer_id(store, "Rusmiddelcenter Holstebro").await?;
    // The courses koordinator is on, in citizen order.
    let mut courses: Vec<CourseId> = Vec::new();
    for c in citizens {
        if let Some(course) = store.open_course_of(*c).await.map_err(e)?
            && store
                .course_access(course, koordinator.user)
                .await
                .map_err(e)?
                .membership
                .is_some()
        {
            courses.push(course);
        }
    }
    let text = |reason: &str| ReferralText {
        reason: reason.to_owned(),
        tried: "Bostøtte og ambulant behandling".to_owned(),
        wishes: "Et roligt sted at være, hvor nogen ser til mig".to_owned(),
    };
    // MPO Holstebro's four beds.
    let unit = store.offer(mpo).await.map_err(e)?.unit_id;
    let admin = ctx_of(leader, now - 90 * DAY_MS, "administration");
    let mut beds = Vec::new();
    for k in 1..=4 {
        beds.push(
            store
                .add_bed(&admin, unit, &format!("Seng {k}"))
                .await
                .map_err(e)?,
        );
    }
    let review_days = review_series(store, leader, unit, now).await?;
    let today = bro_domain::local_time::to_local(now).date();
    let mut when = now - 60 * DAY_MS;
    for (n, (course, (urgency, steps))) in courses.iter().skip(1).zip(STORIES).enumerate() {
        let new = NewReferral {
            course_id: *course,
            offer_id: mpo,
            referrer_kind: ReferrerKind::OwnMunicipality,
            urgency: *urgency,
            text: text("Forværring og misbrug; hjemmet slår ikke til lige nu"),
            citizen_agreed: true,
        };
        let id = store
            .create_referral(&ctx_of(koordinator, when, "care-team"), &new)
            .await
            .map_err(e)?;
        let mut stay = None;
        for (k, (action, to, note)) in steps.iter().enumerate() {
            when += DAY_MS;
            let ctx = ctx_of(leader, when, "referral");
            // The stay's arrival and end move the referral on (one version each).
            let change = match (action, stay) {
                (A::Start, Some(s)) => Some((s, 1, StayChange::Arrive)),
                (A::Complete, Some(s)) => Some((
                    s,
                    2,
                    StayChange::End {
                        day: bro_domain::local_time::to_local(when).date(),
                        next: NextStep::OwnHome,
                        note: (*note).to_owned(),
                    },
                )),
                _ => None,
            };
            if let Some((s, version, change)) = change {
                store
                    .change_stay(&ctx, s, version, &change)
                    .await
                    .map_err(e)?;
                // Reviewed at the first review meeting after the arrival, once it was held.
                let day = bro_domain::local_time::to_local(when).date();
                let held = review_days
                    .iter()
                    .copied()
                    .find(|d| *d > day && *d <= today);
                if let (A::Start, Some(review_day)) = (action, held) {
                    let review = NewAgreementVersion {
                        base_version: 1,
                        review_day: Some(review_day),
                        principles: vec![4, 4, 3, 5, 4, 4, 3],
                        principles_note: "Roligere; spiser og sover bedre".to_owned(),
                        ..agreement(0)
                    };
                    store.write_agreement(&ctx, s, &review).await.map_err(e)?;
                }
                continue;
            }
            let decision = matches!(action, A::Accept | A::Reject).then(|| Decision {
                law: Some(OfferLaw::Serviceloven107),
                alternatives: Vec::new(),
            });
            let step = ReferralStep {
                base_version: 1 + k as i64,
                action: *action,
                to: *to,
                note: (*note).to_owned(),
                decision,
            };
            store.step_referral(&ctx, id, &step).await.map_err(e)?;
            if *to == S::Accepted {
                // A bed of its own; a stay not yet begun starts in three days.
                let bed = beds[n % beds.len()];
                let day = bro_domain::local_time::to_local(when).date();
                let start = if steps.len() == k + 1 {
                    today + Duration::days(3)
                } else {
                    day
                };
                let end = default_end(start);
                let booked = store
                    .book_stay(&ctx, id, bed, start, end)
                    .await
                    .map_err(e)?;
                store
                    .write_agreement(&ctx, booked, &agreement(0))
                    .await
                    .map_err(e)?;
                stay = Some(booked);
            }
        }
        when += 7 * DAY_MS;
    }
    // The outreach staff are at Værestedet Møllen on Tuesdays; there they met `borger`.
    let drop_in = offer_id(store, "Værestedet Møllen").await?;
    let time = AttendanceTime {
        offer_id: drop_in,
        offer: String::new(),
        unit: String::new(),
        weekday: 1,
        from_min: 10 * 60,
        to_min: 12 * 60,
    };
    store.add_attendance(&admin, unit, &time).await.map_err(e)?;
    if let Some(course) = courses.first() {
        let contact = NewOutreachContact {
            place: "drop_in".to_owned(),
            offer_id: Some(drop_in),
            what: "Træt og urolig; sover dårligt og har brugt mere hash".to_owned(),
            next_step: "Ser ham igen på tirsdag; taler med tovholderen".to_owned(),
            worsening: true,
        };
        store
            .add_contact(
                &ctx_of(leader, now - 2 * DAY_MS, "care-team"),
                *course,
                &contact,
            )
            .await
            .map_err(e)?;
    }
    if let Some(course) = courses.first() {
        let new = NewReferral {
            course_id: *course,
            offer_id: rusmiddel,
            referrer_kind: ReferrerKind::OwnMunicipality,
            urgency: Urgency::Routine,
            text: text("Ønsker hjælp til at skære ned på hash"),
            citizen_agreed: false,
        };
        store
            .create_referral(&ctx_of(koordinator, now - DAY_MS, "care-team"), &new)
            .await
            .map_err(e)?;
    }
    Ok(())
}
