//! Sharing integrity (issue 15): lists, agendas and the timeline obey the citizen's current
//! consent for the viewer's organisation, one organisation rule decides lists and pages alike,
//! and each citizen a list shows reaches that citizen's access log.

use crate::http_plan::{course, logged_in};
use crate::meetings::{koord_ctx, meetings, minutes_consent, plan_series, team};
use bro_domain::{Clock, CourseId, MeetingId, Role};
use bro_store::AuditCtx;
use bro_testkit::{Backend, Fixture, TestApp, fixture, location};

/// The list with `id` on a page ("" when the page shows no such list).
fn list<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    html.find(&marker).map_or("", |at| {
        let rest = &html[at..];
        &rest[..rest
            .find("</ul>")
            .or(rest.find("</ol>"))
            .unwrap_or(rest.len())]
    })
}

/// The citizen's course on the team's list and on a meeting's agenda, with an approved case
/// that made one agreement; the region sees the minutes by the citizen's consent. Returns the
/// course path, the team page, the meeting page and the consent.
async fn case_on_the_agenda(app: &TestApp, f: &Fixture) -> (String, String, String, i64) {
    let course_path = course(app, f).await;
    let course_id = course_path.rsplit('/').next().expect("id").to_owned();
    let team = team(app, f).await;
    let now = app.clock.now_ms();
    let consent = app
        .store()
        .record_consent(&koord_ctx(f, now), minutes_consent(f, now))
        .await
        .expect("consent");
    let koord = logged_in(app, "koord").await;
    let r = plan_series(
        &koord,
        team,
        "Fælles Team møde",
        "2026-11-26",
        "13:00",
        "4",
        "2027-01-31",
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let meeting = meetings(app, team, "Fælles Team møde").await[0].id.0;
    for (path, field) in [
        (format!("/teams/{}/citizens", team.0), "course"),
        (format!("/meetings/{meeting}/cases"), "course"),
    ] {
        let r = koord.post(&path, &[(field, &course_id)]).await;
        assert_eq!(r.status().as_u16(), 303, "{path}");
    }
    let ctx = koord_ctx(f, app.clock.now_ms());
    let case = app
        .store()
        .cases(&ctx, MeetingId(meeting))
        .await
        .expect("cases")[0]
        .id;
    app.store()
        .add_agreement(&ctx, case, "Ansøg om bostøtte efter § 85", "Karen", None)
        .await
        .expect("agreement");
    app.store()
        .approve_case(&ctx, case, "Referat")
        .await
        .expect("approved");
    (
        course_path,
        format!("/teams/{}", team.0),
        format!("/meetings/{meeting}"),
        consent,
    )
}

/// The team's list of citizens and the meeting's agenda name the citizen only to
/// organisations whose minutes consent is in force, and every showing is in the citizen's
/// access log (item 6). The course timeline gives an agreement's text from the minutes only on
/// the same condition (item 5).
async fn team_lists_agendas_and_agreements_obey_the_minutes_consent(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "team_lists_consent").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let (course, team, meeting, consent) = case_on_the_agenda(&app, &f).await;
    let prof = logged_in(&app, "prof-r").await;
    let lists = [(&team, "team-citizens"), (&meeting, "meeting-cases")];
    for (page, id) in lists {
        let (status, html) = prof.get_text(page).await;
        assert_eq!(status, 200);
        assert!(
            list(&html, id).contains("Mads Nørgaard"),
            "{page} with consent"
        );
    }
    let (_, html) = prof.get_text(&course).await;
    assert!(
        html.contains("Ansøg om bostøtte efter § 85"),
        "with consent"
    );

    let citizen = logged_in(&app, "citizen").await;
    let (_, log) = citizen.get_text("/me/access-log").await;
    for read in [
        "Dit navn blev vist på et Fælles Teams liste over borgere",
        "Dit navn blev vist på et mødes dagsorden",
    ] {
        assert!(log.contains(read), "the citizen's access log shows: {read}");
    }

    app.store()
        .withdraw_consent(&koord_ctx(&f, app.clock.now_ms()), f.citizen, consent)
        .await
        .expect("withdrawn");
    for (page, id) in lists {
        let (status, html) = prof.get_text(page).await;
        assert_eq!(status, 200, "{page} itself stays open to the team");
        assert!(
            !list(&html, id).contains("Mads Nørgaard"),
            "{page} after withdrawal"
        );
    }
    let (status, html) = prof.get_text(&course).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("Ansøg om bostøtte efter § 85"),
        "the agreement's text follows the minutes consent"
    );
    assert!(html.contains("Aftale fra Fælles Team"), "its entry stays");
    let koord = logged_in(&app, "koord").await;
    let (_, html) = koord.get_text(&course).await;
    assert!(
        html.contains("Ansøg om bostøtte efter § 85"),
        "the holder reads its own minutes"
    );
    for (page, id) in lists {
        let (_, html) = koord.get_text(page).await;
        assert!(
            list(&html, id).contains("Mads Nørgaard"),
            "{page} for the holder"
        );
    }
    app.stop().await;
}

/// Sharing is decided for the viewer's active role's organisation, in lists as on pages: a
/// region professional on the team who also works in the holding municipality sees the plan's
/// facts in the overview exactly when the plan page opens for them (item 13).
async fn one_organisation_decides_lists_and_pages(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "one_org_rule").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let koord = logged_in(&app, "koord").await;
    let (_, html) = koord.get_text(&plan).await;
    let base = crate::http_plan::version_of(&html);
    let r = koord
        .post(
            &format!("{plan}/review"),
            &[("base_version", &base), ("review_date", "2027-03-01")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let setup = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    let holstebro_role = app
        .store()
        .grant_role(&setup, f.prof_r, f.holstebro_unit, Role::Professional)
        .await
        .expect("second role");

    let prof = logged_in(&app, "prof-r").await;
    for (assignment, shared) in [(None, false), (Some(holstebro_role), true)] {
        if let Some(a) = assignment {
            let r = prof
                .post("/context", &[("assignment", &a.to_string())])
                .await;
            assert_eq!(location(&r), "/home");
        }
        let (status, page) = prof.get_text(&plan).await;
        assert_eq!(status, 200);
        assert_eq!(
            page.contains("Planen er ikke delt med din organisation"),
            !shared,
            "the plan page, active in Holstebro: {}",
            assignment.is_some()
        );
        let (_, list) = prof.get_text("/courses").await;
        assert_eq!(
            list.contains("2027-03-01"),
            shared,
            "the overview agrees with the page, active in Holstebro: {}",
            assignment.is_some()
        );
    }
    app.stop().await;
}

/// A closed course is history, not a key (item 4): its former team still reads the course
/// and its plan, but not the citizen's current network, consents or documents, and nobody,
/// the coordinator included, changes anything on it.
async fn a_closed_course_is_history_not_a_key(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "closed_course").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = crate::http_plan::course_with_consent(&app, &f).await;
    let course_id = CourseId(course.rsplit('/').next().expect("id").parse().expect("id"));
    let ctx = koord_ctx(&f, app.clock.now_ms());
    let network = bro_store::NewNetworkMember {
        name: "Inge Nørgaard".into(),
        relation: "Mor".into(),
        phone: "20 30 40 50".into(),
        may_see: vec![],
        user_id: None,
    };
    app.store()
        .add_network_member(&ctx, course_id, network)
        .await
        .expect("network");
    let consents = format!("{course}/consents");
    let koord = logged_in(&app, "koord").await;
    let prof = logged_in(&app, "prof-r").await;
    for b in [&koord, &prof] {
        assert_eq!(b.get_text(&consents).await.0, 200, "open: the team reads");
        assert!(b.get_text(&course).await.1.contains("Inge Nørgaard"));
    }
    app.store()
        .close_course(&ctx, course_id, "Flyttet".into(), "Struer Kommune".into())
        .await
        .expect("closed");

    for (login, b) in [("koord", &koord), ("prof-r", &prof)] {
        let (status, html) = b.get_text(&course).await;
        assert_eq!(status, 200, "{login} reads the closed course's history");
        assert!(!html.contains("Inge Nørgaard"), "{login}: not the network");
        assert_eq!(b.get_text(&format!("{course}/plan")).await.0, 200);
        assert_eq!(
            b.get_text(&consents).await.0,
            404,
            "{login}: not the consents"
        );
    }
    let writes: [(&str, &[(&str, &str)]); 3] = [
        ("network", &[("network_name", "Ole"), ("relation", "Bror")]),
        ("phase", &[("from", "start"), ("to", "plan")]),
        (
            "legal-bases",
            &[("kind", "13c"), ("reason", "Koordinering")],
        ),
    ];
    for (what, fields) in writes {
        let r = koord.post(&format!("{course}/{what}"), fields).await;
        assert_eq!(
            r.status().as_u16(),
            404,
            "the coordinator changes no {what}"
        );
    }
    app.stop().await;
}

/// A consent the region recorded for the region, on the store's own terms (the edge's rules
/// are tested over HTTP elsewhere).
fn region_consent(f: &Fixture, now: i64) -> bro_store::NewConsent {
    bro_store::NewConsent {
        orgs: vec![f.region],
        categories: vec![bro_domain::ShareCategory::Health],
        witness: "Karen Koordinator, Holstebro Kommune".into(),
        witness_org: None,
        ..minutes_consent(f, now)
    }
}

/// Every consent recorded is told to the citizen and to the coordinator, in Bro's notices;
/// the coordinator's list of notices reaches the citizen's access log (item 2 in part).
async fn the_coordinator_and_the_citizen_are_told_of_every_consent(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "consent_told").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    course(&app, &f).await;
    let prof = AuditCtx {
        actor_user_id: Some(f.prof_r),
        ..AuditCtx::system(f.region.0, app.clock.now_ms(), "care-team")
    };
    app.store()
        .record_consent(&prof, region_consent(&f, app.clock.now_ms()))
        .await
        .expect("consent");
    let koord = logged_in(&app, "koord").await;
    let (status, html) = koord.get_text("/notices").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Region Midtjylland har registreret et samtykke for Mads Nørgaard"),
        "{html}"
    );
    assert!(html.contains("/consents\""), "it leads to the consents");
    let citizen = logged_in(&app, "citizen").await;
    let (_, html) = citizen.get_text("/notices").await;
    assert!(html.contains("Region Midtjylland har registreret et samtykke for dig"));
    let (_, log) = citizen.get_text("/me/access-log").await;
    assert!(log.contains("Dit navn blev vist i en besked i Bro"));
    let (_, prof_notices) = logged_in(&app, "prof-r").await.get_text("/notices").await;
    assert!(
        prof_notices.contains("Du har ingen beskeder."),
        "the recorder is not told of their own act"
    );

    let newest = {
        let needle = "name=\"up_to\" value=\"";
        let at = html.find(needle).expect("mark-read form") + needle.len();
        html[at..].split('"').next().expect("id").to_owned()
    };
    let r = citizen.post("/notices/read", &[("up_to", &newest)]).await;
    assert_eq!(location(&r), "/notices");
    let (_, html) = citizen.get_text("/notices").await;
    assert!(html.contains("Beskederne er markeret som læst.") && !html.contains("badge-info"));
    app.stop().await;
}

/// Opening a course for a citizen whose last course another organisation held needs a
/// reason, which goes on the new course and to that course's coordinator (item 4).
async fn a_course_after_another_organisations_needs_a_reason(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "handover").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let old = course(&app, &f).await;
    let old_id = CourseId(old.rsplit('/').next().expect("id").parse().expect("id"));
    app.store()
        .close_course(
            &koord_ctx(&f, app.clock.now_ms()),
            old_id,
            "Flyttet".into(),
            "Regionen".into(),
        )
        .await
        .expect("closed");
    let setup = AuditCtx::system(f.region.0, app.clock.now_ms(), "test");
    app.store()
        .grant_role(&setup, f.prof_r, f.region_unit, Role::Coordinator)
        .await
        .expect("coordinator role");
    let region = logged_in(&app, "prof-r").await;
    let (_, home) = region.get_text("/home").await;
    let assignment = {
        let at = home
            .find("Tovholder")
            .expect("the coordinator role on offer");
        let start = home[..at].rfind("value=\"").expect("option") + 7;
        home[start..].split('"').next().expect("id").to_owned()
    };
    let r = region
        .post("/context", &[("assignment", &assignment)])
        .await;
    assert_eq!(location(&r), "/home");
    let citizen = f.citizen.0.to_string();
    let r = region.post("/courses", &[("citizen", &citizen)]).await;
    assert_eq!(r.status().as_u16(), 200, "asked for a reason first");
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Skriv, hvorfor I starter et nyt forløb")
    );
    let r = region
        .post("/courses", &[("citizen", &citizen), ("reason", "  ")])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Skriv en begrundelse for det nye forløb.")
    );
    const REASON: &str = "Udskrevet til regionens botilbud, som koordinerer herfra";
    let r = region
        .post("/courses", &[("citizen", &citizen), ("reason", REASON)])
        .await;
    let new = location(&r);
    assert!(new.starts_with("/courses/") && new != old, "{new}");
    let (_, html) = region.get_text(&new).await;
    assert!(html.contains(REASON), "the reason is on the new course");
    let koord = logged_in(&app, "koord").await;
    let (_, html) = koord.get_text("/notices").await;
    assert!(
        html.contains("Region Midtjylland har startet et nyt forløb for Mads Nørgaard")
            && html.contains(REASON)
            && html.contains(&format!("href=\"{old}\"")),
        "{html}"
    );
    app.stop().await;
}

/// The form's id of the newest consent on a consents page (its confirm or withdraw form).
fn newest_consent(html: &str, base: &str) -> String {
    let at = html.find(&format!("{base}/")).expect("a consent's form") + base.len() + 1;
    html[at..].split('/').next().expect("id").to_owned()
}

/// Records an oral consent for `org`'s seeing the plan, witnessed from `witness_org` ("":
/// none given).
async fn record_oral(
    b: &bro_testkit::Browser,
    consents: &str,
    org: &str,
    witness_org: &str,
) -> reqwest::Response {
    let fields = [
        ("orgs", org),
        ("categories", "plan"),
        ("form", "oral"),
        ("given_by", "citizen"),
        ("witness", "Bente Bostøtte"),
        ("witness_org", witness_org),
        ("valid_from", "2026-11-01"),
    ];
    b.post_multipart(consents, &fields, None).await
}

/// No one unlocks their own organisation's access alone (item 2): a team member's oral
/// consent for their own organisation waits until the citizen confirms it in Bro; with a
/// witness from another organisation it applies at once; and what a withdrawal ended today is
/// not re-recorded by staff without the coordinator's (or the citizen's) confirmation.
async fn no_one_unlocks_their_own_organisation_alone(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "own_org_consent").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let consents = format!("{course}/consents");
    let plan = format!("{course}/plan");
    let withheld = "Planen er ikke delt med din organisation";
    let region = f.region.0.to_string();
    let holstebro = f.holstebro.0.to_string();
    let prof = logged_in(&app, "prof-r").await;
    let r = record_oral(&prof, &consents, &region, "").await;
    assert_eq!(location(&r), consents);
    let (_, html) = prof.get_text(&consents).await;
    assert!(
        html.contains("Venter på bekræftelse"),
        "its own word is not enough"
    );
    assert!(prof.get_text(&plan).await.1.contains(withheld));
    let koord = logged_in(&app, "koord").await;
    let (_, notices) = koord.get_text("/notices").await;
    assert!(
        notices.contains("som venter på bekræftelse"),
        "the coordinator is told"
    );
    let citizen = logged_in(&app, "citizen").await;
    let (_, mine) = citizen.get_text("/me/consents").await;
    let id = newest_consent(&mine, "/me/consents");
    let r = citizen
        .post(&format!("/me/consents/{id}/confirm"), &[])
        .await;
    assert_eq!(location(&r), "/me/consents");
    let (_, mine) = citizen.get_text("/me/consents").await;
    assert!(mine.contains("Samtykket er bekræftet og gælder nu."));
    assert!(
        !prof.get_text(&plan).await.1.contains(withheld),
        "confirmed by the citizen"
    );

    // Withdrawn, then recorded again the same day by staff: the coordinator confirms it.
    let r = citizen
        .post(&format!("/me/consents/{id}/withdraw"), &[])
        .await;
    assert_eq!(location(&r), "/me/consents");
    assert!(prof.get_text(&plan).await.1.contains(withheld));
    let r = record_oral(&prof, &consents, &region, &holstebro).await;
    assert_eq!(location(&r), consents);
    assert!(
        prof.get_text(&plan).await.1.contains(withheld),
        "not re-recorded on the day of its withdrawal, witness or not"
    );
    let (_, html) = koord.get_text(&consents).await;
    let again = newest_consent(&html, &consents);
    assert_ne!(again, id);
    let r = prof.post(&format!("{consents}/{again}/confirm"), &[]).await;
    assert_eq!(
        r.status().as_u16(),
        404,
        "only the coordinator confirms for the team"
    );
    let r = koord
        .post(&format!("{consents}/{again}/confirm"), &[])
        .await;
    assert_eq!(location(&r), consents);
    assert!(
        !prof.get_text(&plan).await.1.contains(withheld),
        "confirmed by the coordinator"
    );

    // The next day, with a witness from another organisation: in force at once.
    let r = koord
        .post(&format!("{consents}/{again}/withdraw"), &[])
        .await;
    assert_eq!(location(&r), consents);
    app.clock.advance_ms(24 * 3_600_000);
    let prof = logged_in(&app, "prof-r").await;
    let r = record_oral(&prof, &consents, &region, &holstebro).await;
    assert_eq!(location(&r), consents);
    assert!(
        !prof.get_text(&plan).await.1.contains(withheld),
        "witnessed by Holstebro"
    );
    app.stop().await;
}

on_both_backends!(
    team_lists_agendas_and_agreements_obey_the_minutes_consent,
    one_organisation_decides_lists_and_pages,
    a_closed_course_is_history_not_a_key,
    the_coordinator_and_the_citizen_are_told_of_every_consent,
    a_course_after_another_organisations_needs_a_reason,
    no_one_unlocks_their_own_organisation_alone,
);
