//! The citizen's own secret, revocable calendar feed of appointments (issue 19, item 1): made
//! on `/me/appointments` and shown once, read without a session by a calendar program, parsed
//! by Python's `icalendar` with the right local times across the spring switch, with neither
//! the video link nor anything personal in it; revoked, it is gone; staff cannot make one,
//! and a meetings feed's address does not open it.

use crate::appointments::{book, booked, post, slot};
use crate::http_plan::{course, logged_in};
use bro_testkit::{Backend, TestApp, fixture, location};

const VIDEO: &str = "https://video.rm.dk/meet/vest-42";

/// The feed's address on the page that made it, as its path.
fn feed_path(html: &str) -> String {
    let at = html
        .find("<code id=\"feed-url\">")
        .expect("the new address")
        + 20;
    let url = html[at..].split('<').next().unwrap_or("");
    let path = &url[url.find("/calendar/").expect("a calendar path")..];
    path.to_owned()
}

async fn the_citizen_subscribes_to_their_appointments_and_revokes_the_feed(backend: Backend) {
    let Some(python) = bro_testkit::test_python(
        "the_citizen_subscribes_to_their_appointments_and_revokes_the_feed",
    ) else {
        return;
    };
    let Some(app) = TestApp::spawn(backend, "appointment_feed").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let prof_r = logged_in(&app, "prof-r").await;
    let unit = f.region_unit.0.to_string();
    // One in winter time with video, one after the spring switch of 28 March 2027.
    for (day, video) in [("2026-12-08", VIDEO), ("2027-04-06", "")] {
        let mut fields = vec![("kind", "substance_treatment"), ("unit", unit.as_str())];
        fields.extend_from_slice(&slot(day, "10:00", "11:00"));
        fields.extend_from_slice(&[("video", video), ("place", "Ambulatoriet, Gødstrup")]);
        fields.push(("meets", "Overlæge Hansen"));
        booked(&book(&prof_r, &course, &fields).await);
    }

    // Staff have no such feed.
    assert_eq!(
        post(&prof_r, "/me/appointments/calendar", &[])
            .await
            .status(),
        404
    );

    let citizen = logged_in(&app, "citizen").await;
    let r = post(&citizen, "/me/appointments/calendar", &[]).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("body");
    let path = feed_path(&html);
    assert!(path.starts_with("/calendar/appointments/") && path.ends_with(".ics"));
    let (_, again) = citizen.get_text("/me/appointments").await;
    assert!(!again.contains(&path), "the address is shown once");
    assert!(again.contains("Kalenderlink lavet"));

    // Read without a session, as a calendar program does.
    let anonymous = app.browser();
    let (status, ics) = anonymous.get_text(&path).await;
    assert_eq!(status, 200, "{ics}");
    for personal in [
        VIDEO,
        "video.rm.dk",
        "Mads",
        "Nørgaard",
        "Hansen",
        "Rusmiddel",
        "Overlæge",
    ] {
        assert!(!ics.contains(personal), "{personal} in the feed");
    }
    let parsed = bro_testkit::ical_parse(&python, &ics);
    let events = parsed["events"].as_array().expect("events");
    let seen: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["start_local"].as_str().unwrap_or(""),
                e["start_utc"].as_str().unwrap_or(""),
                e["summary"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("2026-12-08T10:00", "2026-12-08T09:00Z", "Videomøde, se Bro"),
            ("2027-04-06T10:00", "2027-04-06T08:00Z", "Aftale, se Bro"),
        ]
    );
    assert!(events.iter().all(|e| e["tzid"] == "Europe/Copenhagen"));
    // The meetings' feed address does not open it, and a made-up token opens nothing.
    let token = path.trim_start_matches("/calendar/appointments/");
    assert_eq!(
        anonymous.get(&format!("/calendar/{token}")).await.status(),
        404
    );
    let (status, _) = anonymous
        .get_text("/calendar/appointments/nothing.ics")
        .await;
    assert_eq!(status, 404);

    // Revoked: gone.
    let at = again
        .find("/me/appointments/calendar/")
        .expect("a revoke form")
        + 26;
    let id = again[at..].split('/').next().unwrap_or("").to_owned();
    let r = post(
        &citizen,
        &format!("/me/appointments/calendar/{id}/revoke"),
        &[],
    )
    .await;
    assert_eq!(location(&r), "/me/appointments");
    assert_eq!(anonymous.get(&path).await.status(), 404);
    app.stop().await;
}

on_both_backends!(the_citizen_subscribes_to_their_appointments_and_revokes_the_feed);
