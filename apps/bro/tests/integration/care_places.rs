//! Temporary care places over HTTP (issue 17, item 3): the function leader adds beds; an
//! accepted referral books a bed for its days; two function leaders booking the same bed for
//! the same days at once: one gets it, the other is told; days that end before they start or
//! run past the unit's limit are refused; occupancy per day counts beds used of beds open; the
//! arrival starts the referral and the end (to a next step) completes it; the course's
//! timeline tells each step of the stay where the referral is shared.

use crate::http_plan::{course, logged_in};
use crate::referrals::{offer, post, staff, status, step};
use bro_domain::offer::{OfferCategory, ReferrerKind};
use bro_domain::{Clock, Name, Role, UnitKind};
use bro_store::{AuditCtx, NewUnit};
use bro_testkit::{Backend, Browser, TestApp, fixture, location};

/// The version the page's stay forms carry.
async fn stay_version(b: &Browser, page: &str) -> String {
    let (_, html) = b.get_text(page).await;
    let at = html.find("stay/change").expect("a stay form");
    html[at..]
        .split("name=\"base_version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("0")
        .to_owned()
}

async fn change(b: &Browser, page: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let version = stay_version(b, page).await;
    let mut all = fields.to_vec();
    all.push(("base_version", &version));
    post(b, &format!("{page}/stay/change"), &all).await
}

/// Books `bed` for the referral at `page` in a session of its own, as the function leader.
async fn book(app: &TestApp, page: &str, bed: &str, start: &str, end: &str) -> reqwest::Response {
    let b = logged_in(app, "funk").await;
    let fields = [("bed", bed), ("start", start), ("end", end)];
    post(&b, &format!("{page}/stay"), &fields).await
}

async fn beds_are_booked_once_and_stays_move_their_referral(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "care_places").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course_page = course(&app, &f).await;
    let course_id = course_page.rsplit('/').next().expect("id").to_owned();
    let me = logged_in(&app, "citizen").await;
    let own_goal = [("text", "Et sted at bo med ro"), ("life_area", "housing")];
    assert_eq!(location(&me.post("/me/goals", &own_goal).await), "/me");
    let setup = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    let new_unit = NewUnit {
        org_id: f.holstebro,
        name: Name::parse("MPO Holstebro").expect("name"),
        kind: UnitKind::MpoUnit,
    };
    let mpo = app
        .store()
        .create_unit(&setup, new_unit)
        .await
        .expect("unit");
    staff(&app, f.holstebro, mpo, "funk", Role::FunctionLeader).await;
    staff(&app, f.holstebro, mpo, "mpo-prof", Role::Professional).await;
    let kinds = vec![ReferrerKind::OwnMunicipality];
    let content = offer("MPO Skovvang", OfferCategory::TemporaryCarePlace, kinds);
    let mpo_offer = app
        .store()
        .create_offer(&setup, mpo, &content)
        .await
        .expect("offer")
        .to_string();

    // Beds: the function leader's to add; a name twice is refused; others may not.
    let funk = logged_in(&app, "funk").await;
    for name in ["Seng 1", "Seng 2"] {
        let r = post(&funk, "/care-places/beds", &[("name", name)]).await;
        assert_eq!(location(&r), "/care-places");
    }
    let r = post(&funk, "/care-places/beds", &[("name", "Seng 1")]).await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("allerede en seng med det navn")
    );
    let prof = logged_in(&app, "mpo-prof").await;
    let r = post(&prof, "/care-places/beds", &[("name", "Seng 3")]).await;
    assert_eq!(r.status().as_u16(), 404);
    let (_, html) = funk.get_text("/care-places").await;
    let beds: Vec<String> = ["Seng 1", "Seng 2"]
        .iter()
        .map(|n| {
            let at = html.find(&format!(">{n}</option>")).expect("bed option");
            let before = &html[..at];
            let v = before.rfind("value=\"").expect("value") + 7;
            before[v..].split('"').next().unwrap_or("").to_owned()
        })
        .collect();
    assert!(html.contains("0 af 2 senge i brug"));

    // Two accepted referrals.
    let koord = logged_in(&app, "koord").await;
    let mut pages = Vec::new();
    for reason in ["Forværring", "Hjemløs efter udskrivning"] {
        let fields = [
            ("offer", mpo_offer.as_str()),
            ("urgency", "urgent"),
            ("reason", reason),
            ("agreed", "yes"),
        ];
        let page =
            location(&post(&koord, &format!("/courses/{course_id}/referrals"), &fields).await);
        let r = step(&funk, &page, &[("action", "accept"), ("note", "Plads")]).await;
        assert_eq!(location(&r), page);
        pages.push(page);
    }
    let (first, second) = (&pages[0], &pages[1]);

    // Days that cannot be: refused by what is wrong.
    let r = book(&app, first, &beds[0], "2026-11-25", "2026-11-20").await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Slutdatoen skal ligge efter starten.")
    );
    // The unit sets its longest stay: refused out of bounds, else kept to.
    let r = post(&funk, "/care-places/limit", &[("days", "0")]).await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Skriv et antal dage fra 1 til 365.")
    );
    let r = post(&prof, "/care-places/limit", &[("days", "30")]).await;
    assert_eq!(r.status().as_u16(), 404, "the function leader's to set");
    assert_eq!(
        location(&post(&funk, "/care-places/limit", &[("days", "60")]).await),
        "/care-places"
    );
    let r = book(&app, first, &beds[0], "2026-11-25", "2027-01-30").await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("længere, end enheden tillader")
    );
    assert_eq!(
        location(&post(&funk, "/care-places/limit", &[("days", "84")]).await),
        "/care-places"
    );
    assert!(
        funk.get_text("/care-places")
            .await
            .1
            .contains("Enhedens længste ophold: 84 dage.")
    );
    let r = book(&app, first, &beds[0], "2026-11-25", "2027-03-01").await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("længere, end enheden tillader")
    );
    let r = post(
        &koord,
        &format!("{first}/stay"),
        &[
            ("bed", &beds[0]),
            ("start", "2026-11-25"),
            ("end", "2027-01-13"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 404, "only the deciding role books");

    // The same bed for the same days from two sessions at once: one booking stands.
    let (a, b) = tokio::join!(
        book(&app, first, &beds[0], "2026-11-25", "2027-01-13"),
        book(&app, second, &beds[0], "2026-12-01", "2027-01-20"),
    );
    let codes = [a.status().as_u16(), b.status().as_u16()];
    assert!(codes.contains(&303) && codes.contains(&422), "{codes:?}");
    let refused = if codes[0] == 422 { a } else { b };
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("Sengen er optaget")
    );
    let (booked, other) = if codes[0] == 303 {
        (first, second)
    } else {
        (second, first)
    };
    let r = book(&app, other, &beds[1], "2026-11-25", "2027-01-13").await;
    assert_eq!(location(&r), *other);
    let (_, html) = funk.get_text("/care-places").await;
    assert!(
        html.contains("2 af 2 senge i brug"),
        "both held from today on"
    );
    assert!(html.contains("id=\"waiting\"") && html.contains("Mads Nørgaard"));
    // A bed cannot close under a stay.
    let closing = [
        ("bed", beds[1].as_str()),
        ("from", "2026-12-01"),
        ("to", "2026-12-05"),
        ("reason", "Maling"),
    ];
    let r = post(&funk, "/care-places/beds/close", &closing).await;
    assert!(r.text().await.expect("body").contains("Sengen er optaget"));

    // Arrival starts the referral; an extension needs a reason and keeps to the limit.
    assert_eq!(
        location(&change(&prof, booked, &[("action", "arrive")]).await),
        *booked
    );
    assert_eq!(status(&funk, booked).await, "I gang");
    // The course's timeline tells the stay to whom its referral is shared, and only that a
    // step was taken to the region's member without consent to health data.
    let (_, html) = koord.get_text(&course_page).await;
    assert!(
        html.contains("Midlertidig plads: borgeren er ankommet"),
        "{html}"
    );
    let (_, html) = logged_in(&app, "prof-r").await.get_text(&course_page).await;
    assert!(html.contains("Et skridt i en henvisning, som ikke er delt med din organisation"));
    assert!(!html.contains("Midlertidig plads"));
    // The agreement's goals are the plan's: shown with the stay to whom the plan is shared,
    // and not to the unit's staff outside the care team.
    let (_, html) = koord.get_text(booked).await;
    assert!(
        html.contains("Planens mål") && html.contains("Et sted at bo med ro (borgerens eget mål)")
    );
    let (_, html) = prof.get_text(booked).await;
    assert!(!html.contains("Planens mål") && !html.contains("Et sted at bo med ro"));
    let r = change(&prof, booked, &[("action", "extend"), ("to", "2027-01-27")]).await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Skriv en begrundelse.")
    );
    let r = change(
        &prof,
        booked,
        &[
            ("action", "extend"),
            ("to", "2027-04-01"),
            ("note", "Venter på bolig"),
        ],
    )
    .await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("længere, end enheden tillader")
    );
    let r = change(
        &prof,
        booked,
        &[
            ("action", "extend"),
            ("to", "2027-01-27"),
            ("note", "Venter på bolig"),
        ],
    )
    .await;
    assert_eq!(location(&r), *booked);
    assert!(funk.get_text(booked).await.1.contains("27.01.2027"));

    // The extended collaboration agreement: drafted at enrolment with the participants Bro
    // proposes, then reviewed at the every-second-Wednesday meeting with the seven principles.
    let agreement = format!("{booked}/agreement");
    let (_, html) = prof.get_text(booked).await;
    assert!(html.contains("Ambulant Akut Team eller Klinik for rusmiddelpsykiatri"));
    let draft = |goals: &'static str| {
        vec![
            ("base_version", "0"),
            ("goals", goals),
            ("medication", "Som før indskrivning"),
            ("participants", "Ambulant Akut Team, socialrådgiver"),
        ]
    };
    let r = post(&prof, &agreement, &draft("")).await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Feltet skal udfyldes")
    );
    let r = post(&prof, &agreement, &draft("Ro, søvn og et sted at bo")).await;
    assert_eq!(location(&r), *booked);
    let (_, html) = prof.get_text(booked).await;
    assert!(html.contains("Ro, søvn og et sted at bo"));
    // The reviews are held at a meeting series of the organisation's team, once the function
    // leader chooses it; until then no review meeting is planned.
    let (_, html) = prof.get_text(booked).await;
    assert!(html.contains("Der er ikke planlagt et gennemgangsmøde endnu"));
    let team = crate::meetings::team(&app, &f).await;
    let title = "Opfølgning på udvidet samarbejdsaftale";
    let r = crate::meetings::plan_series(
        &koord,
        team,
        title,
        "2026-11-25",
        "13:00",
        "2",
        "2027-03-31",
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let reviews = crate::meetings::meetings(&app, team, title).await;
    let series = reviews[0].series_id.expect("a series").to_string();
    let r = post(&prof, "/care-places/review-series", &[("series", &series)]).await;
    assert_eq!(r.status().as_u16(), 404, "the function leader's to choose");
    let r = post(&funk, "/care-places/review-series", &[("series", "999999")]).await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Vælg en af møderækkerne")
    );
    let r = post(&funk, "/care-places/review-series", &[("series", &series)]).await;
    assert_eq!(location(&r), "/care-places");
    let (_, html) = funk.get_text("/care-places").await;
    assert!(html.contains("Aftalerne gennemgås på møderne i"));
    // The stay is on the agenda of each review meeting while it lasts: the unit's staff and
    // its referrer see it by name; the region's member without consent to health data not.
    let meeting_page = |k: usize| format!("/meetings/{}", reviews[k].id.0);
    let (_, html) = koord.get_text(&meeting_page(1)).await;
    assert!(html.contains("Ophold til gennemgang (MPO Holstebro)"));
    assert!(html.contains(&format!("{booked}#agreement")) && html.contains("Mads Nørgaard"));
    let (_, html) = logged_in(&app, "prof-r")
        .await
        .get_text(&meeting_page(1))
        .await;
    assert!(html.contains("Ophold til gennemgang") && !html.contains("Mads Nørgaard"));
    let (_, html) = prof.get_text(booked).await;
    assert!(
        html.contains("Næste gennemgang: onsdag 09.12.2026"),
        "{html}"
    );
    let mut review = vec![
        ("base_version", "1"),
        ("goals", "Ro, søvn og et sted at bo"),
        (
            "participants",
            "Ambulant Akut Team, socialrådgiver, borgeren",
        ),
        ("review_day", "2026-12-09"),
    ];
    let r = post(&prof, &agreement, &review).await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Giv hvert af de syv principper")
    );
    // A review is held at one of the series' meetings.
    review[3] = ("review_day", "2026-12-10");
    let scores = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];
    let mut off_day = review.clone();
    off_day.extend(scores.iter().map(|p| (*p, "4")));
    let r = post(&prof, &agreement, &off_day).await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Vælg et af enhedens gennemgangsmøder.")
    );
    review[3] = ("review_day", "2026-12-09");
    review.extend(scores.iter().map(|p| (*p, "4")));
    assert_eq!(location(&post(&prof, &agreement, &review).await), *booked);
    let (_, html) = prof.get_text(booked).await;
    assert!(html.contains("4 · 4 · 4 · 4 · 4 · 4 · 4"));
    assert!(html.contains("Næste gennemgang: onsdag 23.12.2026"));
    // A month on, the review of 23 December was missed: flagged on the unit's agenda.
    app.clock.advance_ms(30 * 24 * 3_600_000);
    let funk = logged_in(&app, "funk").await;
    let prof = logged_in(&app, "mpo-prof").await;
    let (_, html) = funk.get_text("/care-places").await;
    assert!(
        html.contains("id=\"agenda\"") && html.contains("Gennemgang mangler"),
        "{html}"
    );

    // The end, to a next step: the referral is completed and the bed free from today.
    let r = change(
        &prof,
        booked,
        &[
            ("action", "end"),
            ("next", "housing_offer"),
            ("note", "Botilbud fra i dag"),
        ],
    )
    .await;
    assert_eq!(location(&r), *booked);
    assert_eq!(status(&funk, booked).await, "Afsluttet");
    let koord = logged_in(&app, "koord").await;
    let (_, html) = koord.get_text(&course_page).await;
    assert!(html.contains("Midlertidig plads: opholdet er afsluttet"));
    // Off the agenda after the discharge: the next review meeting (6 January) lists it no
    // more, and still lists the other stay, booked to 13 January.
    let (_, html) = koord.get_text(&meeting_page(3)).await;
    assert!(!html.contains(&format!("{booked}#agreement")));
    assert!(html.contains(&format!("{other}#agreement")));
    let (_, html) = funk.get_text(booked).await;
    assert!(html.contains("Botilbud") && !html.contains("stay/change"));
    let (_, html) = funk.get_text("/care-places").await;
    assert!(
        html.contains("1 af 2 senge i brug"),
        "the ended stay frees its bed today"
    );
    // No review on a stay that has ended.
    review[0] = ("base_version", "2");
    let r = post(&prof, &agreement, &review).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Opholdet er afsluttet")
    );
    app.stop().await;
}

on_both_backends!(beds_are_booked_once_and_stays_move_their_referral);
