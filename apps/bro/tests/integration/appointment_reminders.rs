//! Reminders the day before (issue 19, item 6), through a real SMTP server: the citizen who
//! asked gets one e-mail, "Du har en aftale i morgen kl. 10.00 – se Bro", and nothing more;
//! a reminder job that was down catches up when it runs again, without a second e-mail; a
//! cancelled appointment, or one without a reminder asked for, sends none; a moved one is
//! reminded of at its new time.

use crate::appointments::{book, booked, post, slot};
use crate::http_plan::{course, logged_in};
use bro_testkit::{Backend, TestApp, fixture, location};
use std::time::Duration;

const H: i64 = 3_600_000;

async fn reminders_are_sent_once_and_caught_up_after_an_outage(backend: Backend) {
    let name = "reminders_are_sent_once_and_caught_up_after_an_outage";
    let Some(python) = bro_testkit::test_python(name) else {
        return;
    };
    let sink = bro_testkit::SmtpSink::start(&python, 0);
    let config = bro_testkit::mailing_to(sink.port);
    let Some(app) = TestApp::spawn_with(backend, "appointment_reminders", config).await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let citizen = logged_in(&app, "citizen").await;
    let csrf = citizen.csrf().await;
    let r = citizen
        .post(
            "/account/email",
            &[("csrf_token", &csrf), ("email", "mads@example.dk")],
        )
        .await;
    assert_eq!(location(&r), "/account");
    let prof_r = logged_in(&app, "prof-r").await;
    let unit = f.region_unit.0.to_string();
    // Now is Wednesday 25 November, 11:00. Four appointments on Friday 27th at 10:00.
    let mut paths = Vec::new();
    for (remind, start) in [
        ("on", "10:00"),
        ("on", "10:00"),
        ("", "10:00"),
        ("on", "12:00"),
    ] {
        let mut fields = vec![
            ("kind", "outpatient"),
            ("unit", unit.as_str()),
            ("remind", remind),
        ];
        fields.extend_from_slice(&slot("2026-11-27", start, "13:00"));
        fields.push(("place", "Ambulatoriet, Gødstrup"));
        if remind.is_empty() {
            fields.retain(|(k, _)| *k != "remind");
        }
        paths.push(booked(&book(&prof_r, &course, &fields).await));
    }
    // The second is cancelled; the fourth moved to Saturday 28th (reminded then, not now).
    let cancel = [("base_version", "1"), ("cancel_reason", "Lægen er syg")];
    assert_eq!(
        location(&post(&prof_r, &format!("{}/cancel", paths[1]), &cancel).await),
        paths[1]
    );
    let mut moved = vec![("base_version", "1"), ("place", "Ambulatoriet, Gødstrup")];
    moved.extend_from_slice(&slot("2026-11-28", "10:00", "11:00"));
    assert_eq!(
        location(&post(&prof_r, &format!("{}/move", paths[3]), &moved).await),
        paths[3]
    );

    // The worker was down for a day: at Thursday 26th 18:00, a day is within reach.
    app.clock.advance_ms(30 * H);
    let mails = sink.wait_for(1, Duration::from_secs(20)).await;
    // Several more rounds of the worker: still one.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let mails_after = sink.decoded();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails_after.len(), 1, "{mails_after:?}");
    let mail = &mails_after[0];
    assert!(mail.contains("mads@example.dk"));
    assert!(
        mail.contains("Du har en aftale i morgen kl. 10.00"),
        "{mail}"
    );
    assert!(mail.contains("https://bro.example.dk/me/appointments"));
    for personal in ["Mads Nørgaard", "Ambulatori", "Gødstrup", "Region"] {
        assert!(!mail.contains(personal), "no personal data: {personal}");
    }
    // The citizen's notices say it too.
    let citizen = logged_in(&app, "citizen").await;
    let (_, notices) = citizen.get_text("/notices").await;
    assert!(notices.contains("Påmindelse: du har en aftale fredag 27. november kl. 10.00"));

    // A day later the moved one is reminded of, once.
    app.clock.advance_ms(24 * H);
    let mails = sink.wait_for(2, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sink.decoded().len(), 2, "{mails:?}");
    assert!(sink.decoded()[1].contains("i morgen kl. 10.00"));
    app.stop().await;
}

on_both_backends!(reminders_are_sent_once_and_caught_up_after_an_outage);
