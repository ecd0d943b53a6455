//! A feed kept in one transaction is the same as one message at a time (issue 18, the
//! import at scale): the batch reads and writes once what each message would (known ids,
//! citizens, courses, alerts, timelines, follow-ups, audit), so every receipt, episode, alert
//! and audit record must come out as they do when each message is kept alone, out-of-order
//! arrivals, a revision, a cancellation, a readmission, a duplicate inside the batch, an
//! unknown CPR number and a broken message included.

use crate::hospital_api::the_stranger_arrives;
use crate::http_plan::{consent_to_region, course};
use bro_domain::ShareCategory;
use bro_domain::hospital::{Activity, Event, Notification};
use bro_domain::{Cpr, UserId};
use bro_medcom::{Organization, Outgoing};
use bro_store::{AuditCtx, DynStore};
use bro_testkit::{Backend, TestApp, fixture};
use bro_web::hospital_intake::{Intake, receive, receive_all, rematch};

const SOR: &str = "953741000016009";
const H: i64 = 3_600_000;
const DAY: i64 = 24 * H;
/// Two months after the fixture's day: every run of the feed has the same moments.
const NOW: i64 = 1_795_600_800_000 + 60 * DAY;

type Leave = Option<(i64, Option<i64>)>;
/// A message: its id, CPR number, episode, activity, recorded, start, end and leave.
type Step = (
    &'static str,
    &'static str,
    &'static str,
    Activity,
    i64,
    i64,
    Option<i64>,
    Leave,
);

/// The message of `step`, from the ward to the municipality.
fn message((id, cpr, episode, activity, recorded, start, end, leave): Step) -> Vec<u8> {
    let ward = Organization {
        sor: Some("6171000016000".into()),
        gln: None,
        name: Some("Afsnit P1, Regionspsykiatrien Gødstrup".into()),
    };
    let municipality = Organization {
        sor: Some(SOR.into()),
        gln: None,
        name: Some("Holstebro Kommune".into()),
    };
    let n = Notification {
        message_id: id.into(),
        recorded,
        activity,
        start,
        end: if activity.event() == Event::Discharge {
            end
        } else {
            None
        },
        leave,
        unit: ward.name.clone().unwrap_or_default(),
    };
    Outgoing {
        message_id: id,
        sender: &ward,
        receiver: &municipality,
        cpr: &Cpr::parse(cpr).expect("CPR"),
        episode: ("https://sor2.sum.dsdn.dk/#id=6171000016000", episode),
        notification: &n,
    }
    .to_json()
    .into_bytes()
}

/// The feed: (moment received, message bytes), in arrival order.
fn feed(now: i64) -> Vec<(i64, Vec<u8>)> {
    let t0 = now - 40 * DAY;
    let steps: Vec<Step> = vec![
        // The first stay: its discharge comes before its admission; the discharge is revised.
        (
            "d1",
            "7105852345",
            "s1",
            Activity::DischargeInpatient,
            t0 + 5 * DAY,
            t0,
            Some(t0 + 5 * DAY),
            None,
        ),
        (
            "a1",
            "7105852345",
            "s1",
            Activity::AdmitInpatient,
            t0,
            t0,
            None,
            None,
        ),
        (
            "l1",
            "7105852345",
            "s1",
            Activity::StartLeave,
            t0 + DAY,
            t0,
            None,
            Some((t0 + DAY, None)),
        ),
        (
            "b1",
            "7105852345",
            "s1",
            Activity::EndLeave,
            t0 + DAY + 6 * H,
            t0,
            None,
            Some((t0 + DAY, Some(t0 + DAY + 6 * H))),
        ),
        (
            "r1",
            "7105852345",
            "s1",
            Activity::ReviseDischargeInpatient,
            t0 + 5 * DAY + H,
            t0,
            Some(t0 + 4 * DAY),
            None,
        ),
        // A readmission 10 days later, its discharge sent and then cancelled.
        (
            "a2",
            "7105852345",
            "s2",
            Activity::AdmitInpatient,
            t0 + 14 * DAY,
            t0 + 14 * DAY,
            None,
            None,
        ),
        (
            "d2",
            "7105852345",
            "s2",
            Activity::DischargeInpatient,
            t0 + 20 * DAY,
            t0 + 14 * DAY,
            Some(t0 + 20 * DAY),
            None,
        ),
        (
            "c2",
            "7105852345",
            "s2",
            Activity::CancelDischargeInpatient,
            t0 + 20 * DAY + H,
            t0 + 14 * DAY,
            Some(t0 + 20 * DAY),
            None,
        ),
        // The same admission again, and a patient no citizen is.
        (
            "a1",
            "7105852345",
            "s1",
            Activity::AdmitInpatient,
            t0,
            t0,
            None,
            None,
        ),
        (
            "x1",
            "2509479989",
            "s3",
            Activity::AdmitInpatient,
            t0 + 2 * DAY,
            t0 + 2 * DAY,
            None,
            None,
        ),
    ];
    let mut out: Vec<(i64, Vec<u8>)> = steps
        .into_iter()
        .enumerate()
        .map(|(k, step)| (now - DAY + k as i64 * 60_000, message(step)))
        .collect();
    out.insert(3, (now - DAY + 90_000, b"{ not a bundle".to_vec()));
    out
}

/// Everything a feed leaves that the team and the citizen see, with the receipts.
async fn outcome(store: &DynStore, receipts: Vec<String>, users: &[UserId]) -> Vec<String> {
    let f = fixture_ids(store).await;
    let ctx = AuditCtx::system(0, NOW, "test");
    let mut seen = receipts;
    seen.push(format!(
        "{:?}",
        store.hospital_episodes(&ctx, f).await.expect("episodes")
    ));
    for user in users {
        seen.push(format!(
            "{:?}",
            store.notices(&ctx, *user, 100).await.expect("notices")
        ));
    }
    let unresolved = store
        .unresolved_hospital_messages(bro_domain::OrgId(1), 10)
        .await
        .expect("unresolved");
    seen.push(format!("{}", unresolved.len()));
    for tenant in store.audit_tenants().await.expect("tenants") {
        let records = store
            .audit_records(tenant, 0, 100_000)
            .await
            .expect("records");
        seen.push(format!("{tenant}: {records:?}"));
    }
    seen
}

/// Gives Holstebro the SOR id the feed is addressed to; the set-up's audit context.
async fn with_sor(store: &DynStore, f: &bro_testkit::Fixture) -> AuditCtx {
    let setup = AuditCtx::system(f.holstebro.0, 0, "test");
    store
        .set_org_sor(&setup, f.holstebro, Some(SOR))
        .await
        .expect("SOR id");
    setup
}

async fn fixture_ids(store: &DynStore) -> bro_domain::CitizenId {
    store
        .citizens_by_cpr(&[Cpr::parse("7105852345").expect("CPR")])
        .await
        .expect("citizen")
        .pop()
        .expect("the fixture's citizen")
        .1
}

async fn a_batch_keeps_what_single_messages_keep(backend: Backend) {
    let mut results = Vec::new();
    for together in [true, false] {
        let Some(app) = TestApp::spawn(backend, &format!("hospital_batch_{together}")).await else {
            return; // PostgreSQL unreachable: scripts/test reports it skipped
        };
        let f = fixture(app.store(), false).await;
        course(&app, &f).await; // the coordinator's, with the region's professional on the team
        consent_to_region(&app, &f, vec![ShareCategory::Health]).await;
        let store = app.store().clone();
        with_sor(&store, &f).await;
        let messages = feed(NOW);
        let intakes: Vec<_> = messages
            .iter()
            .map(|(at, bytes)| (*at, Intake::file(bytes)))
            .collect();
        let received = if together {
            receive_all(&store, &intakes).await
        } else {
            let mut each = Vec::new();
            for (at, intake) in intakes {
                each.push(receive(&store, at, intake).await);
            }
            each
        };
        let receipts = received
            .into_iter()
            .map(|r| format!("{:?}", r.expect("received").receipt))
            .collect();
        results.push(outcome(&store, receipts, &[f.koord, f.prof_r]).await);
        app.stop().await;
    }
    let (batch, single) = (&results[0], &results[1]);
    assert_eq!(batch.len(), single.len());
    for (b, s) in batch.iter().zip(single) {
        assert_eq!(b, s);
    }
    // And it is a feed worth comparing: every kind of receipt, a readmission told.
    let receipts = batch[..11].join(" ");
    for word in ["Accepted", "Duplicate", "Unmatched", "Rejected"] {
        assert!(receipts.contains(word), "{word}: {receipts}");
    }
    assert!(batch.iter().any(|s| s.contains("HospitalReadmitted")));
    assert!(batch.iter().any(|s| s.contains("follow_up: Some")));
}

/// The alerts `user` has, as they print.
async fn told(store: &DynStore, user: UserId) -> String {
    let ctx = AuditCtx::system(0, NOW, "test");
    format!(
        "{:?}",
        store.notices(&ctx, user, 100).await.expect("notices")
    )
}

/// Stays that waited for their citizen are told when matched, as if the citizen had been in
/// Bro: the team alerted of where each stay is now (a readmission said as one) and the
/// follow-up after a discharge planned; matching again changes nothing.
async fn a_stay_matched_later_is_told_as_it_would_have_been(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "hospital_rematch").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let store = app.store().clone();
    let setup = with_sor(&store, &f).await;
    let t0 = NOW - 20 * DAY;
    let cpr = "2509479989";
    let steps: Vec<Step> = vec![
        ("w1", cpr, "w", Activity::AdmitInpatient, t0, t0, None, None),
        (
            "w2",
            cpr,
            "w",
            Activity::DischargeInpatient,
            t0 + 3 * DAY,
            t0,
            Some(t0 + 3 * DAY),
            None,
        ),
        (
            "v1",
            cpr,
            "v",
            Activity::AdmitInpatient,
            t0 + 10 * DAY,
            t0 + 10 * DAY,
            None,
            None,
        ),
    ];
    let messages: Vec<Vec<u8>> = steps.into_iter().map(message).collect();
    let intakes: Vec<_> = messages
        .iter()
        .map(|m| (NOW - DAY, Intake::file(m)))
        .collect();
    for received in receive_all(&store, &intakes).await {
        let receipt = format!("{:?}", received.expect("received").receipt);
        assert!(receipt.starts_with("Unmatched"), "{receipt}");
    }
    let elmer = the_stranger_arrives(&store, &setup).await;
    let theirs = bro_testkit::Fixture {
        citizen: elmer,
        ..f
    };
    course(&app, &theirs).await;
    consent_to_region(&app, &theirs, vec![ShareCategory::Health]).await;
    let admin = AuditCtx {
        actor_user_id: Some(f.admin_h),
        ..AuditCtx::system(f.holstebro.0, NOW, "hospital-admin")
    };
    let ctx = AuditCtx::system(0, NOW, "test");
    assert_eq!(
        rematch(&store, &admin, f.holstebro).await.expect("rematch"),
        2
    );
    for user in [f.koord, f.prof_r] {
        let notices = told(&store, user).await;
        assert!(notices.contains("HospitalDischarged"), "{notices}");
        assert!(notices.contains("HospitalReadmitted"), "{notices}");
    }
    let stays = format!(
        "{:?}",
        store.hospital_episodes(&ctx, elmer).await.expect("stays")
    );
    assert_eq!(stays.matches("follow_up: Some").count(), 1, "{stays}");
    let before = told(&store, f.koord).await;
    assert_eq!(
        rematch(&store, &admin, f.holstebro).await.expect("again"),
        0
    );
    assert_eq!(told(&store, f.koord).await, before);
    app.stop().await;
}

on_both_backends!(
    a_batch_keeps_what_single_messages_keep,
    a_stay_matched_later_is_told_as_it_would_have_been
);
