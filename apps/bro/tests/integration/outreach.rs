//! The outreach effort over HTTP (issue 17, item 5): the team records contacts where the
//! citizen lives their life (a drop-in centre named from the directory), a bad contact refused
//! by the field; a contact with a worsening leads to a referral to a care place whose reason
//! starts from the contact; a team member from another organisation reads the contacts only
//! with consent to social information; the outreach staff read and record them through the
//! Fælles Team's target-group list while the course is on it; the unit publishes a fixed attendance time, shown on the
//! drop-in centre's public page.

use crate::http_plan::{consent_to_region, course, logged_in};
use crate::referrals::{offer, post, staff};
use bro_domain::offer::{OfferCategory, ReferrerKind};
use bro_domain::{Clock, Name, Role, ShareCategory, UnitKind};
use bro_store::{AuditCtx, NewUnit};
use bro_testkit::{Backend, TestApp, fixture, location};

async fn contacts_lead_to_care_places_and_times_are_published(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "outreach").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course_page = course(&app, &f).await;
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
    let outreach_staff = staff(&app, f.holstebro, mpo, "mpo-prof", Role::Professional).await;
    let kinds = vec![ReferrerKind::OwnMunicipality];
    let mut ids = Vec::new();
    for (name, category, unit) in [
        (
            "Værestedet Kompasset",
            OfferCategory::DropInCentre,
            f.holstebro_unit,
        ),
        ("MPO Skovvang", OfferCategory::TemporaryCarePlace, mpo),
    ] {
        let content = offer(name, category, kinds.clone());
        let id = app
            .store()
            .create_offer(&setup, unit, &content)
            .await
            .expect("offer");
        ids.push(id.to_string());
    }
    let (drop_in, care_place) = (&ids[0], &ids[1]);
    let outreach = format!("{course_page}/outreach");
    let koord = logged_in(&app, "koord").await;

    // Bad contacts: by the field.
    let r = post(
        &koord,
        &outreach,
        &[("place", "drop_in"), ("what", "Talte om søvn")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Vælg værestedet fra listen.")
    );
    let r = post(&koord, &outreach, &[("place", "street"), ("what", " ")]).await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Feltet skal udfyldes")
    );
    let contact = [
        ("place", "drop_in"),
        ("offer", drop_in.as_str()),
        ("what", "Har sovet på en bænk i tre nætter, hører stemmer"),
        ("next_step", "Ringer til tovholderen i morgen"),
        ("worsening", "on"),
    ];
    assert_eq!(location(&post(&koord, &outreach, &contact).await), outreach);
    let (_, html) = koord.get_text(&outreach).await;
    assert!(html.contains("Forværring") && html.contains("Værestedet Kompasset"));

    // From the contact, a referral to the care place: its reason starts from the contact.
    let at = html
        .find("/referrals/new?offer=")
        .expect("the referral link");
    let link = html[at..]
        .split('"')
        .next()
        .unwrap_or("")
        .replace("&amp;", "&");
    assert!(
        link.starts_with(&format!("/referrals/new?offer={care_place}&contact=")),
        "{link}"
    );
    let (status, form) = koord.get_text(&format!("{course_page}{link}")).await;
    assert_eq!(status, 200);
    assert!(form.contains("Forværring ved opsøgende kontakt: Har sovet på en bænk"));
    assert!(form.contains("value=\"urgent\" selected"));

    // The region's professional: the contacts are social information, shared only by consent.
    let prof_r = logged_in(&app, "prof-r").await;
    assert_eq!(prof_r.get_text(&outreach).await.0, 404);
    consent_to_region(&app, &f, vec![ShareCategory::Social]).await;
    let (status, html) = prof_r.get_text(&outreach).await;
    assert_eq!(status, 200);
    assert!(html.contains("Har sovet på en bænk"));

    // The outreach staff, not on the care team, through the Fælles Team's target-group list:
    // nothing until the course is on the list of a team they are on; then they read and record
    // contacts (the referral stays the care team's); off the list, nothing again.
    let mpo_prof = logged_in(&app, "mpo-prof").await;
    assert_eq!(mpo_prof.get_text(&outreach).await.0, 404);
    let team = crate::meetings::team(&app, &f).await;
    let member = bro_store::NewTeamMember {
        user: outreach_staff,
        function: bro_domain::meeting::TeamFunction::SocialPsychiatry,
        fixed: true,
    };
    let listing = AuditCtx {
        actor_user_id: Some(f.koord),
        ..setup.clone()
    };
    app.store()
        .set_team_member(&listing, team, member)
        .await
        .expect("member");
    assert_eq!(mpo_prof.get_text(&outreach).await.0, 404, "not listed yet");
    let course_id = bro_domain::CourseId(
        course_page
            .rsplit('/')
            .next()
            .and_then(|c| c.parse().ok())
            .expect("id"),
    );
    app.store()
        .add_team_citizen(&listing, team, course_id)
        .await
        .expect("listed");
    let (_, team_page) = koord.get_text(&format!("/teams/{}", team.0)).await;
    assert!(team_page.contains(&format!("href=\"{outreach}\"")));
    let (status, html) = mpo_prof.get_text(&outreach).await;
    assert_eq!(status, 200);
    assert!(html.contains("Har sovet på en bænk"));
    assert!(!html.contains("Henvis til en omsorgsplads") && !html.contains("Tilbage til forløbet"));
    let contact = [
        ("place", "street"),
        ("what", "Mødt ved banegården"),
        ("next_step", "Ses tirsdag"),
    ];
    assert_eq!(
        location(&post(&mpo_prof, &outreach, &contact).await),
        outreach
    );
    assert!(
        koord
            .get_text(&outreach)
            .await
            .1
            .contains("Mødt ved banegården")
    );
    app.store()
        .remove_team_citizen(&listing, team, course_id)
        .await
        .expect("off the list");
    assert_eq!(mpo_prof.get_text(&outreach).await.0, 404);
    assert_eq!(
        post(&mpo_prof, &outreach, &contact).await.status().as_u16(),
        404
    );

    // A fixed attendance time at the drop-in centre, shown on its public page.
    let funk = logged_in(&app, "funk").await;
    let time = |span: &'static str| {
        [
            ("offer", drop_in.clone()),
            ("weekday", "1".to_owned()),
            ("span", span.to_owned()),
        ]
    };
    let bad = time("10-12");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(&funk, "/care-places/attendance", &bad).await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("skriv tidsrummet som 10:00-12:00")
    );
    let good = time("10:00-12:00");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        location(&post(&funk, "/care-places/attendance", &good).await),
        "/care-places"
    );
    let (_, html) = app.browser().get_text(&format!("/tilbud/{drop_in}")).await;
    assert!(html.contains("Opsøgende medarbejdere kommer her"));
    assert!(
        html.contains("Tirsdag 10:00–12:00 (MPO Holstebro)"),
        "{html}"
    );
    app.stop().await;
}

on_both_backends!(contacts_lead_to_care_places_and_times_are_published);
