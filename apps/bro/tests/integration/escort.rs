//! Escort to appointments (issue 19, item 4), over HTTP against a real server: a team member
//! asks the municipality's escort service; its staff see the request on their list, flagged
//! once the answer is due 2 working days before; they accept (who, where, when) with bad input
//! refused by its field, and the citizen and the requester see the answer; afterwards the time
//! spent is recorded once. The citizen asks too; a declined request may be asked again; a past
//! appointment may not; outsiders see none of it, and the citizen's access log shows the
//! escort service's reads.

use crate::appointments::{book, booked, post, slot};
use crate::http_plan::{course, logged_in};
use crate::referrals::staff;
use bro_domain::{Clock, Name, Role, UnitKind};
use bro_store::{AuditCtx, NewUnit};
use bro_testkit::{Backend, Browser, TestApp, fixture, location};

const H: i64 = 3_600_000;

/// The id in the link `/escort/{id}` on the escort service's list.
fn first_request(html: &str) -> String {
    let at = html.find("href=\"/escort/").expect("a request on the list") + 14;
    html[at..].split('"').next().unwrap_or("").to_owned()
}

async fn asks(b: &Browser, path: &str, unit: &str, note: &str) -> reqwest::Response {
    post(b, path, &[("unit", unit), ("note", note)]).await
}

async fn escort_is_asked_answered_flagged_and_timed(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "escort").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let setup = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    let new_unit = NewUnit {
        org_id: f.holstebro,
        name: Name::parse("Ledsagerordningen").expect("name"),
        kind: UnitKind::EscortService,
    };
    let service = app
        .store()
        .create_unit(&setup, new_unit)
        .await
        .expect("unit");
    staff(&app, f.holstebro, service, "ledsager", Role::Professional).await;
    let service = service.0.to_string();

    // Now is Wednesday 25 November. A video consultation on Monday 30th at 10:00.
    let prof_r = logged_in(&app, "prof-r").await;
    let unit = f.region_unit.0.to_string();
    let mut fields = vec![("kind", "outpatient"), ("unit", unit.as_str())];
    fields.extend_from_slice(&slot("2026-11-30", "10:00", "11:00"));
    fields.extend_from_slice(&[
        ("place", "Ambulatoriet, Gødstrup"),
        ("video", "https://video.rm.dk/m/1"),
    ]);
    let appointment = booked(&book(&prof_r, &course, &fields).await);
    let (_, page) = prof_r.get_text(&appointment).await;
    assert!(
        page.contains(&format!("{appointment}/escort")),
        "a link to ask"
    );
    let ask = format!("{appointment}/escort");
    let (status, form) = prof_r.get_text(&ask).await;
    assert_eq!(status, 200);
    assert!(form.contains("Ledsagerordningen, Holstebro Kommune"));
    // A unit that is not one offered is refused by its field, the note kept.
    let r = asks(
        &prof_r,
        &ask,
        &f.holstebro_unit.0.to_string(),
        "Hentes hjemme",
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("Vælg en værdi på listen") && html.contains("Hentes hjemme"));
    let r = asks(&prof_r, &ask, &service, "Hentes hjemme").await;
    assert_eq!(location(&r), appointment);
    let (_, page) = prof_r.get_text(&appointment).await;
    assert!(
        page.contains("anmodet hos Ledsagerordningen, Holstebro Kommune"),
        "{page}"
    );
    assert!(
        !page.contains(&format!("{appointment}/escort\"")),
        "no second request offered"
    );
    let r = asks(&prof_r, &ask, &service, "").await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("allerede bedt om ledsagelse")
    );

    // The escort service: told in its notices, the request on its list, not yet flagged.
    let ledsager = logged_in(&app, "ledsager").await;
    let (_, notices) = ledsager.get_text("/notices").await;
    assert!(notices.contains("Der er bedt om ledsagelse af"));
    let (status, list) = ledsager.get_text("/escort").await;
    assert_eq!(status, 200);
    assert!(list.contains("href=\"/escort\""), "the nav item");
    assert!(
        list.contains("Svar senest torsdag 26. november kl. 10.00"),
        "{list}"
    );
    assert!(list.contains("Hentes hjemme"), "the note");
    assert!(!list.contains("Svar forsinket"));
    assert!(
        !list.contains("Ambulant") && !list.contains("Overlæge"),
        "not what kind"
    );
    let id = first_request(&list);
    // Outsiders: not the coordinator, not the booking clinic, not the citizen.
    for who in [&prof_r, &logged_in(&app, "koord").await] {
        assert_eq!(who.get(&format!("/escort/{id}")).await.status(), 404);
        let r = post(
            who,
            &format!("/escort/{id}/decline"),
            &[("decline_reason", "x")],
        )
        .await;
        assert_eq!(r.status(), 404);
    }
    let (_, koord_nav) = logged_in(&app, "koord").await.get_text("/home").await;
    assert!(
        !koord_nav.contains("href=\"/escort\""),
        "no nav item outside the service"
    );
    assert_eq!(
        ledsager.get(&course).await.status(),
        404,
        "the course stays closed to them"
    );

    // Thursday 26th at 11:00 the answer is late: flagged.
    app.clock.advance_ms(24 * H);
    let ledsager = logged_in(&app, "ledsager").await;
    let (_, list) = ledsager.get_text("/escort").await;
    assert!(
        list.contains("Svar forsinket") && list.contains("1 anmodning skulle have været besvaret")
    );

    // Accepting: each bad input refused by its field, what was typed kept.
    let accept = format!("/escort/{id}/accept");
    let meeting = |escort, time| {
        vec![
            ("escort", escort),
            ("meeting_point", "Hovedindgangen, Gødstrup"),
            ("meeting_day", "2026-11-30"),
            ("meeting_time", time),
        ]
    };
    for (fields, message) in [
        (meeting("Hanne Jensen", "10:30"), "før aftalen"),
        (meeting("", "09:15"), "Feltet skal udfyldes"),
        (meeting("Hanne Jensen", "9.15"), "Skriv et klokkeslæt"),
    ] {
        let r = post(&ledsager, &accept, &fields).await;
        assert_eq!(r.status(), 422, "{message}");
        let html = r.text().await.expect("body");
        assert!(html.contains(message), "{message}: {html}");
        assert!(html.contains("value=\"Hovedindgangen, Gødstrup\""));
    }
    let r = post(&ledsager, &accept, &meeting("Hanne Jensen", "09:15")).await;
    assert_eq!(location(&r), "/escort");
    let r = post(&ledsager, &accept, &meeting("Hanne Jensen", "09:15")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("allerede besvaret"));
    let r = post(
        &ledsager,
        &format!("/escort/{id}/decline"),
        &[("decline_reason", "Nej")],
    )
    .await;
    assert_eq!(r.status(), 422, "answered once");
    let (_, list) = ledsager.get_text("/escort").await;
    assert!(!list.contains("Svar forsinket") && list.contains("Hanne Jensen følger med"));

    // The citizen and the requester see the answer.
    let accepted = "Hanne Jensen følger med. Mødested Hovedindgangen, Gødstrup, mandag 30. november kl. 09.15.";
    let citizen = logged_in(&app, "citizen").await;
    let (_, mine) = citizen.get_text("/me/appointments").await;
    assert!(mine.contains(accepted), "{mine}");
    let (_, notices) = citizen.get_text("/notices").await;
    assert!(
        notices.contains("Ledsagerordningen har svaret på din anmodning om ledsagelse: accepteret")
    );
    let prof_r = logged_in(&app, "prof-r").await;
    assert!(prof_r.get_text(&appointment).await.1.contains(accepted));
    let (_, notices) = prof_r.get_text("/notices").await;
    assert!(notices.contains("har svaret på anmodningen om ledsagelse"));

    // The time spent: only afterwards, whole minutes, once.
    let time = format!("/escort/{id}/time");
    let r = post(&ledsager, &time, &[("minutes", "150")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("ikke begyndt endnu"));
    app.clock.advance_ms(4 * 24 * H); // Monday 30th, 11:00
    let ledsager = logged_in(&app, "ledsager").await;
    let r = post(&ledsager, &time, &[("minutes", "2,5")]).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("helt antal minutter")
    );
    assert_eq!(
        location(&post(&ledsager, &time, &[("minutes", "150")]).await),
        "/escort"
    );
    let r = post(&ledsager, &time, &[("minutes", "90")]).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("allerede registreret")
    );
    let (_, list) = ledsager.get_text("/escort").await;
    assert!(
        list.contains("Ingen aftalte ledsagelser venter"),
        "done: off the list"
    );
    // Escort for an appointment that has begun is refused.
    let prof_r = logged_in(&app, "prof-r").await;
    let r = asks(&prof_r, &ask, &service, "").await;
    assert_eq!(r.status(), 422);

    // The citizen asks for Friday's appointment themself; declined, then asked again.
    let mut fields = vec![("kind", "gp"), ("unit", unit.as_str())];
    fields.extend_from_slice(&slot("2026-12-04", "13:00", "13:30"));
    fields.push(("place", "Lægehuset"));
    let friday = booked(&book(&prof_r, &course, &fields).await);
    let friday_id = friday.rsplit('/').next().expect("id");
    let citizen = logged_in(&app, "citizen").await;
    let own = format!("/me/appointments/{friday_id}/escort");
    let (_, mine) = citizen.get_text("/me/appointments").await;
    assert!(mine.contains(&own), "the citizen may ask");
    assert_eq!(
        location(&asks(&citizen, &own, &service, "Jeg tør ikke tage bussen").await),
        "/me/appointments"
    );
    let (_, list) = ledsager.get_text("/escort").await;
    assert!(list.contains("borgeren selv") && list.contains("Jeg tør ikke tage bussen"));
    let id = first_request(&list);
    let decline = format!("/escort/{id}/decline");
    let r = post(&ledsager, &decline, &[("decline_reason", " ")]).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Feltet skal udfyldes")
    );
    let r = post(
        &ledsager,
        &decline,
        &[("decline_reason", "Ingen ledsager ledig")],
    )
    .await;
    assert_eq!(location(&r), "/escort");
    let (_, mine) = citizen.get_text("/me/appointments").await;
    assert!(mine.contains(
        "Ledsagelse afvist af Ledsagerordningen, Holstebro Kommune: Ingen ledsager ledig"
    ));
    assert!(mine.contains(&own), "asked again after a refusal");
    assert_eq!(
        location(&asks(&citizen, &own, &service, "").await),
        "/me/appointments"
    );

    // The citizen sees the escort service's reads in their access log.
    let (_, log) = citizen.get_text("/me/access-log").await;
    assert!(
        log.contains("ledsager Hansen") && log.contains("Ledsagerordningen behandlede"),
        "{log}"
    );
    app.stop().await;
}

on_both_backends!(escort_is_asked_answered_flagged_and_timed);
