//! Appointments across sectors (issue 19), over HTTP against a real server: booking with every
//! bad input refused by its field, moving and cancelling with the history kept, what the
//! sharing rule lets each organisation see, attendance recorded once and only afterwards by
//! the booking unit, the no-show alert and the "2 no-shows in 60 days" flag until the
//! coordinator's follow-up, the unit's list of what is not recorded, and the citizen's own
//! calendar and .ics files (read by Python's `icalendar`).

use crate::hospital::kinds;
use crate::http_plan::{consent_to_region, course, logged_in};
use crate::referrals::staff;
use bro_domain::ShareCategory;
use bro_domain::notice::NoticeKind;
use bro_testkit::{Backend, Browser, TestApp, fixture, location};

const VIDEO: &str = "https://video.rm.dk/meet/vest-42";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Books through the form as `b`; the response.
pub(crate) async fn book(b: &Browser, course: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = b.csrf().await;
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    b.post(&format!("{course}/appointments/new"), &all).await
}

/// The appointment a booking redirected to: its path.
pub(crate) fn booked(r: &reqwest::Response) -> String {
    let to = location(r);
    assert!(to.contains("/appointments/"), "booked: {to}");
    to
}

pub(crate) fn slot<'a>(day: &'a str, start: &'a str, end: &'a str) -> [(&'a str, &'a str); 3] {
    [("day", day), ("start", start), ("end", end)]
}

pub(crate) async fn post(b: &Browser, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = b.csrf().await;
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    b.post(path, &all).await
}

async fn booking_moving_and_cancelling_keep_history(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "appointments_book").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let prof_r = logged_in(&app, "prof-r").await;
    let koord = logged_in(&app, "koord").await;
    let region_unit = f.region_unit.0.to_string();
    let base = [("kind", "outpatient"), ("unit", region_unit.as_str())];

    // Each bad input is refused by its field, with what was typed kept.
    let refused = [
        (
            slot("2027-03-28", "02:30", "03:30"),
            "",
            "uret springer fra 02.00 til 03.00",
        ),
        (
            slot("2027-01-12", "11:00", "10:00"),
            "",
            "Sluttidspunktet skal ligge efter",
        ),
        (
            slot("2027-01-12", "10:00", "11:00"),
            "http://video.rm.dk/x",
            "skal begynde med https://",
        ),
        (
            slot("12-01-2027", "10:00", "11:00"),
            VIDEO,
            "Skriv en dato som ÅÅÅÅ-MM-DD",
        ),
    ];
    for (times, video, message) in refused {
        let mut fields = base.to_vec();
        fields.extend_from_slice(&times);
        fields.extend_from_slice(&[("video", video), ("place", "Ambulatorium Vest, Gødstrup")]);
        let r = book(&prof_r, &course, &fields).await;
        assert_eq!(r.status(), 422, "{message}");
        let html = r.text().await.expect("body");
        assert!(html.contains(message), "{message}");
        assert!(
            html.contains("value=\"Ambulatorium Vest, Gødstrup\""),
            "typed kept"
        );
    }
    // A unit the booker does not work in.
    let holstebro_unit = f.holstebro_unit.0.to_string();
    let mut fields = vec![("kind", "outpatient"), ("unit", holstebro_unit.as_str())];
    fields.extend_from_slice(&slot("2027-01-12", "10:00", "11:00"));
    fields.push(("place", "Ambulatorium Vest"));
    let r = book(&prof_r, &course, &fields).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("en enhed, du selv arbejder i")
    );

    // Booked: a video consultation on Tuesday 8 December.
    let mut fields = base.to_vec();
    fields.extend_from_slice(&slot("2026-12-08", "10:00", "11:00"));
    fields.extend_from_slice(&[
        ("video", VIDEO),
        ("place", ""),
        ("meets", "Overlæge Hansen"),
    ]);
    fields.push(("remind", "on"));
    let video = booked(&book(&prof_r, &course, &fields).await);
    let (_, html) = prof_r.get_text(&video).await;
    assert!(
        html.contains("Tirsdag 8. december kl. 10.00–11.00"),
        "{html}"
    );
    assert!(html.contains("Overlæge Hansen"));

    // The coordinator's organisation holds the course: it sees the region's appointment too.
    let (_, list) = koord.get_text(&format!("{course}/appointments")).await;
    assert!(list.contains("Tirsdag 8. december kl. 10.00–11.00"));
    // The municipality books a case-authority meeting (social information): the region sees
    // that it exists, not what it is, until the citizen consents to sharing it.
    let unit = f.holstebro_unit.0.to_string();
    let mut fields = vec![("kind", "case_authority"), ("unit", unit.as_str())];
    fields.extend_from_slice(&slot("2026-12-10", "13:00", "14:00"));
    fields.extend_from_slice(&[
        ("place", "Rådhuset, Holstebro"),
        ("meets", "Sagsbehandler Lund"),
    ]);
    let meeting = booked(&book(&koord, &course, &fields).await);
    let (_, list) = prof_r.get_text(&format!("{course}/appointments")).await;
    assert!(list.contains("1 aftale(r) hos andre organisationer deles ikke"));
    assert!(!list.contains("Rådhuset") && !list.contains("Sagsbehandler Lund"));
    assert_eq!(prof_r.get(&meeting).await.status(), 404);
    consent_to_region(&app, &f, vec![ShareCategory::Social]).await;
    let (_, list) = prof_r.get_text(&format!("{course}/appointments")).await;
    assert!(list.contains("Rådhuset, Holstebro") && !list.contains("deles ikke"));

    // Moved: a new version, the first kept in the history.
    let (_, html) = prof_r.get_text(&video).await;
    assert!(html.contains("name=\"base_version\" value=\"1\""));
    let mut moved = vec![("base_version", "1"), ("reason", "Lægen er syg")];
    moved.extend_from_slice(&slot("2026-12-09", "10:00", "10:45"));
    moved.extend_from_slice(&[
        ("video", VIDEO),
        ("place", ""),
        ("meets", "Overlæge Hansen"),
    ]);
    let r = post(&prof_r, &format!("{video}/move"), &moved).await;
    assert_eq!(location(&r), video);
    let (_, html) = prof_r.get_text(&video).await;
    assert!(html.contains("Onsdag 9. december kl. 10.00–10.45"));
    assert!(html.contains("Udgave 1: Tirsdag 8. december kl. 10.00–11.00"));
    // From a stale version, refused; by someone outside the booking unit, not found.
    let r = post(&prof_r, &format!("{video}/move"), &moved).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("ændret af en anden imens")
    );
    moved[0] = ("base_version", "2");
    assert_eq!(
        post(&koord, &format!("{video}/move"), &moved)
            .await
            .status(),
        404
    );

    // Cancelled: a reason is required; cancelled, it no longer moves.
    let cancel = format!("{meeting}/cancel");
    let r = post(
        &koord,
        &cancel,
        &[("base_version", "1"), ("cancel_reason", "")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = post(
        &koord,
        &cancel,
        &[
            ("base_version", "1"),
            ("cancel_reason", "Borgeren er indlagt"),
        ],
    )
    .await;
    assert_eq!(location(&r), meeting);
    let (_, html) = koord.get_text(&meeting).await;
    assert!(html.contains("Aflyst: Borgeren er indlagt"));
    let mut again = vec![("base_version", "2")];
    again.extend_from_slice(&slot("2026-12-11", "13:00", "14:00"));
    again.push(("place", "Rådhuset"));
    let r = post(&koord, &format!("{meeting}/move"), &again).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("Aftalen er aflyst"));
    app.stop().await;
}

async fn no_shows_alert_the_team_and_flag_the_course_until_followed_up(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "appointments_no_show").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let prof_r = logged_in(&app, "prof-r").await;
    let unit = f.region_unit.0.to_string();
    // 2026-11-25 is "now": one appointment tomorrow, one the day after.
    let mut paths = Vec::new();
    for day in ["2026-11-26", "2026-11-27"] {
        let mut fields = vec![("kind", "outpatient"), ("unit", unit.as_str())];
        fields.extend_from_slice(&slot(day, "10:00", "11:00"));
        fields.push(("place", "Ambulatorium Vest"));
        paths.push(booked(&book(&prof_r, &course, &fields).await));
    }
    let no_show = [("outcome", "no_show"), ("note", "")];
    let r = post(&prof_r, &format!("{}/attendance", paths[0]), &no_show).await;
    assert_eq!(r.status(), 422, "not before the time");
    assert!(r.text().await.expect("body").contains("ikke begyndt endnu"));

    app.clock.advance_ms(DAY_MS + 2 * 60 * 60 * 1000); // 26 Nov, 12:00 UTC
    // A day later the sessions have run out: log in again.
    let (prof_r, koord) = (
        logged_in(&app, "prof-r").await,
        logged_in(&app, "koord").await,
    );
    // The unit lists what waits to be recorded.
    let (status, list) = prof_r.get_text("/appointments/to-record").await;
    assert_eq!(status, 200);
    assert!(list.contains("Mads Nørgaard") && !list.contains("Mangler registrering</span>"));
    assert_eq!(koord.get("/appointments/to-record").await.status(), 200);
    assert!(
        !koord
            .get_text("/appointments/to-record")
            .await
            .1
            .contains("Mads")
    );
    // Only the booking unit records.
    assert_eq!(
        post(&koord, &format!("{}/attendance", paths[0]), &no_show)
            .await
            .status(),
        404
    );
    let r = post(&prof_r, &format!("{}/attendance", paths[0]), &no_show).await;
    assert_eq!(location(&r), paths[0]);
    let r = post(
        &prof_r,
        &format!("{}/attendance", paths[0]),
        &[("outcome", "attended")],
    )
    .await;
    assert_eq!(r.status(), 422, "recorded once");
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("allerede registreret")
    );
    // The coordinator is told; one no-show does not flag the course.
    assert_eq!(kinds(&app, f.koord).await, [NoticeKind::AppointmentNoShow]);
    assert!(
        kinds(&app, f.prof_r).await.is_empty(),
        "not the one who recorded it"
    );
    let (_, notices) = koord.get_text("/notices").await;
    assert!(notices.contains("Mads Nørgaard udeblev fra en aftale hos Region Midtjylland"));
    assert!(notices.contains(&format!("href=\"{}\"", paths[0])));
    let appointments = format!("{course}/appointments");
    assert!(
        !koord
            .get_text(&appointments)
            .await
            .1
            .contains("udeblivelser på 60 dage")
    );

    // Not recorded within 2 working days: Friday 27th 11:00 + 2 = Tuesday 1 December.
    app.clock.advance_ms(6 * DAY_MS);
    let (prof_r, koord) = (
        logged_in(&app, "prof-r").await,
        logged_in(&app, "koord").await,
    );
    let (_, list) = prof_r.get_text("/appointments/to-record").await;
    assert!(list.contains("Mangler registrering</span>"), "{list}");
    // A clinic colleague not on the citizen's team records it from the list: the course
    // stays closed to them, the list's own form works, a refusal comes back to the list.
    let unit = f.region_unit;
    staff(
        &app,
        f.region,
        unit,
        "klinik",
        bro_domain::Role::Professional,
    )
    .await;
    let klinik = logged_in(&app, "klinik").await;
    assert_eq!(klinik.get(&paths[1]).await.status(), 404);
    let (_, list) = klinik.get_text("/appointments/to-record").await;
    let form = format!("action=\"{}/attendance\"", paths[1]);
    assert!(list.contains(&form) && list.contains("name=\"from\" value=\"list\""));
    let attendance = format!("{}/attendance", paths[1]);
    let r = post(&klinik, &attendance, &[("outcome", ""), ("from", "list")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("Vælg en værdi på listen") && html.contains("appointments-to-record"));
    let r = post(
        &klinik,
        &attendance,
        &[("outcome", "no_show"), ("from", "list")],
    )
    .await;
    assert_eq!(location(&r), "/appointments/to-record");
    let (_, list) = klinik.get_text("/appointments/to-record").await;
    assert!(!list.contains(&form), "recorded: off the list");
    let (_, html) = koord.get_text(&appointments).await;
    assert!(html.contains("2 udeblivelser på 60 dage"), "{html}");
    // On "Mine forløb" too, for the coordinator and for the unit that booked them.
    let badge = "badge-warning\">2 udeblivelser på 60 dage</span>";
    assert!(koord.get_text("/courses").await.1.contains(badge));
    assert!(prof_r.get_text("/courses").await.1.contains(badge));
    // The region's professional, who is not the coordinator, cannot record the follow-up.
    let follow_up = format!("{appointments}/follow-up");
    let fields = [
        ("action", "contacted"),
        ("follow_up_note", "Ringet op, ny tid aftalt"),
    ];
    assert_eq!(post(&prof_r, &follow_up, &fields).await.status(), 404);
    let r = post(
        &koord,
        &follow_up,
        &[("action", ""), ("follow_up_note", "")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = post(&koord, &follow_up, &fields).await;
    assert_eq!(location(&r), appointments);
    let (_, html) = koord.get_text(&appointments).await;
    assert!(!html.contains("udeblivelser på 60 dage"));
    assert!(!koord.get_text("/courses").await.1.contains(badge));
    assert!(html.contains("Borgeren er kontaktet – Ringet op, ny tid aftalt"));
    app.stop().await;
}

async fn the_citizen_sees_their_calendar_and_gets_ics_files_without_the_video_link(
    backend: Backend,
) {
    let Some(python) = bro_testkit::test_python(
        "the_citizen_sees_their_calendar_and_gets_ics_files_without_the_video_link",
    ) else {
        return;
    };
    let Some(app) = TestApp::spawn(backend, "appointments_citizen").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let prof_r = logged_in(&app, "prof-r").await;
    let unit = f.region_unit.0.to_string();
    let mut paths = Vec::new();
    // One in winter time, one after the spring switch of 28 March 2027.
    for (day, video) in [("2026-11-26", VIDEO), ("2027-04-06", "")] {
        let mut fields = vec![("kind", "outpatient"), ("unit", unit.as_str())];
        fields.extend_from_slice(&slot(day, "10:00", "11:00"));
        fields.extend_from_slice(&[("video", video), ("place", "Ambulatoriet, Gødstrup")]);
        fields.push(("meets", "Overlæge Hansen"));
        paths.push(booked(&book(&prof_r, &course, &fields).await));
    }
    let citizen = logged_in(&app, "citizen").await;
    let (status, html) = citizen.get_text("/me/appointments").await;
    assert_eq!(status, 200);
    assert!(html.contains(
        "Torsdag 26. november kl. 10.00–11.00</strong> hos Overlæge Hansen, Ambulatorium Vest, Region Midtjylland, Ambulatoriet, Gødstrup"
    ), "{html}");
    assert!(html.contains("Tirsdag 6. april kl. 10.00–11.00"));
    assert!(!html.contains(VIDEO), "the link only shortly before");
    // From 25 November 11:00 to 26 November 09:40 Danish time: the button is there.
    app.clock.advance_ms(DAY_MS - 80 * 60 * 1000);
    let (prof_r, citizen) = (
        logged_in(&app, "prof-r").await,
        logged_in(&app, "citizen").await,
    );
    let (_, html) = citizen.get_text("/me/appointments").await;
    assert!(html.contains(&format!("href=\"{VIDEO}\"")), "{html}");
    assert!(html.contains("Deltag i videomødet"));

    for (i, (start_local, start_utc, summary)) in [
        ("2026-11-26T10:00", "2026-11-26T09:00Z", "Videomøde, se Bro"),
        ("2027-04-06T10:00", "2027-04-06T08:00Z", "Aftale, se Bro"),
    ]
    .into_iter()
    .enumerate()
    {
        let id = paths[i].rsplit('/').next().expect("id");
        let (status, ics) = citizen
            .get_text(&format!("/me/appointments/{id}/calendar.ics"))
            .await;
        assert_eq!(status, 200);
        for personal in [
            VIDEO,
            "video.rm.dk",
            "Mads",
            "Nørgaard",
            "Hansen",
            "Ambulant",
        ] {
            assert!(!ics.contains(personal), "{personal} in the .ics");
        }
        let parsed = bro_testkit::ical_parse(&python, &ics);
        let event = &parsed["events"][0];
        assert_eq!(event["start_local"], start_local);
        assert_eq!(event["start_utc"], start_utc);
        assert_eq!(event["summary"], summary);
        assert_eq!(event["tzid"], "Europe/Copenhagen");
        // The team's download is the same entry.
        let (status, team_ics) = prof_r.get_text(&format!("{}/calendar.ics", paths[i])).await;
        assert_eq!(status, 200);
        assert!(!team_ics.contains(VIDEO));
    }
    // Only the citizen's own.
    assert_eq!(prof_r.get("/me/appointments").await.status(), 404);
    let id = paths[0].rsplit('/').next().expect("id");
    let (status, _) = prof_r
        .get_text(&format!("/me/appointments/{id}/calendar.ics"))
        .await;
    assert_eq!(status, 404);
    app.stop().await;
}

on_both_backends!(
    booking_moving_and_cancelling_keep_history,
    no_shows_alert_the_team_and_flag_the_course_until_followed_up,
    the_citizen_sees_their_calendar_and_gets_ics_files_without_the_video_link,
);
