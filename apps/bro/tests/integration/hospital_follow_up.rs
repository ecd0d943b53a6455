//! Alerts and the follow-up after a discharge (issue 18, item 4), through a real SMTP server:
//! the coordinator, who has an address, is told of the admission and the discharge in Bro and
//! by an e-mail that holds only a link; the region's professional, without consent to health
//! data, of nothing. The discharge puts a follow-up on the course, due 7 days after it, which
//! only the coordinator can mark booked; booked, it is on the timeline.

use crate::hospital::{ADMIT, DISCHARGE, SOR, example, kinds, renamed};
use crate::hospital_api::{deliver, make_client};
use crate::http_plan::{consent_to_region, course, logged_in};
use bro_domain::hospital::FOLLOW_UP_MS;
use bro_domain::notice::NoticeKind;
use bro_domain::{Clock, ShareCategory};
use bro_store::AuditCtx;
use bro_testkit::{Backend, TestApp, fixture, location};
use serde_json::Value;
use std::time::Duration;

async fn a_discharge_is_mailed_and_asks_for_the_follow_up(backend: Backend) {
    let Some(python) = bro_testkit::test_python("a_discharge_is_mailed_and_asks_for_the_follow_up")
    else {
        return;
    };
    let sink = bro_testkit::SmtpSink::start(&python, 0);
    let config = bro_testkit::mailing_to(sink.port);
    let Some(app) = TestApp::spawn_with(backend, "hospital_follow_up", config).await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course_page = course(&app, &f).await;
    let cpr = "7105852345"; // the fixture's citizen
    let setup = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    app.store()
        .set_org_sor(&setup, f.holstebro, Some(SOR))
        .await
        .expect("SOR id");
    let admin = logged_in(&app, "admin-h").await;
    let token = make_client(&admin, "Beskedformidler").await;
    let koord = logged_in(&app, "koord").await;
    let prof_r = logged_in(&app, "prof-r").await;
    for (who, b) in [("koord", &koord), ("prof-r", &prof_r)] {
        let csrf = b.csrf().await;
        let email = format!("{who}@example.dk");
        let r = b
            .post(
                "/account/email",
                &[("csrf_token", &csrf), ("email", &email)],
            )
            .await;
        assert_eq!(location(&r), "/account", "{who}");
    }

    for name in [ADMIT, DISCHARGE] {
        let (status, _, body) = deliver(
            &app,
            Some(&token),
            example(name, cpr).to_string().into_bytes(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        // Admitted: "Indlagt nu" on the coordinator's list of courses, not on the region's
        // professional's, whose organisation has no consent to health data.
        if name == ADMIT {
            let inside = "<span class=\"badge badge-warning\">Indlagt nu</span>";
            assert!(koord.get_text("/courses").await.1.contains(inside));
            let (status, list) = prof_r.get_text("/courses").await;
            assert!(status == 200 && list.contains("/courses/") && !list.contains(inside));
        }
    }
    assert_eq!(
        kinds(&app, f.koord).await,
        [NoticeKind::HospitalAdmitted, NoticeKind::HospitalDischarged]
    );
    assert!(kinds(&app, f.prof_r).await.is_empty());
    sink.wait_for(2, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails = sink.decoded();
    assert_eq!(mails.len(), 2, "one e-mail per alert, to koord only");
    for mail in &mails {
        assert!(
            mail.contains("koord@example.dk") && !mail.contains("prof-r@"),
            "{mail}"
        );
        assert!(
            mail.contains("Der er nyt fra sygehuset om en borger"),
            "{mail}"
        );
        assert!(mail.contains("https://bro.example.dk/notices"), "{mail}");
        for personal in [cpr, "Hjerteafdelingen", "Borger"] {
            assert!(!mail.contains(personal), "no personal data: {personal}");
        }
    }

    // The follow-up: due 7 days after the discharge, shown to the coordinator with the button.
    let ctx = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    let episodes = app
        .store()
        .hospital_episodes(&ctx, f.citizen)
        .await
        .expect("episodes");
    let e = &episodes[0];
    let follow_up = e.follow_up.expect("a follow-up after the discharge");
    assert_eq!(
        follow_up.due_ms,
        e.end_ms.expect("discharged") + FOLLOW_UP_MS
    );
    assert_eq!(follow_up.booked_ms, None);
    let d = bro_domain::local_time::to_local(follow_up.due_ms);
    let due = format!(
        "book den senest {:02}.{:02}.{:04}",
        d.day(),
        d.month() as u8,
        d.year()
    );
    let (_, html) = koord.get_text(&course_page).await;
    assert!(html.contains(&due), "{due}");
    let book = format!("{course_page}/hospital/{}/follow-up", e.id);
    assert!(html.contains(&format!("action=\"{book}\"")));
    // The region's professional, with consent to health data, sees it but cannot book it.
    consent_to_region(&app, &f, vec![ShareCategory::Health]).await;
    let (_, html) = prof_r.get_text(&course_page).await;
    assert!(html.contains(&due) && !html.contains(&format!("action=\"{book}\"")));
    let csrf = prof_r.csrf().await;
    assert_eq!(
        prof_r.post(&book, &[("csrf_token", &csrf)]).await.status(),
        404
    );
    let csrf = koord.csrf().await;
    let r = koord.post(&book, &[("csrf_token", &csrf)]).await;
    assert_eq!(location(&r), format!("{course_page}#hospital"));
    let (_, html) = koord.get_text(&course_page).await;
    assert!(!html.contains(&due));
    assert!(html.contains(
        "Opfølgning efter udskrivningen fra Hjerteafdelingen på Herlev og Gentofte hospital booket"
    ));
    // Booking again changes nothing.
    assert_eq!(
        location(&koord.post(&book, &[("csrf_token", &csrf)]).await),
        format!("{course_page}#hospital")
    );
    let episodes = app
        .store()
        .hospital_episodes(&ctx, f.citizen)
        .await
        .expect("episodes");
    assert!(episodes[0].follow_up.and_then(|u| u.booked_ms).is_some());

    // Another stay, discharged and then the discharge cancelled: its follow-up goes with it.
    let second = |name: &str, id: &str| {
        let mut v = renamed(example(name, cpr), id);
        for e in v["entry"].as_array_mut().expect("entries") {
            if e["resource"]["resourceType"] == "Encounter" {
                e["resource"]["episodeOfCare"][0]["identifier"]["value"] = Value::from("second");
            }
        }
        v
    };
    for (name, id) in [(ADMIT, "second-admit"), (DISCHARGE, "second-discharge")] {
        let (status, _, body) = deliver(
            &app,
            Some(&token),
            second(name, id).to_string().into_bytes(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let open_follow_ups = |episodes: &[bro_store::HospitalEpisode]| {
        episodes
            .iter()
            .filter(|e| e.follow_up.is_some_and(|u| u.booked_ms.is_none()))
            .count()
    };
    let episodes = app
        .store()
        .hospital_episodes(&ctx, f.citizen)
        .await
        .expect("episodes");
    assert_eq!(open_follow_ups(&episodes), 1);
    let mut cancel = second(DISCHARGE, "second-cancel");
    for e in cancel["entry"].as_array_mut().expect("entries") {
        let r = &mut e["resource"];
        if r["resourceType"] == "Encounter" {
            r["status"] = Value::from("in-progress");
            if let Some(period) = r["period"].as_object_mut() {
                period.remove("end");
            }
        }
        if r["resourceType"] == "Provenance"
            && r["target"][0]["reference"] == "MessageHeader/second-cancel"
        {
            r["activity"]["coding"][0]["code"] = Value::from("cancel-discharge-inpatient-home");
            // Recorded after the discharge it cancels.
            r["recorded"] = Value::from("2022-12-19T08:00:00+01:00");
            r["occurredDateTime"] = Value::from("2022-12-19T08:00:00+01:00");
        }
    }
    let (status, _, body) = deliver(&app, Some(&token), cancel.to_string().into_bytes()).await;
    assert_eq!(status, 200, "{body}");
    let episodes = app
        .store()
        .hospital_episodes(&ctx, f.citizen)
        .await
        .expect("episodes");
    assert_eq!(open_follow_ups(&episodes), 0, "{episodes:?}");
    app.stop().await;
}

on_both_backends!(a_discharge_is_mailed_and_asks_for_the_follow_up);
