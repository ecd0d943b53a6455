//! Courses and care teams over HTTP: opening, phases, the team, and who may see what.

use bro_audit::{AuditAction, Outcome};
use bro_testkit::{Backend, FIXTURE_PASSWORD, TestApp, fixture, location};

async fn app(name: &str) -> TestApp {
    TestApp::spawn(Backend::Sqlite, name)
        .await
        .expect("sqlite app")
}

/// Logs the fixture's coordinator in, finds the citizen by CPR and starts a course; returns
/// the browser and the course path.
async fn coordinator_opens_course(app: &TestApp, citizen: i64) -> (bro_testkit::Browser, String) {
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    let r = b.post("/citizens/search", &[("q", "710585-2345")]).await;
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.expect("body");
    assert!(html.contains("Mads Nørgaard") && html.contains("Start forløb"));
    let r = b
        .post("/courses", &[("citizen", &citizen.to_string())])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let path = location(&r);
    assert!(path.starts_with("/courses/"), "{path}");
    (b, path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_opens_a_course_and_moves_it_through_the_phases() {
    let app = app("course_phases").await;
    let f = fixture(app.store(), false).await;
    let (b, course) = coordinator_opens_course(&app, f.citizen.0).await;
    let (status, html) = b.get_text(&course).await;
    assert_eq!(status, 200);
    assert!(html.contains("Forløbet er startet. Du er tovholder."));
    assert!(html.contains("Opsporing og henvisning"));
    assert!(html.contains("Karen Koordinator"));

    // Forward one step: allowed.
    let r = b
        .post(
            &format!("{course}/phase"),
            &[("from", "identification"), ("to", "assessment")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    // Skipping a phase: refused with the reason next to the field.
    let r = b
        .post(
            &format!("{course}/phase"),
            &[("from", "assessment"), ("to", "intervention")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Et forløb flytter én fase ad gangen")
    );
    // Closing needs its own form.
    let r = b
        .post(
            &format!("{course}/phase"),
            &[("from", "assessment"), ("to", "closure")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);

    // Two tabs on the same phase: the second change is refused, not applied twice.
    let r = b
        .post(
            &format!("{course}/phase"),
            &[("from", "assessment"), ("to", "planning")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = b
        .post(
            &format!("{course}/phase"),
            &[("from", "assessment"), ("to", "planning")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("En anden har netop skiftet fase")
    );

    // Closing asks for a reason and the next step.
    let r = b
        .post(
            &format!("{course}/close"),
            &[("reason", ""), ("next_step", "")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let r = b
        .post(
            &format!("{course}/close"),
            &[
                ("reason", "Flyttet"),
                ("next_step", "Overdraget til Struer"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = b.get_text(&course).await;
    assert!(html.contains("Overdraget til Struer"));
    assert!(html.contains("Forløb afsluttet"), "the timeline shows it");
    let r = b
        .post(
            &format!("{course}/phase"),
            &[("from", "closure"), ("to", "follow_up")],
        )
        .await;
    // A closed course is history: no change passes the access check (issue 15, item 4).
    assert_eq!(r.status().as_u16(), 404, "a closed course does not move");

    // A new course can be opened once the old one is closed; never two open at once.
    let r = b
        .post("/courses", &[("citizen", &f.citizen.0.to_string())])
        .await;
    assert!(location(&r).starts_with("/courses/"));
    let r = b
        .post("/courses", &[("citizen", &f.citizen.0.to_string())])
        .await;
    assert_eq!(location(&r), "/citizens/search");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_care_team_opens_a_course_and_refusals_are_audited() {
    let app = app("course_access").await;
    let f = fixture(app.store(), false).await;
    let (coordinator, course) = coordinator_opens_course(&app, f.citizen.0).await;
    let outsider = app.browser();
    outsider.login("prof-r", FIXTURE_PASSWORD).await;
    let (status, html) = outsider.get_text(&course).await;
    assert_eq!(status, 404);
    assert!(!html.contains("Mads"), "nothing about the citizen leaks");
    let last = app
        .store()
        .recent_audit(f.region.0, 1)
        .await
        .expect("audit");
    assert_eq!(last[0].fields.action, AuditAction::AccessDenied.code());
    assert_eq!(last[0].fields.outcome, Outcome::Denied);
    assert_eq!(last[0].fields.subject_citizen_id, Some(f.citizen));
    // The outsider's search shows that a course exists, but not a way in.
    let html = outsider
        .post("/citizens/search", &[("q", "7105852345")])
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("du er ikke på teamet"));
    assert!(!html.contains(&format!("href=\"{course}\"")));

    // Added to the team, the professional reads the course but cannot manage it.
    let staff = format!("{}:{}", f.prof_r.0, f.region_unit.0);
    let r = coordinator
        .post(
            &format!("{course}/members"),
            &[
                ("staff", &staff),
                ("role", "psychiatrist"),
                ("kind", "fixed"),
                ("phone", "78 43 00 00"),
                ("mail", ""),
                ("hours", "Hverdage 8-15"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(outsider.get_text(&course).await.0, 200);
    let (_, list) = outsider.get_text("/courses").await;
    assert!(list.contains("Mads Nørgaard"));
    let r = outsider
        .post(
            &format!("{course}/phase"),
            &[("from", "identification"), ("to", "assessment")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);

    // Administrators see organisations, not people.
    let admin = app.browser();
    admin.login("admin-h", FIXTURE_PASSWORD).await;
    assert_eq!(admin.get_text(&course).await.0, 404);
    assert_eq!(admin.get_text("/citizens/search").await.0, 404);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_has_exactly_one_coordinator_and_contact_routes() {
    let app = app("course_team").await;
    let f = fixture(app.store(), false).await;
    let (b, course) = coordinator_opens_course(&app, f.citizen.0).await;
    let staff = format!("{}:{}", f.prof_r.0, f.region_unit.0);
    // The member list holds the coordinator's own organisation; the region's staff appear once
    // the region is chosen (a national list would cost what the country holds).
    let option = format!("<option value=\"{staff}\"");
    let (_, html) = b.get_text(&course).await;
    assert!(html.contains("Medarbejdere fra en anden organisation"));
    assert!(
        !html.contains(&option),
        "the region is not around this course yet"
    );
    let (_, html) = b
        .get_text(&format!("{course}?staff_org={}", f.region.0))
        .await;
    assert!(html.contains(&option) && html.contains("Pia Fagperson"));
    // No way to reach the person: refused, what was typed stays, the person stays choosable.
    let r = b
        .post(
            &format!("{course}/members"),
            &[
                ("staff", &staff),
                ("role", "psychiatrist"),
                ("kind", "ad_hoc"),
                ("phone", ""),
                ("mail", ""),
                ("hours", "Om natten"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("Angiv telefon eller sikker mail"));
    assert!(html.contains("value=\"Om natten\""));
    assert!(html.contains(&format!("{option} selected")));
    let r = b
        .post(
            &format!("{course}/members"),
            &[
                ("staff", &staff),
                ("role", "psychiatrist"),
                ("kind", "ad_hoc"),
                ("phone", "12"),
                ("mail", "not-a-mail"),
                ("hours", ""),
            ],
        )
        .await;
    let html = r.text().await.expect("body");
    assert!(html.contains("8 til 15 cifre") && html.contains("Mailadressen er ikke gyldig"));
    let r = b
        .post(
            &format!("{course}/members"),
            &[
                ("staff", &staff),
                ("role", "psychiatrist"),
                ("kind", "ad_hoc"),
                ("phone", ""),
                ("mail", "pia@rm.dk"),
                ("hours", ""),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = b
        .post(
            &format!("{course}/members"),
            &[
                ("staff", &staff),
                ("role", "psychiatrist"),
                ("kind", "ad_hoc"),
                ("phone", ""),
                ("mail", "pia@rm.dk"),
                ("hours", ""),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "once on the team is enough");

    let id = bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    let ctx = bro_store::AuditCtx::system(0, 0, "test");
    let team = app.store().course(&ctx, id).await.expect("course").team;
    let coordinator = team.iter().find(|m| m.is_coordinator).expect("coordinator");
    let pia = team.iter().find(|m| !m.is_coordinator).expect("pia");
    // The coordinator cannot be removed...
    let r = b
        .post(
            &format!("{course}/members/{}/remove", coordinator.id.0),
            &[],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        app.store()
            .course(&ctx, id)
            .await
            .expect("course")
            .team
            .len(),
        2
    );
    // ...but can hand over: exactly one coordinator before and after.
    let r = b
        .post(&format!("{course}/members/{}/coordinator", pia.id.0), &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let team = app.store().course(&ctx, id).await.expect("course").team;
    let coordinators: Vec<_> = team.iter().filter(|m| m.is_coordinator).collect();
    assert_eq!(coordinators.len(), 1);
    assert_eq!(coordinators[0].user_id, f.prof_r);
    // Karen is no longer coordinator, so she can no longer manage the team.
    let r = b
        .post(&format!("{course}/members/{}/remove", pia.id.0), &[])
        .await;
    assert_eq!(r.status().as_u16(), 404);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizen_search_checks_its_input_and_audits_each_citizen_shown() {
    let app = app("citizen_search").await;
    let f = fixture(app.store(), false).await;
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    for (q, message) in [
        ("", "Skriv et navn eller et CPR-nummer"),
        ("x", "Skriv mindst to bogstaver"),
        ("3202901234", "Datoen i CPR-nummeret findes ikke"),
        ("12345", "Et CPR-nummer har 10 cifre"),
    ] {
        let r = b.post("/citizens/search", &[("q", q)]).await;
        assert_eq!(r.status().as_u16(), 422, "{q:?}");
        assert!(r.text().await.expect("body").contains(message), "{q:?}");
    }
    let html = b
        .post("/citizens/search", &[("q", "<script>'%")])
        .await
        .text()
        .await
        .expect("body");
    assert!(!html.contains("<script>'%"), "escaped");
    // A name alone finds only one's own citizens: the register is not listed by letters.
    let html = b
        .post("/citizens/search", &[("q", "MADS")])
        .await
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("Ingen borgere passer på søgningen."),
        "not koord's citizen"
    );
    for (born, message) in [
        ("31-02-1985", "Skriv fødselsdatoen som dd-mm-åååå"),
        ("11-05-1985", "Skriv både fornavn og efternavn"),
    ] {
        let q = if born.starts_with("31") {
            "Mads Nørgaard"
        } else {
            "Nørgaard"
        };
        let r = b
            .post("/citizens/search", &[("q", q), ("born", born)])
            .await;
        assert_eq!(r.status().as_u16(), 422, "{born}");
        assert!(r.text().await.expect("body").contains(message), "{born}");
    }
    // The full name and the birth date find anyone (here a replacement number: day + 60).
    let html = b
        .post(
            "/citizens/search",
            &[("q", "mads NØRGAARD"), ("born", "11-05-1985")],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("Mads Nørgaard"),
        "names match without regard to case"
    );
    let audit = app
        .store()
        .recent_audit(f.holstebro.0, 1)
        .await
        .expect("audit");
    assert_eq!(audit[0].fields.action, AuditAction::CitizenSearched.code());
    assert_eq!(audit[0].fields.subject_citizen_id, Some(f.citizen));

    // Searches are limited per user: the 31st in ten minutes is refused, and recorded.
    let mut made = 9;
    let refused = loop {
        made += 1;
        let r = b.post("/citizens/search", &[("q", "710585-2345")]).await;
        if r.status().as_u16() == 429 {
            let html = r.text().await.expect("body");
            assert!(html.contains("Du har søgt mange gange på kort tid"));
            break made;
        }
        assert_eq!(r.status().as_u16(), 200);
        assert!(made < 40, "never limited");
    };
    assert_eq!(refused, 31);
    let audit = app
        .store()
        .recent_audit(f.holstebro.0, 1)
        .await
        .expect("audit");
    assert_eq!(
        audit[0].fields.action,
        AuditAction::SearchRateLimited.code()
    );
    app.clock.advance_ms(10 * 60 * 1000);
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    let r = b.post("/citizens/search", &[("q", "710585-2345")]).await;
    assert_eq!(r.status().as_u16(), 200, "a new window");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coordinator_records_target_groups_and_legal_frame() {
    let app = app("course_frame").await;
    let f = fixture(app.store(), false).await;
    let (b, course) = coordinator_opens_course(&app, f.citizen.0).await;
    let r = b
        .post(
            &format!("{course}/frame"),
            &[
                ("target_groups", "dual_diagnosis"),
                ("target_groups", "frequent_readmissions"),
                ("legal_frames", "psykiatriloven"),
                ("legal_frames", "not-a-law"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let id = bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    let c = app
        .store()
        .course(&bro_store::AuditCtx::system(0, 0, "test"), id)
        .await
        .expect("course");
    assert_eq!(
        c.target_groups,
        [
            bro_domain::TargetGroup::DualDiagnosis,
            bro_domain::TargetGroup::FrequentReadmissions
        ]
    );
    assert_eq!(
        c.legal_frames,
        [bro_domain::LegalFrame::Psykiatriloven],
        "unknown codes are ignored"
    );
    let (_, html) = b.get_text(&course).await;
    assert!(html.contains("Målgrupper og lovgrundlag ændret"));
    // A team member who does not coordinate cannot change it.
    let staff = format!("{}:{}", f.prof_r.0, f.region_unit.0);
    b.post(
        &format!("{course}/members"),
        &[
            ("staff", &staff),
            ("role", "psychiatrist"),
            ("kind", "fixed"),
            ("phone", "78 43 00 00"),
        ],
    )
    .await;
    let pia = app.browser();
    pia.login("prof-r", FIXTURE_PASSWORD).await;
    assert_eq!(
        pia.post(&format!("{course}/frame"), &[("target_groups", "under_18")])
            .await
            .status()
            .as_u16(),
        404
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizens_network_is_recorded_with_what_each_may_see() {
    let app = app("course_network").await;
    let f = fixture(app.store(), false).await;
    let (b, course) = coordinator_opens_course(&app, f.citizen.0).await;
    let r = b
        .post(
            &format!("{course}/network"),
            &[
                ("network_name", ""),
                ("relation", ""),
                ("network_phone", "12"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("Feltet skal udfyldes") && html.contains("8 til 15 cifre"));
    let r = b
        .post(
            &format!("{course}/network"),
            &[
                ("network_name", "Inge Nørgaard"),
                ("relation", "Mor"),
                ("network_phone", "20 30 40 50"),
                ("may_see", "plan"),
                ("may_see", "crisis_plan"),
                ("may_see", "bogus"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let id = bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    let ctx = bro_store::AuditCtx::system(0, 0, "test");
    let network = app.store().course(&ctx, id).await.expect("course").network;
    assert_eq!(network.len(), 1);
    assert_eq!(
        network[0].may_see,
        [
            bro_domain::ShareCategory::Plan,
            bro_domain::ShareCategory::CrisisPlan
        ]
    );
    let (_, html) = b.get_text(&course).await;
    assert!(html.contains("Inge Nørgaard") && html.contains("Må se: Planen, Kriseplanen"));
    // An id from nowhere (or another citizen's network) is not found.
    assert_eq!(
        b.post(&format!("{course}/network/99999/remove"), &[])
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        b.post(&format!("{course}/network/{}/remove", network[0].id), &[])
            .await
            .status()
            .as_u16(),
        303
    );
    assert!(
        app.store()
            .course(&ctx, id)
            .await
            .expect("course")
            .network
            .is_empty()
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_loses_the_course_with_the_role_in_the_members_unit() {
    let app = app("course_role_revoked").await;
    let f = fixture(app.store(), false).await;
    let (coordinator, course) = coordinator_opens_course(&app, f.citizen.0).await;
    let staff = format!("{}:{}", f.prof_r.0, f.region_unit.0);
    coordinator
        .post(
            &format!("{course}/members"),
            &[
                ("staff", &staff),
                ("role", "psychiatrist"),
                ("kind", "fixed"),
                ("phone", "78 43 00 00"),
            ],
        )
        .await;
    // Pia moves to another unit of the region: new role there, the old one revoked.
    let ctx = bro_store::AuditCtx::system(f.region.0, 0, "test");
    let ward = app
        .store()
        .create_unit(
            &ctx,
            bro_store::NewUnit {
                org_id: f.region,
                name: bro_domain::Name::parse("Sengeafsnit P2").expect("name"),
                kind: bro_domain::UnitKind::Ward,
            },
        )
        .await
        .expect("unit");
    app.store()
        .grant_role(&ctx, f.prof_r, ward, bro_domain::Role::Professional)
        .await
        .expect("grant");
    let old = app
        .store()
        .roles(f.prof_r)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.unit_id == f.region_unit)
        .expect("old role");
    app.store()
        .revoke_role(&ctx, f.prof_r, old.id)
        .await
        .expect("revoke");
    let pia = app.browser();
    pia.login("prof-r", FIXTURE_PASSWORD).await;
    assert_eq!(
        pia.get_text(&course).await.0,
        404,
        "membership ends with the role in that unit"
    );
    assert!(!pia.get_text("/courses").await.1.contains("Mads"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collaboration_names_its_own_phases_and_courses_follow_them() {
    let app = app("course_collaboration").await;
    let f = fixture(app.store(), false).await;
    let admin = app.browser();
    admin.login("admin-h", FIXTURE_PASSWORD).await;
    let (status, html) = admin.get_text("/admin/collaborations").await;
    assert_eq!(status, 200);
    assert!(html.contains("Jeres organisation er ikke med i et samarbejde endnu"));

    // Bad input is refused by the field, and what was typed stays.
    let r = admin
        .post(
            "/admin/collaborations",
            &[("name", "Fælles Team Holstebro"), ("phases", "Kun én fase")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("Vælg mindst én anden organisation"));
    assert!(html.contains("Skriv mindst to faser, én pr. linje"));
    assert!(html.contains("Kun én fase"));
    let r = admin
        .post(
            "/admin/collaborations",
            &[
                ("name", "Fælles Team Holstebro"),
                ("partners", &f.region.0.to_string()),
                ("phases", "Indsats\nindsats"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("To faser har samme navn")
    );
    let r = admin
        .post(
            "/admin/collaborations",
            &[
                ("name", "Fælles Team Holstebro"),
                ("partners", "999999"),
                ("phases", "Henvisning\nIndsats"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "an unknown organisation");

    let r = admin
        .post(
            "/admin/collaborations",
            &[
                ("name", "Fælles Team Holstebro"),
                ("partners", &f.region.0.to_string()),
                (
                    "phases",
                    "Henvisning til Fælles Team\nFælles udredning\n\nIndsats",
                ),
            ],
        )
        .await;
    assert_eq!(location(&r), "/admin/collaborations");
    let (_, html) = admin.get_text("/admin/collaborations").await;
    assert!(html.contains("Fælles udredning") && html.contains("Region Midtjylland"));
    let id = {
        let at = html.find("/admin/collaborations/").expect("change form") + 22;
        html[at..].split('/').next().expect("id").to_owned()
    };

    // The coordinator starts a course that follows the collaboration's phases.
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    let html = b
        .post("/citizens/search", &[("q", "710585-2345")])
        .await
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("Fælles Team Holstebro") && html.contains("Samarbejdsmodellens seks faser")
    );
    let citizen = f.citizen.0.to_string();
    let r = b
        .post(
            "/courses",
            &[("citizen", &citizen), ("collaboration", "999999")],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        404,
        "a collaboration one is not part of"
    );
    let r = b
        .post("/courses", &[("citizen", &citizen), ("collaboration", &id)])
        .await;
    let course = location(&r);
    let (_, html) = b.get_text(&course).await;
    assert!(
        html.contains("Henvisning til Fælles Team") && html.contains("(Fælles Team Holstebro)")
    );
    assert!(
        !html.contains("Opsporing og henvisning"),
        "not the default phases"
    );
    let r = b
        .post(
            &format!("{course}/phase"),
            &[("from", "step-1"), ("to", "step-3")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let r = b
        .post(
            &format!("{course}/phase"),
            &[("from", "identification"), ("to", "assessment")],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        422,
        "a default phase is not one of this course's"
    );
    let r = b
        .post(
            &format!("{course}/phase"),
            &[("from", "step-1"), ("to", "step-2")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    // The partner's admin changes the phases: the running course keeps its own.
    let region_admin = app.browser();
    region_admin.login("admin-r", FIXTURE_PASSWORD).await;
    let phases = format!("/admin/collaborations/{id}/phases");
    let r = region_admin.post(&phases, &[("phases", "\n")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Skriv mindst to faser")
    );
    let r = region_admin
        .post(&phases, &[("phases", "Visitation\nBehandling\nOpfølgning")])
        .await;
    assert_eq!(location(&r), "/admin/collaborations");
    let (_, html) = b.get_text(&course).await;
    assert!(html.contains("<strong>Fælles udredning</strong>"));
    let (_, html) = b.get_text("/courses").await;
    assert!(
        html.contains("Fælles udredning"),
        "the overview names the course's own phase"
    );
    // Not the admin's collaboration, not the admin's page.
    let r = region_admin
        .post("/admin/collaborations/999999/phases", &[("phases", "a\nb")])
        .await;
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(b.get_text("/admin/collaborations").await.0, 404);
    app.stop().await;
}
