//! The coordinated plan over HTTP: writing it, versions and comparison, concurrent edits with
//! nothing lost, and the citizen's own view with goals kept in their own words.

use bro_audit::{AuditAction, Outcome};
use bro_domain::consent::{ConsentForm, GivenBy};
use bro_domain::{Clock, CourseRole, ShareCategory};
use bro_store::{AuditCtx, NewCourse, NewMember};
use bro_testkit::{Backend, Browser, FIXTURE_PASSWORD, Fixture, TestApp, fixture, location};

/// A course for the fixture's citizen, coordinated by `koord`, with `prof-r` on the team.
pub(crate) async fn course(app: &TestApp, f: &Fixture) -> String {
    let ctx = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    let member = |user, org, unit, role| NewMember {
        user_id: user,
        org_id: org,
        unit_id: unit,
        role,
        fixed: true,
        phone: "96 11 75 00".into(),
        mail: String::new(),
        hours: String::new(),
    };
    let new = NewCourse {
        citizen_id: f.citizen,
        target_groups: vec![],
        legal_frames: vec![],
        coordinator: member(
            f.koord,
            f.holstebro,
            f.holstebro_unit,
            CourseRole::SubstanceAbuseCounsellor,
        ),
        collaboration: None,
        handover_reason: None,
    };
    let id = app.store().open_course(&ctx, new).await.expect("course");
    app.store()
        .add_member(
            &ctx,
            id,
            member(f.prof_r, f.region, f.region_unit, CourseRole::Psychiatrist),
        )
        .await
        .expect("member");
    format!("/courses/{}", id.0)
}

/// The same course, with the citizen's consent for the region to see the plan and the crisis
/// plan (the region's professional is on the team; the course is held by the municipality).
pub(crate) async fn course_with_consent(app: &TestApp, f: &Fixture) -> String {
    let path = course(app, f).await;
    consent_to_region(app, f, vec![ShareCategory::Plan, ShareCategory::CrisisPlan]).await;
    path
}

/// The citizen's oral consent, recorded by `koord`, to share `categories` with the region.
pub(crate) async fn consent_to_region(app: &TestApp, f: &Fixture, categories: Vec<ShareCategory>) {
    let recorder = AuditCtx {
        actor_user_id: Some(f.koord),
        ..AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "care-team")
    };
    let consent = bro_store::NewConsent {
        citizen_id: f.citizen,
        course_id: None,
        orgs: vec![f.region],
        categories,
        form: ConsentForm::Oral,
        given_by: GivenBy::Citizen,
        givers: vec![],
        guardian_scope: String::new(),
        witness: String::new(),
        witness_org: None,
        valid_from_ms: app.clock.now_ms(),
        valid_to_ms: None,
        document: None,
    };
    app.store()
        .record_consent(&recorder, consent)
        .await
        .expect("consent");
}

pub(crate) async fn logged_in(app: &TestApp, user: &str) -> Browser {
    let b = app.browser();
    assert_eq!(location(&b.login(user, FIXTURE_PASSWORD).await), "/");
    b
}

/// The plan version a page's forms are based on.
pub(crate) fn version_of(html: &str) -> String {
    version_in(html)
}

fn version_in(html: &str) -> String {
    let marker = "name=\"base_version\" value=\"";
    let at = html.find(marker).expect("base version") + marker.len();
    html[at..].split('"').next().expect("value").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_writes_the_plan_in_versions_and_compares_them() {
    let app = TestApp::spawn(Backend::Sqlite, "plan_versions")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let b = logged_in(&app, "koord").await;
    let (status, html) = b.get_text(&plan).await;
    assert_eq!(status, 200);
    assert!(html.contains("Planen er ikke skrevet endnu."));
    assert_eq!(version_in(&html), "0");

    let r = b
        .post(
            &format!("{plan}/goals"),
            &[
                ("base_version", "0"),
                ("owner", "team"),
                ("text", "Stabil bolig inden sommer"),
                ("life_area", "housing"),
                ("target_date", "2027-06-01"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    // Bad input: each refused with a reason by the field, nothing saved.
    for (fields, message) in [
        (
            vec![("owner", "team"), ("text", "   "), ("life_area", "housing")],
            "Feltet skal udfyldes",
        ),
        (
            vec![
                ("owner", "team"),
                ("text", "Mål"),
                ("life_area", "housing"),
                ("target_date", "2027-02-30"),
            ],
            "Skriv en dato som åååå-mm-dd",
        ),
    ] {
        let mut form = vec![("base_version", "1")];
        form.extend(fields);
        let r = b.post(&format!("{plan}/goals"), &form).await;
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.expect("body").contains(message), "{message}");
    }
    let intervention = |org: &'static str, start: &'static str, end: &'static str| {
        vec![
            ("base_version", "1"),
            ("title", "Bostøtte"),
            ("goal_ids", "1"),
            ("responsible_org", org),
            ("legal_basis", "Serviceloven § 85"),
            ("frequency", "2 gange om ugen"),
            ("start", start),
            ("end", end),
            ("status", "planned"),
            ("next_step", "Første besøg"),
        ]
    };
    let r = b
        .post(&format!("{plan}/interventions"), &intervention("", "", ""))
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Angiv den ansvarlige organisation eller person")
    );
    let r = b
        .post(
            &format!("{plan}/interventions"),
            &intervention("Holstebro Kommune", "2026-12-01", "2026-11-01"),
        )
        .await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Slutdatoen ligger før startdatoen")
    );
    let r = b
        .post(
            &format!("{plan}/interventions"),
            &intervention("Holstebro Kommune", "2026-12-01", "2027-06-01"),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    // The review: not in the past, at most six months ahead (the test clock says 2026-11-25).
    for (day, message) in [
        ("2026-11-01", "Datoen er passeret"),
        ("2027-09-01", "senest om 6 måneder"),
    ] {
        let r = b
            .post(
                &format!("{plan}/review"),
                &[("base_version", "2"), ("review_date", day)],
            )
            .await;
        assert!(r.text().await.expect("body").contains(message), "{day}");
    }
    let r = b
        .post(
            &format!("{plan}/review"),
            &[("base_version", "2"), ("review_date", "2027-02-01")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    let (_, html) = b.get_text(&plan).await;
    assert!(html.contains("Version 3"));
    assert!(html.contains("Bostøtte") && html.contains("Serviceloven § 85"));
    let (status, html) = b.get_text(&format!("{plan}/history?a=1&b=2")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("diff-added") && html.contains("intervention 1 [planned; goals 1]: Bostøtte")
    );
    assert!(html.contains("diff-same") && html.contains("Stabil bolig inden sommer"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrent_edit_is_refused_and_nothing_typed_is_lost() {
    let app = TestApp::spawn(Backend::Sqlite, "plan_concurrency")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course_with_consent(&app, &f).await;
    let plan = format!("{course}/plan");
    let karen = logged_in(&app, "koord").await;
    let pia = logged_in(&app, "prof-r").await;
    // Both open the plan at the same version.
    let base = version_in(&karen.get_text(&plan).await.1);
    assert_eq!(base, version_in(&pia.get_text(&plan).await.1));
    let crisis = |helps: &'static str| {
        vec![
            ("warning_signs", "Sover dårligt"),
            ("what_helps", helps),
            ("what_does_not_help", ""),
            ("contacts", ""),
            ("medication", ""),
            ("wishes", ""),
        ]
    };
    let mut karens = crisis("Gåture med hunden");
    karens.push(("base_version", &base));
    assert_eq!(
        karen
            .post(&format!("{plan}/crisis"), &karens)
            .await
            .status()
            .as_u16(),
        303
    );

    let mut pias = crisis("Ro og musik");
    pias.push(("base_version", &base));
    let r = pia.post(&format!("{plan}/crisis"), &pias).await;
    assert_eq!(r.status().as_u16(), 409);
    let html = r.text().await.expect("body");
    assert!(html.contains("En anden har ændret det samme imens"));
    assert!(html.contains("Karen Koordinator"), "whose change it was");
    assert!(
        html.contains(">Ro og musik</textarea>"),
        "what Pia typed is still in the form"
    );
    assert!(
        html.contains("<td>Gåture med hunden</td>"),
        "Karen's version is shown"
    );
    // Nothing was overwritten.
    let id = bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    let ctx = AuditCtx::system(0, 0, "test");
    let saved = app
        .store()
        .plan(&ctx, id)
        .await
        .expect("plan")
        .expect("exists");
    assert_eq!(saved.content.crisis.what_helps, "Gåture med hunden");

    // A goal added from the old version is another part of the plan: it goes in on top.
    let r = pia
        .post(
            &format!("{plan}/goals"),
            &[
                ("base_version", &base),
                ("owner", "team"),
                ("text", "Færre indlæggelser"),
                ("life_area", "health"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let saved = app
        .store()
        .plan(&ctx, id)
        .await
        .expect("plan")
        .expect("exists");
    assert_eq!(saved.content.crisis.what_helps, "Gåture med hunden");
    assert_eq!(saved.content.goals.len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_reads_the_plan_and_adds_goals_in_their_own_words() {
    let app = TestApp::spawn(Backend::Sqlite, "plan_citizen")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let koord = logged_in(&app, "koord").await;
    koord
        .post(
            &format!("{plan}/goals"),
            &[
                ("base_version", "0"),
                ("owner", "team"),
                ("text", "Stabil bolig"),
                ("life_area", "housing"),
            ],
        )
        .await;

    let me = logged_in(&app, "citizen").await;
    let (_, html) = me.get_text("/me").await;
    assert!(html.contains("Min plan") && html.contains("Stabil bolig"));
    assert!(
        html.contains("Karen Koordinator") && html.contains("96 11 75 00"),
        "whom to call"
    );
    let words = "  Jeg vil have min egen lejlighed – og en hund! <3  ";
    let r = me
        .post("/me/goals", &[("text", words), ("life_area", "housing")])
        .await;
    assert_eq!(location(&r), "/me");
    let r = me.post("/me/goals", &[("text", "   ")]).await;
    assert_eq!(r.status().as_u16(), 422);

    let id = bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    let ctx = AuditCtx::system(0, 0, "test");
    let saved = app
        .store()
        .plan(&ctx, id)
        .await
        .expect("plan")
        .expect("exists");
    let goal = saved
        .content
        .goals
        .iter()
        .find(|g| g.owner == bro_domain::plan::GoalOwner::Citizen)
        .expect("own goal");
    assert_eq!(
        goal.text, "Jeg vil have min egen lejlighed – og en hund! <3",
        "verbatim, only trimmed"
    );
    let (_, html) = koord.get_text(&plan).await;
    assert!(html.contains("Borgerens egne ord"));
    assert!(html.contains("Jeg vil have min egen lejlighed – og en hund! &#60;3"));

    let r = me
        .post("/me/agree", &[("version", &saved.version.to_string())])
        .await;
    assert_eq!(location(&r), "/me");
    let (_, html) = me.get_text("/me").await;
    assert!(html.contains(&format!(
        "Du har sagt, at du er enig i version {}.",
        saved.version
    )));
    // The citizen's own view is not the team's page.
    assert_eq!(me.get_text(&plan).await.0, 404);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_team_reads_or_writes_the_plan() {
    let app = TestApp::spawn(Backend::Sqlite, "plan_access")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let admin = logged_in(&app, "admin-h").await;
    assert_eq!(admin.get_text(&plan).await.0, 404);
    let r = admin
        .post(
            &format!("{plan}/goals"),
            &[
                ("base_version", "0"),
                ("owner", "team"),
                ("text", "x"),
                ("life_area", "housing"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    let denied = app
        .store()
        .recent_audit(f.holstebro.0, 1)
        .await
        .expect("audit");
    assert_eq!(denied[0].fields.action, AuditAction::AccessDenied.code());
    assert_eq!(denied[0].fields.outcome, Outcome::Denied);
    assert_eq!(denied[0].fields.subject_citizen_id, Some(f.citizen));
    let id = bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    assert!(
        app.store()
            .plan(&AuditCtx::system(0, 0, "test"), id)
            .await
            .expect("plan")
            .is_none(),
        "nothing saved"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discharge_agreement_is_complete_only_with_every_mandatory_field() {
    let app = TestApp::spawn(Backend::Sqlite, "plan_13a")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let b = logged_in(&app, "koord").await;
    let id = bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    let ctx = AuditCtx::system(0, 0, "test");
    let version = || async {
        app.store()
            .plan(&ctx, id)
            .await
            .expect("plan")
            .map_or(0, |p| p.version)
            .to_string()
    };

    let r = b
        .post(
            &format!("{plan}/kind"),
            &[
                ("base_version", "0"),
                ("kind", "discharge_agreement_13a"),
                ("complete", "1"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("Før planen kan markeres fuldstændig, mangler:"));
    for missing in [
        "mindst ét mål",
        "borgerens eget mål med egne ord",
        "mindst én indsats",
        "tidlige tegn på krise",
        "kontakt dag og nat",
        "aftaler om medicin",
        "en revurderingsdato",
        "hvem der må beslutte hvad",
    ] {
        assert!(html.contains(missing), "{missing}");
    }
    assert!(
        app.store().plan(&ctx, id).await.expect("plan").is_none(),
        "nothing saved"
    );

    // Fill the plan in, part by part.
    b.post(
        &format!("{plan}/goals"),
        &[
            ("base_version", &version().await),
            ("owner", "citizen"),
            ("text", "Jeg vil hjem til min kat"),
            ("life_area", "housing"),
        ],
    )
    .await;
    b.post(
        &format!("{plan}/interventions"),
        &[
            ("base_version", &version().await),
            ("title", "Bostøtte"),
            ("responsible_org", "Holstebro Kommune"),
            ("status", "planned"),
        ],
    )
    .await;
    b.post(
        &format!("{plan}/crisis"),
        &[
            ("base_version", &version().await),
            ("warning_signs", "Sover dårligt"),
            ("contacts", "Akutteam 78 47 00 00"),
            ("medication", "Aftalt med egen læge"),
        ],
    )
    .await;
    let r = b
        .post(
            &format!("{plan}/authority"),
            &[
                ("base_version", &version().await),
                ("decision", "Ændring af medicin"),
                ("who", ""),
                ("escalation", "Ledende overlæge"),
                ("response_time", "Samme dag"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "who decides is required");
    b.post(
        &format!("{plan}/authority"),
        &[
            ("base_version", &version().await),
            ("decision", "Ændring af medicin"),
            ("who", "Overlæge, Regionspsykiatrien Vest"),
            ("escalation", "Ledende overlæge"),
            ("response_time", "Samme dag"),
        ],
    )
    .await;
    b.post(
        &format!("{plan}/review"),
        &[
            ("base_version", &version().await),
            ("review_date", "2027-01-15"),
        ],
    )
    .await;

    let r = b
        .post(
            &format!("{plan}/kind"),
            &[
                ("base_version", &version().await),
                ("kind", "discharge_agreement_13a"),
                ("complete", "1"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let saved = app
        .store()
        .plan(&ctx, id)
        .await
        .expect("plan")
        .expect("exists");
    assert!(saved.content.completed);
    assert_eq!(
        saved.content.kind,
        bro_domain::plan::PlanKind::DischargeAgreement
    );
    assert_eq!(
        saved.content.authorities[0].who,
        "Overlæge, Regionspsykiatrien Vest"
    );

    // A later change means the new version must be checked again.
    b.post(
        &format!("{plan}/goals"),
        &[
            ("base_version", &version().await),
            ("owner", "team"),
            ("text", "Fast læge"),
            ("life_area", "health"),
        ],
    )
    .await;
    assert!(
        !app.store()
            .plan(&ctx, id)
            .await
            .expect("plan")
            .expect("exists")
            .content
            .completed
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_and_the_team_comment_on_the_plan() {
    let app = TestApp::spawn(Backend::Sqlite, "plan_comments")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let me = logged_in(&app, "citizen").await;
    let r = me.post("/me/comments", &[("comment", "  ")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = me
        .post(
            "/me/comments",
            &[("comment", "Jeg vil hellere mødes om eftermiddagen <b>")],
        )
        .await;
    assert_eq!(location(&r), "/me");
    let koord = logged_in(&app, "koord").await;
    let r = koord
        .post(
            &format!("{plan}/comments"),
            &[("comment", "Det kan vi godt")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = koord.get_text(&plan).await;
    assert!(html.contains("Jeg vil hellere mødes om eftermiddagen &#60;b&#62;"));
    assert!(html.contains("Det kan vi godt"));
    let (_, html) = me.get_text("/me").await;
    assert!(
        html.contains("Det kan vi godt"),
        "the citizen sees the team's answer"
    );
    // Outsiders cannot comment.
    let admin = logged_in(&app, "admin-h").await;
    assert_eq!(
        admin
            .post(&format!("{plan}/comments"), &[("comment", "x")])
            .await
            .status()
            .as_u16(),
        404
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interventions_move_along_and_concurrent_changes_to_one_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite, "plan_intervention_status")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course_with_consent(&app, &f).await;
    let plan = format!("{course}/plan");
    let karen = logged_in(&app, "koord").await;
    for title in ["Bostøtte", "Jobafklaring"] {
        let v = version_in(&karen.get_text(&plan).await.1);
        let r = karen
            .post(
                &format!("{plan}/interventions"),
                &[
                    ("base_version", &v),
                    ("title", title),
                    ("responsible_org", "Holstebro Kommune"),
                    ("status", "planned"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
    }
    let pia = logged_in(&app, "prof-r").await;
    let base = version_in(&karen.get_text(&plan).await.1);
    // Karen starts intervention 1; Pia, from the same version, pauses it: refused.
    let r = karen
        .post(
            &format!("{plan}/interventions/1"),
            &[
                ("base_version", &base),
                ("status", "active"),
                ("next_step", "Første besøg mandag"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = pia
        .post(
            &format!("{plan}/interventions/1"),
            &[
                ("base_version", &base),
                ("status", "paused"),
                ("next_step", "Afventer"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    // Intervention 2 was not touched meanwhile: Pia's change to it goes through.
    let r = pia
        .post(
            &format!("{plan}/interventions/2"),
            &[
                ("base_version", &base),
                ("status", "ended"),
                ("next_step", ""),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let id = bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    let saved = app
        .store()
        .plan(&AuditCtx::system(0, 0, "test"), id)
        .await
        .expect("plan")
        .expect("exists")
        .content;
    assert_eq!(
        saved.interventions[0].status,
        bro_domain::plan::InterventionStatus::Active
    );
    assert_eq!(saved.interventions[0].next_step, "Første besøg mandag");
    assert_eq!(
        saved.interventions[1].status,
        bro_domain::plan::InterventionStatus::Ended
    );
    assert_eq!(
        pia.post(
            &format!("{plan}/interventions/99"),
            &[("base_version", &base), ("status", "active")]
        )
        .await
        .status()
        .as_u16(),
        404
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_prints_as_pdf_for_the_team_and_the_citizen() {
    let app = TestApp::spawn(Backend::Sqlite, "plan_pdf")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let koord = logged_in(&app, "koord").await;
    koord
        .post(
            &format!("{plan}/goals"),
            &[
                ("base_version", "0"),
                ("owner", "team"),
                ("text", "Stabil bolig inden sommer"),
                ("life_area", "housing"),
            ],
        )
        .await;
    koord
        .post(
            &format!("{plan}/crisis"),
            &[
                ("base_version", "1"),
                ("warning_signs", "Søvnløshed og isolation"),
                ("contacts", "Psykiatrisk akutmodtagelse, døgnåbent"),
            ],
        )
        .await;
    let me = logged_in(&app, "citizen").await;
    let own = "Jeg vil være ædru og bo på Østergade – med min kat!";
    me.post("/me/goals", &[("text", own), ("life_area", "housing")])
        .await;

    let r = koord.get(&format!("{plan}/pdf/team")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let disposition = r.headers()["content-disposition"].to_str().expect("ascii");
    assert!(
        disposition.starts_with("attachment; filename=\"plan-") && !disposition.contains("Mads"),
        "no personal data in the file name: {disposition}"
    );
    let team = bro_testkit::pdf_text(&r.bytes().await.expect("pdf"));
    for expected in [
        "Fælles plan for Mads Nørgaard",
        "710585-2345",
        "Version 3",
        "Borgerens egne ord",
        own,
        "Stabil bolig inden sommer",
        "Søvnløshed og isolation",
        "Psykiatrisk akutmodtagelse, døgnåbent",
        "Karen Koordinator",
        "96 11 75 00",
    ] {
        assert!(
            team.contains(expected),
            "{expected:?} missing from:\n{team}"
        );
    }

    let r = koord.get(&format!("{plan}/pdf/citizen")).await;
    assert_eq!(r.status().as_u16(), 200);
    let plain = bro_testkit::pdf_text(&r.bytes().await.expect("pdf"));
    for expected in [
        "Min plan – Mads Nørgaard",
        "Mine mål",
        own,
        "Hvem du kan ringe til",
    ] {
        assert!(
            plain.contains(expected),
            "{expected:?} missing from:\n{plain}"
        );
    }

    let r = me.get("/me/plan.pdf").await;
    assert_eq!(r.status().as_u16(), 200);
    let mine = bro_testkit::pdf_text(&r.bytes().await.expect("pdf"));
    assert!(mine.contains(own), "{mine}");
    assert!(mine.contains("Version 3"), "{mine}");

    // English when chosen.
    koord
        .post("/language", &[("lang", "en"), ("back", "/")])
        .await;
    let r = koord.get(&format!("{plan}/pdf/citizen")).await;
    let english = bro_testkit::pdf_text(&r.bytes().await.expect("pdf"));
    assert!(english.contains("My plan – Mads Nørgaard"), "{english}");

    // Only the team prints the team's plan, and a refusal is audited.
    assert_eq!(
        koord
            .get(&format!("{plan}/pdf/other"))
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        me.get(&format!("{plan}/pdf/team")).await.status().as_u16(),
        404
    );
    let admin = logged_in(&app, "admin-h").await;
    assert_eq!(
        admin
            .get(&format!("{plan}/pdf/team"))
            .await
            .status()
            .as_u16(),
        404
    );
    let denied = app
        .store()
        .recent_audit(f.holstebro.0, 1)
        .await
        .expect("audit");
    assert_eq!(denied[0].fields.action, AuditAction::AccessDenied.code());
    assert_eq!(denied[0].fields.subject_citizen_id, Some(f.citizen));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goals_are_reworded_by_their_owner_and_progress_is_noted() {
    let app = TestApp::spawn(Backend::Sqlite, "plan_goals")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course_with_consent(&app, &f).await;
    let plan = format!("{course}/plan");
    let koord = logged_in(&app, "koord").await;
    let prof = logged_in(&app, "prof-r").await;
    let me = logged_in(&app, "citizen").await;
    koord
        .post(
            &format!("{plan}/goals"),
            &[
                ("base_version", "0"),
                ("owner", "team"),
                ("text", "Stabil bolig"),
                ("life_area", "housing"),
            ],
        )
        .await;
    me.post(
        "/me/goals",
        &[("text", "Jeg vil have en hund"), ("life_area", "relations")],
    )
    .await;
    let shared = format!("{plan}/goals/1");
    let own = format!("{plan}/goals/2");

    // Two team members open the shared goal at the same version.
    let (status, page) = koord.get_text(&shared).await;
    assert_eq!(status, 200);
    let base = version_in(&page);
    assert_eq!(base, "2");
    // A progress note meanwhile is no conflict for a rewording.
    let r = prof
        .post(
            &format!("{own}/notes"),
            &[
                ("base_version", "2"),
                ("note", "Har talt med udlejer om husdyr"),
            ],
        )
        .await;
    assert_eq!(location(&r), own);
    let r = koord
        .post(
            &shared,
            &[
                ("base_version", &base),
                ("text", "Stabil bolig med bostøtte"),
                ("life_area", "housing"),
                ("target_date", "2027-03-01"),
            ],
        )
        .await;
    assert_eq!(location(&r), shared);
    // The second rewording on the same base is refused; what was typed stays on screen.
    let r = prof
        .post(
            &shared,
            &[
                ("base_version", &base),
                ("text", "Egen lejlighed i Holstebro"),
                ("life_area", "housing"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    let html = r.text().await.expect("body");
    assert!(
        html.contains("En anden har ændret det samme imens")
            && html.contains("Egen lejlighed i Holstebro")
    );

    // The team never rewords the citizen's own words, but may note progress on them.
    let r = koord
        .post(
            &own,
            &[
                ("base_version", "4"),
                ("text", "Borgeren ønsker kæledyr"),
                ("life_area", "relations"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Borgerens egne ord ændres kun af borgeren")
    );
    let r = koord
        .post(
            &format!("{own}/notes"),
            &[("base_version", "4"), ("note", " ")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(koord.get_text(&format!("{plan}/goals/99")).await.0, 404);

    let (_, html) = koord.get_text(&plan).await;
    assert!(
        html.contains("Stabil bolig med bostøtte")
            && html.contains("Har talt med udlejer om husdyr")
    );

    // The citizen rewords their own goal, on their own page, kept verbatim.
    let (status, html) = me.get_text("/me/goals/2").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Har talt med udlejer om husdyr"),
        "the citizen sees the progress"
    );
    let base = version_in(&html);
    let r = me
        .post(
            "/me/goals/2",
            &[
                ("base_version", &base),
                ("text", "Jeg vil have en lille hund – en gravhund!"),
                ("life_area", "relations"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/me");
    // ... and not the team's, nor the team's pages.
    assert_eq!(me.get_text("/me/goals/1").await.0, 404);
    assert_eq!(me.get_text(&own).await.0, 404);
    // Reworded again from a stale page: refused, typed text kept.
    let r = me
        .post(
            "/me/goals/2",
            &[("base_version", &base), ("text", "Bare en kat")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    assert!(r.text().await.expect("body").contains("Bare en kat"));

    let id = bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    let saved = app
        .store()
        .plan(&AuditCtx::system(0, 0, "test"), id)
        .await
        .expect("plan")
        .expect("exists")
        .content;
    let own_goal = saved.goal(2).expect("own goal");
    assert_eq!(own_goal.text, "Jeg vil have en lille hund – en gravhund!");
    assert_eq!(own_goal.owner, bro_domain::plan::GoalOwner::Citizen);
    assert_eq!(own_goal.notes.len(), 1);
    assert_eq!(own_goal.notes[0].author, "Pia Fagperson");
    assert_eq!(
        saved.goal(1).expect("shared").text,
        "Stabil bolig med bostøtte"
    );
    app.stop().await;
}
