//! Consents over HTTP: the team records them (written with the signed document, or oral), bad
//! input is refused by the field, the citizen sees them in plain words, gives one digitally and
//! withdraws one, with effect from the next request. Outsiders are refused and audited.

use crate::http_plan::{course, logged_in};
use bro_audit::{AuditAction, Outcome};
use bro_domain::Clock;
use bro_testkit::{Backend, TestApp, fixture, location};

/// The holder's coordinator writes a shared goal ("Stabil bolig") and a crisis plan ("Sover
/// dårligt"), so tests can see which of the two reaches whom.
async fn write_goal_and_crisis_plan(koord: &bro_testkit::Browser, plan: &str) {
    let sections: [(&str, &[(&str, &str)]); 2] = [
        (
            "goals",
            &[
                ("owner", "team"),
                ("text", "Stabil bolig"),
                ("life_area", "housing"),
            ],
        ),
        (
            "crisis",
            &[("warning_signs", "Sover dårligt"), ("contacts", "Akutteam")],
        ),
    ];
    for (section, fields) in sections {
        let (_, html) = koord.get_text(plan).await;
        let base = crate::http_plan::version_of(&html);
        let mut form = fields.to_vec();
        form.push(("base_version", &base));
        let r = koord.post(&format!("{plan}/{section}"), &form).await;
        assert_eq!(r.status().as_u16(), 303, "{section} saved");
    }
}

const SIGNED: &[u8] = b"%PDF-1.4\n% signed consent, scanned\n%%EOF\n";

async fn consents_are_recorded_shown_and_withdrawn(backend: Backend) {
    let app = match TestApp::spawn(backend, "consents").await {
        Some(app) => app,
        None => return, // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let consents = format!("{course}/consents");
    let koord = logged_in(&app, "koord").await;
    let (status, html) = koord.get_text(&consents).await;
    assert_eq!(status, 200);
    assert!(html.contains("Der er ikke registreret samtykker."));

    // Everything wrong at once: each reason by its field, what was typed kept.
    let r = koord
        .post_multipart(
            &consents,
            &[
                ("form", "written"),
                ("given_by", "citizen"),
                ("witness", "Bente Bostøtte"),
                ("valid_from", "2026-11-25"),
                ("valid_to", "2026-11-01"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.expect("body");
    for message in [
        "Vælg mindst én organisation",
        "Vælg mindst én slags oplysninger",
        "Slutdatoen ligger før startdatoen",
        "Et skriftligt samtykke kræver det underskrevne dokument",
        "Bente Bostøtte",
    ] {
        assert!(html.contains(message), "{message:?} missing");
    }
    let region = f.region.0.to_string();
    // An oral consent always names who else heard it.
    let oral = [
        ("orgs", region.as_str()),
        ("categories", "plan"),
        ("form", "oral"),
        ("given_by", "citizen"),
        ("valid_from", "2026-11-01"),
    ];
    let r = koord.post_multipart(&consents, &oral, None).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Et mundtligt samtykke kræver et vidne")
    );
    let valid = [
        ("orgs", region.as_str()),
        ("categories", "health"),
        ("categories", "plan"),
        ("form", "written"),
        ("given_by", "citizen"),
        ("valid_from", "2026-11-01"),
    ];
    let r = koord
        .post_multipart(
            &consents,
            &valid,
            Some(("document", "samtykke.txt", b"just text".to_vec())),
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Dokumentet skal være en PDF, JPEG eller PNG")
    );
    let r = koord
        .post_multipart(
            &consents,
            &valid,
            Some(("document", "samtykke.pdf", SIGNED.to_vec())),
        )
        .await;
    assert_eq!(location(&r), consents);
    let (_, html) = koord.get_text(&consents).await;
    assert!(
        html.contains("Region Midtjylland må se: Helbred og behandling, Planen"),
        "{html}"
    );
    assert!(html.contains("Gælder nu") && html.contains("Karen Koordinator"));
    let document = {
        let at = html.find("/document\"").expect("document link");
        let start = html[..at].rfind('"').expect("href") + 1;
        format!("{}/document", &html[start..at])
    };
    let r = koord.get(&document).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.bytes().await.expect("bytes").as_ref(), SIGNED);

    // Someone not on the team neither sees nor records consents; the refusal is audited.
    let admin = logged_in(&app, "admin-h").await;
    assert_eq!(admin.get_text(&consents).await.0, 404);
    let r = admin
        .post_multipart(
            &consents,
            &valid,
            Some(("document", "x.pdf", SIGNED.to_vec())),
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

    // The citizen sees it in plain words, gives one digitally, and withdraws the first.
    let me = logged_in(&app, "citizen").await;
    let (status, html) = me.get_text("/me/consents").await;
    assert_eq!(status, 200);
    assert!(html.contains("Region Midtjylland må se: Helbred og behandling, Planen"));
    let holstebro = f.holstebro.0.to_string();
    let r = me.post("/me/consents", &[("orgs", &holstebro)]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Vælg mindst én slags oplysninger")
    );
    let r = me
        .post(
            "/me/consents",
            &[("orgs", &holstebro), ("categories", "crisis_plan")],
        )
        .await;
    assert_eq!(location(&r), "/me/consents");
    let (_, html) = me.get_text("/me/consents").await;
    assert!(
        html.contains("Holstebro Kommune må se: Kriseplanen") && html.contains("Digitalt i Bro")
    );
    let stored = app
        .store()
        .consents(&bro_store::AuditCtx::system(0, 0, "test"), f.citizen)
        .await
        .expect("consents");
    let written = stored
        .iter()
        .find(|c| c.document_name.is_some())
        .expect("written")
        .id;
    let r = me
        .post(&format!("/me/consents/{written}/withdraw"), &[])
        .await;
    assert_eq!(location(&r), "/me/consents");
    let (_, html) = koord.get_text(&consents).await;
    assert!(
        html.contains("Trukket tilbage") && html.contains("Mads Nørgaard,"),
        "the team sees who withdrew it"
    );
    let r = me
        .post(&format!("/me/consents/{written}/withdraw"), &[])
        .await;
    assert_eq!(location(&r), "/me/consents");
    let (_, html) = me.get_text("/me/consents").await;
    assert!(html.contains("Samtykket var allerede trukket tilbage."));
    assert_eq!(
        me.post("/me/consents/999999/withdraw", &[])
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(koord.get_text("/me/consents").await.0, 404);
    let now = app.clock.now_ms();
    let after = app
        .store()
        .consents(&bro_store::AuditCtx::system(0, 0, "test"), f.citizen)
        .await
        .expect("consents");
    assert!(
        !after
            .iter()
            .find(|c| c.id == written)
            .expect("kept")
            .is_active(now),
        "history kept, no longer in force"
    );
    assert_eq!(after.len(), 2, "nothing overwritten");
    app.stop().await;
}

/// A professional from the region on a course the municipality holds, through each consent
/// state: none, the wrong category, the plan only, withdrawn, expired. What they see, and
/// what the audit chain records.
async fn another_organisation_sees_the_plan_only_with_consent(backend: Backend) {
    use bro_domain::ShareCategory::{CrisisPlan, Health, Plan};
    let app = match TestApp::spawn(backend, "consent_enforcement").await {
        Some(app) => app,
        None => return, // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let koord = logged_in(&app, "koord").await;
    write_goal_and_crisis_plan(&koord, &plan).await;
    let prof = logged_in(&app, "prof-r").await;
    let record = |categories: Vec<bro_domain::ShareCategory>, valid_to_ms: Option<i64>| {
        let app = &app;
        let f = &f;
        async move {
            let ctx = bro_store::AuditCtx {
                actor_user_id: Some(f.koord),
                ..bro_store::AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "care-team")
            };
            let new = bro_store::NewConsent {
                citizen_id: f.citizen,
                course_id: None,
                orgs: vec![f.region],
                categories,
                form: bro_domain::consent::ConsentForm::Oral,
                given_by: bro_domain::consent::GivenBy::Citizen,
                givers: vec![],
                guardian_scope: String::new(),
                witness: String::new(),
                witness_org: None,
                valid_from_ms: app.clock.now_ms(),
                valid_to_ms,
                document: None,
            };
            app.store()
                .record_consent(&ctx, new)
                .await
                .expect("consent")
        }
    };
    let withheld = |html: &str| html.contains("Planen er ikke delt med din organisation");
    let last_denial = || async {
        app.store()
            .recent_audit(f.region.0, 3)
            .await
            .expect("audit")
            .into_iter()
            .find(|r| r.fields.action == AuditAction::AccessDenied.code())
            .expect("a denial among the newest records")
    };

    // No consent: the page says what is withheld and how to ask; the refusal is on record.
    let (status, html) = prof.get_text(&plan).await;
    assert_eq!(status, 200);
    assert!(withheld(&html) && !html.contains("Stabil bolig"));
    let denial = last_denial().await;
    let course_id = course.trim_start_matches("/courses/");
    assert_eq!(
        denial.fields.object,
        Some(format!("course:{course_id}:plan"))
    );
    assert_eq!(denial.fields.subject_citizen_id, Some(f.citizen));
    for path in [
        format!("{plan}/pdf/team"),
        format!("{plan}/history"),
        format!("{plan}/goals/1"),
    ] {
        assert_eq!(prof.get(&path).await.status().as_u16(), 404, "{path}");
    }
    let r = prof
        .post(
            &format!("{plan}/goals"),
            &[
                ("base_version", "2"),
                ("owner", "team"),
                ("text", "x"),
                ("life_area", "housing"),
            ],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        404,
        "no writing in what one may not see"
    );
    let r = prof
        .post(
            &format!("{course}/consent-requests"),
            &[("category", "plan")],
        )
        .await;
    assert_eq!(location(&r), course);
    let (_, html) = koord.get_text(&course).await;
    assert!(html.contains("Anmodning om samtykke: Planen") && html.contains("Pia Fagperson"));
    let (_, overview) = koord.get_text("/courses").await;
    assert!(
        overview.contains("1 anmodning om samtykke"),
        "a task on the coordinator's overview"
    );

    // The wrong category does not open the plan.
    record(vec![Health], None).await;
    assert!(withheld(&prof.get_text(&plan).await.1));

    // The plan, but not the crisis plan.
    let plan_only = record(vec![Plan], None).await;
    let (_, overview) = koord.get_text("/courses").await;
    assert!(
        !overview.contains("anmodning om samtykke"),
        "answered by a recorded consent"
    );
    let (_, html) = prof.get_text(&plan).await;
    assert!(!withheld(&html) && html.contains("Stabil bolig"));
    assert!(
        html.contains("Kriseplanen er ikke delt med din organisation")
            && !html.contains("Sover dårligt")
    );
    let read = app
        .store()
        .recent_audit(f.region.0, 3)
        .await
        .expect("audit");
    assert!(
        read.iter()
            .any(|r| r.fields.action == AuditAction::PlanRead.code()
                && r.fields.purpose == "care-team-consent")
    );
    let r = prof
        .post(
            &format!("{plan}/crisis"),
            &[("base_version", "2"), ("warning_signs", "x")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    let pdf = bro_testkit::pdf_text(
        &prof
            .get(&format!("{plan}/pdf/team"))
            .await
            .bytes()
            .await
            .expect("pdf"),
    );
    assert!(
        pdf.contains("Stabil bolig")
            && pdf.contains("Kriseplanen er ikke delt")
            && !pdf.contains("Sover dårligt")
    );
    // The holder sees everything, as its own record.
    let (_, html) = koord.get_text(&plan).await;
    assert!(html.contains("Sover dårligt"));

    // The citizen sees why: "with your consent".
    let me = logged_in(&app, "citizen").await;
    let (_, log) = me.get_text("/me/access-log").await;
    assert!(log.contains("Medlem af dit team, med dit samtykke"));

    // Withdrawn: the very next request is withheld again.
    let r = me
        .post(&format!("/me/consents/{plan_only}/withdraw"), &[])
        .await;
    assert_eq!(location(&r), "/me/consents");
    assert!(withheld(&prof.get_text(&plan).await.1));

    // Expired: in force until the minute it ends.
    record(vec![Plan, CrisisPlan], Some(app.clock.now_ms() + 60_000)).await;
    let (_, html) = prof.get_text(&plan).await;
    assert!(html.contains("Sover dårligt"));
    app.clock.advance_ms(60_000);
    assert!(withheld(&prof.get_text(&plan).await.1));
    app.stop().await;
}

/// A legal basis other than consent: recorded by the coordinator with paragraph and reason,
/// opening the plan to the organisations and categories it names until it ends.
async fn a_legal_basis_opens_the_plan_without_consent_until_it_ends(backend: Backend) {
    let app = match TestApp::spawn(backend, "legal_basis").await {
        Some(app) => app,
        None => return, // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let bases = format!("{course}/legal-bases");
    let koord = logged_in(&app, "koord").await;
    let prof = logged_in(&app, "prof-r").await;
    let withheld = |html: &str| html.contains("Planen er ikke delt med din organisation");
    assert!(withheld(&prof.get_text(&plan).await.1));

    let r = koord
        .post(
            &bases,
            &[
                ("lb_kind", "psykiatriloven_13c"),
                ("lb_reason", " "),
                ("lb_from", "2026-11-01"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.expect("body");
    for message in [
        "Skriv begrundelsen",
        "Vælg mindst én organisation",
        "Vælg mindst én slags oplysninger",
        "Et lovgrundlag skal have en slutdato",
    ] {
        assert!(html.contains(message), "{message:?} missing");
    }
    let region = f.region.0.to_string();
    let valid = [
        ("lb_kind", "psykiatriloven_13c"),
        (
            "lb_reason",
            "I målgruppen; koordinering kan ikke vente på samtykke",
        ),
        ("lb_orgs", region.as_str()),
        ("lb_categories", "plan"),
        ("lb_from", "2026-11-01"),
        ("lb_to", "2027-02-28"),
    ];
    // Only the coordinator records a legal basis.
    assert_eq!(prof.post(&bases, &valid).await.status().as_u16(), 404);
    let r = koord.post(&bases, &valid).await;
    assert_eq!(location(&r), format!("{course}/consents"));

    let (_, html) = prof.get_text(&plan).await;
    assert!(!withheld(&html));
    let me = logged_in(&app, "citizen").await;
    let (_, log) = me.get_text("/me/access-log").await;
    assert!(
        log.contains("Medlem af dit team, efter psykiatriloven § 13 c"),
        "the reason names the paragraph"
    );
    let (_, mine) = me.get_text("/me/consents").await;
    assert!(
        mine.contains("Psykiatriloven § 13 c")
            && mine.contains("I målgruppen; koordinering kan ikke vente på samtykke")
    );

    // Ended: withheld again at the next request.
    let (_, page) = koord.get_text(&format!("{course}/consents")).await;
    let end = {
        let at = page.find("/end\"").expect("end form");
        let start = page[..at].rfind('"').expect("action") + 1;
        format!("{}/end", &page[start..at])
    };
    let r = koord.post(&end, &[]).await;
    assert_eq!(location(&r), format!("{course}/consents"));
    assert!(withheld(&prof.get_text(&plan).await.1));
    app.stop().await;
}

/// A course Holstebro holds with only its coordinator on the team: the region's professional
/// is outside it.
async fn course_without_the_region(app: &TestApp, f: &bro_testkit::Fixture) -> String {
    let setup = bro_store::AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    let new = bro_store::NewCourse {
        citizen_id: f.citizen,
        target_groups: vec![],
        legal_frames: vec![],
        coordinator: bro_store::NewMember {
            user_id: f.koord,
            org_id: f.holstebro,
            unit_id: f.holstebro_unit,
            role: bro_domain::CourseRole::SubstanceAbuseCounsellor,
            fixed: true,
            phone: "96 11 75 00".into(),
            mail: String::new(),
            hours: String::new(),
        },
        collaboration: None,
        handover_reason: None,
    };
    let id = app
        .store()
        .open_course(&setup, new)
        .await
        .expect("course")
        .0;
    format!("/courses/{id}")
}

/// Emergency access only ever reads: a professional on it sees the consents, but can neither
/// record one, withdraw one nor ask for one, and each refusal is audited.
async fn emergency_access_never_changes_consents(backend: Backend) {
    let app = match TestApp::spawn(backend, "emergency_writes").await {
        Some(app) => app,
        None => return, // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course_without_the_region(&app, &f).await;
    let consents = format!("{course}/consents");
    let koord = logged_in(&app, "koord").await;
    let region = f.region.0.to_string();
    let valid = [
        ("orgs", region.as_str()),
        ("categories", "plan"),
        ("form", "written"),
        ("given_by", "citizen"),
        ("valid_from", "2026-11-01"),
    ];
    let signed = || Some(("document", "samtykke.pdf", SIGNED.to_vec()));
    let r = koord.post_multipart(&consents, &valid, signed()).await;
    assert_eq!(location(&r), consents);
    let withdraw = {
        let (_, html) = koord.get_text(&consents).await;
        let at = html.find("/withdraw\"").expect("withdraw form");
        let start = html[..at].rfind('"').expect("action") + 1;
        format!("{}/withdraw", &html[start..at])
    };

    let prof = logged_in(&app, "prof-r").await;
    take_emergency_access(&prof, &course).await;
    assert_eq!(
        prof.get_text(&consents).await.0,
        200,
        "emergency access reads"
    );
    let before = denials(&app, f.region.0).await;
    let r = prof.post(&withdraw, &[]).await;
    assert_eq!(
        r.status().as_u16(),
        404,
        "emergency access withdraws nothing"
    );
    let r = prof.post_multipart(&consents, &valid, signed()).await;
    assert_eq!(r.status().as_u16(), 404, "emergency access records nothing");
    let r = prof
        .post(
            &format!("{course}/consent-requests"),
            &[("category", "plan")],
        )
        .await;
    assert_eq!(
        r.status().as_u16(),
        404,
        "emergency access asks for nothing"
    );
    assert_eq!(
        denials(&app, f.region.0).await,
        before + 3,
        "every refusal audited"
    );

    let (_, html) = koord.get_text(&consents).await;
    assert_eq!(
        html.matches("Gælder nu").count(),
        1,
        "the consent stands, alone"
    );
    let (_, html) = koord.get_text(&course).await;
    assert!(
        !html.contains("Anmodning om samtykke: Planen"),
        "no request was made"
    );
    app.stop().await;
}

/// Emergency access opens the course it was asked for, never the citizen's earlier, closed
/// course.
async fn emergency_access_opens_only_its_own_course(backend: Backend) {
    let app = match TestApp::spawn(backend, "emergency_course").await {
        Some(app) => app,
        None => return, // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let earlier = course_without_the_region(&app, &f).await;
    let earlier_id: i64 = earlier.rsplit('/').next().expect("id").parse().expect("id");
    let coordinator = bro_store::AuditCtx {
        actor_user_id: Some(f.koord),
        ..bro_store::AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "care-team")
    };
    app.store()
        .close_course(
            &coordinator,
            bro_domain::CourseId(earlier_id),
            "Flyttet".into(),
            "Struer Kommune".into(),
        )
        .await
        .expect("closed");
    let course = course_without_the_region(&app, &f).await;
    let prof = logged_in(&app, "prof-r").await;
    take_emergency_access(&prof, &course).await;
    assert_eq!(prof.get_text(&course).await.0, 200, "the course asked for");
    assert_eq!(
        prof.get_text(&earlier).await.0,
        404,
        "not the citizen's earlier course"
    );
    app.stop().await;
}

/// The reason a professional outside the team gives for breaking the glass.
const EMERGENCY_REASON: &str = "Indlagt akut, bevidstløs; skal kende aftaler om medicin";

/// `prof` takes emergency access to `course` and lands on it.
async fn take_emergency_access(prof: &bro_testkit::Browser, course: &str) {
    let r = prof
        .post(
            &format!("{course}/emergency"),
            &[("kind", "acute_admission"), ("reason", EMERGENCY_REASON)],
        )
        .await;
    assert_eq!(location(&r), course);
}

/// How many access denials an organisation's audit chain holds.
async fn denials(app: &TestApp, tenant: i64) -> usize {
    let records = app.store().recent_audit(tenant, 500).await.expect("audit");
    records
        .iter()
        .filter(|r| r.fields.action == AuditAction::AccessDenied.code())
        .count()
}

/// Break the glass: a professional outside the team states a reason, reads the course for the
/// configured time, everything is audited as emergency access, the citizen is told, and the
/// professional's organisation reviews it.
async fn emergency_access_is_time_boxed_audited_told_and_reviewed(backend: Backend) {
    let app = match TestApp::spawn(backend, "emergency").await {
        Some(app) => app,
        None => return, // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course_without_the_region(&app, &f).await;
    let prof = logged_in(&app, "prof-r").await;
    assert_eq!(prof.get_text(&course).await.0, 404, "not on the team");

    let emergency = format!("{course}/emergency");
    let (status, html) = prof.get_text(&emergency).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("240 minutter") && !html.contains("Mads"),
        "the form shows no personal data"
    );
    // A reason is a kind and enough words to judge it by afterwards.
    let r = prof.post(&emergency, &[("reason", "Akut indlagt")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("Skriv mindst 20 tegn") && html.contains("Vælg en"));
    let reason = EMERGENCY_REASON;
    take_emergency_access(&prof, &course).await;

    let (status, html) = prof.get_text(&course).await;
    assert_eq!(status, 200);
    assert!(html.contains("Du ser forløbet med nødadgang") && html.contains("Mads Nørgaard"));
    let (status, html) = prof.get_text(&format!("{course}/plan")).await;
    assert_eq!(status, 200, "emergency access reads the plan");
    assert!(
        !html.contains("/plan/goals\" novalidate"),
        "no editing forms"
    );
    let r = prof
        .post(
            &format!("{course}/plan/goals"),
            &[
                ("base_version", "0"),
                ("owner", "team"),
                ("text", "x"),
                ("life_area", "housing"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404, "emergency access never writes");
    let records = app
        .store()
        .recent_audit(f.region.0, 10)
        .await
        .expect("audit");
    assert!(
        records
            .iter()
            .any(|r| r.fields.action == AuditAction::CourseRead.code()
                && r.fields.purpose == "emergency")
    );

    // The citizen is told, and sees the reads with the reason.
    let me = logged_in(&app, "citizen").await;
    let (_, html) = me.get_text("/me").await;
    assert!(html.contains("Nødadgang til dine oplysninger") && html.contains(reason));
    let (_, log) = me.get_text("/me/access-log").await;
    assert!(
        log.contains(&format!("Nødadgang: {reason}")),
        "the log names the reason"
    );

    // The access ends after the configured time.
    app.clock.advance_ms(240 * 60_000);
    let prof = logged_in(&app, "prof-r").await;
    assert_eq!(prof.get_text(&course).await.0, 404);

    // One renewal on one's own word, shown to the citizen as such; the next waits for the
    // administrator of one's own organisation.
    take_emergency_access(&prof, &course).await;
    let me = logged_in(&app, "citizen").await;
    let (_, html) = me.get_text("/me").await;
    assert!(html.contains("(Fornyelse)"), "the citizen sees the renewal");
    app.clock.advance_ms(240 * 60_000);
    let prof = logged_in(&app, "prof-r").await;
    let r = prof
        .post(
            &emergency,
            &[("kind", "acute_admission"), ("reason", EMERGENCY_REASON)],
        )
        .await;
    assert_eq!(location(&r), "/citizens/search");
    let (_, html) = prof.get_text("/citizens/search").await;
    assert!(html.contains("Din administrator skal godkende en ny"));
    assert_eq!(prof.get_text(&course).await.0, 404, "not in force yet");
    let me = logged_in(&app, "citizen").await;
    assert!(
        me.get_text("/me")
            .await
            .1
            .contains("Venter på administratorens godkendelse")
    );
    let admin = logged_in(&app, "admin-r").await;
    let (_, html) = admin.get_text("/admin/emergency-access").await;
    let approve = {
        let at = html.find("/approve\"").expect("approve form");
        let start = html[..at].rfind('"').expect("action") + 1;
        format!("{}/approve", &html[start..at])
    };
    assert_eq!(
        logged_in(&app, "admin-h")
            .await
            .post(&approve, &[])
            .await
            .status()
            .as_u16(),
        404,
        "another organisation's administrator does not approve"
    );
    let r = admin.post(&approve, &[]).await;
    assert_eq!(location(&r), "/admin/emergency-access");
    assert_eq!(prof.get_text(&course).await.0, 200, "approved: in force");
    app.clock.advance_ms(240 * 60_000);

    // The region's privacy contact reviews it, with a comment.
    let admin = logged_in(&app, "admin-r").await;
    let (_, html) = admin.get_text("/admin/emergency-access").await;
    assert!(
        html.contains("Pia Fagperson") && html.contains(reason) && html.contains("Ikke gennemgået")
    );
    let review = {
        let at = html.find("/review\"").expect("review form");
        let start = html[..at].rfind('"').expect("action") + 1;
        format!("{}/review", &html[start..at])
    };
    let r = admin.post(&review, &[("comment", "")]).await;
    assert_eq!(location(&r), "/admin/emergency-access");
    assert!(
        admin
            .get_text("/admin/emergency-access")
            .await
            .1
            .contains("Ikke gennemgået")
    );
    let r = admin
        .post(&review, &[("comment", "Berettiget: akut indlæggelse")])
        .await;
    assert_eq!(location(&r), "/admin/emergency-access");
    let (_, html) = admin.get_text("/admin/emergency-access").await;
    assert!(html.contains("Berettiget: akut indlæggelse"));
    assert_eq!(
        html.matches("badge-warning\">Ikke gennemgået").count(),
        2,
        "the two renewals are still to review"
    );
    // Holstebro's admin does not review the region's accesses.
    let other = logged_in(&app, "admin-h").await;
    assert!(
        !other
            .get_text("/admin/emergency-access")
            .await
            .1
            .contains(reason)
    );
    assert_eq!(
        other
            .post(&review, &[("comment", "x")])
            .await
            .status()
            .as_u16(),
        404
    );
    app.stop().await;
}

/// A relative with a login sees exactly what the citizen lets them see through their entry in
/// the citizen's network, and the citizen sees that they looked.
async fn a_relative_sees_what_the_citizen_shares_with_them(backend: Backend) {
    let app = match TestApp::spawn(backend, "relative").await {
        Some(app) => app,
        None => return, // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let koord = logged_in(&app, "koord").await;
    write_goal_and_crisis_plan(&koord, &plan).await;
    let rel = logged_in(&app, "rel").await;
    let (_, html) = rel.get_text("/me").await;
    assert!(
        html.contains("har ikke delt oplysninger med dig endnu") && !html.contains("Stabil bolig")
    );

    let (_, html) = koord.get_text(&course).await;
    assert!(
        html.contains("Inge Nørgaard (Mor)"),
        "the coordinator can connect her login"
    );
    let network = format!("{course}/network");
    let relative = f.relative.0.to_string();
    let stranger = f.koord.0.to_string();
    fn entry(user: &str) -> Vec<(&'static str, &str)> {
        vec![
            ("network_name", "Inge Nørgaard"),
            ("relation", "Mor"),
            ("may_see", "plan"),
            ("relative_user", user),
        ]
    }
    let r = koord.post(&network, &entry(&stranger)).await;
    assert_eq!(
        r.status().as_u16(),
        404,
        "only a login linked to the citizen as relative"
    );
    let r = koord.post(&network, &entry(&relative)).await;
    assert_eq!(location(&r), course);

    let (_, html) = rel.get_text("/me").await;
    assert!(html.contains("Stabil bolig"), "the plan is shared with her");
    assert!(!html.contains("Sover dårligt"), "the crisis plan is not");
    let me = logged_in(&app, "citizen").await;
    let (_, log) = me.get_text("/me/access-log").await;
    assert!(
        log.contains("Inge Nørgaard")
            && log.contains("Pårørende, som du har givet lov til at se det")
    );

    // The citizen changes her mind: the crisis plan, not the plan.
    let (_, html) = me.get_text("/me").await;
    let share = {
        let at = html
            .find("action=\"/me/network/")
            .expect("the citizen's network form")
            + 8;
        html[at..].split('"').next().expect("action").to_owned()
    };
    let r = me.post(&share, &[("may_see", "crisis_plan")]).await;
    assert_eq!(location(&r), "/me");
    let (_, html) = rel.get_text("/me").await;
    assert!(html.contains("Sover dårligt") && !html.contains("Stabil bolig"));
    assert_eq!(
        me.post("/me/network/999999", &[("may_see", "plan")])
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        koord
            .post(&share, &[("may_see", "plan")])
            .await
            .status()
            .as_u16(),
        404,
        "the citizen's choice"
    );

    // Taken out of the network: nothing shared any more.
    let (_, html) = koord.get_text(&course).await;
    let remove = {
        let at = html
            .find(&format!("{course}/network/"))
            .expect("network entry");
        let rest = &html[at..];
        rest[..rest.find('"').expect("end of action")].to_owned()
    };
    assert!(remove.ends_with("/remove"), "{remove}");
    assert_eq!(location(&koord.post(&remove, &[]).await), course);
    let (_, html) = rel.get_text("/me").await;
    assert!(!html.contains("Stabil bolig") && !html.contains("Sover dårligt"));
    app.stop().await;
}

/// Lists say nothing of what one may not see: the overview shows the plan's review date only
/// to organisations the plan is shared with.
async fn the_overview_shows_plan_facts_only_where_the_plan_is_shared(backend: Backend) {
    let app = match TestApp::spawn(backend, "overview_sharing").await {
        Some(app) => app,
        None => return, // PostgreSQL unreachable: scripts/test reports it skipped
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
    let (_, mine) = koord.get_text("/courses").await;
    assert!(
        mine.contains("2027-03-01"),
        "the holder sees its own plan's review date"
    );
    let prof = logged_in(&app, "prof-r").await;
    let (_, theirs) = prof.get_text("/courses").await;
    assert!(theirs.contains("Mads Nørgaard") && !theirs.contains("2027-03-01"));
    assert!(theirs.contains("Planen er ikke delt med jer"));
    let ctx = bro_store::AuditCtx {
        actor_user_id: Some(f.koord),
        ..bro_store::AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "care-team")
    };
    let consent = bro_store::NewConsent {
        citizen_id: f.citizen,
        course_id: None,
        orgs: vec![f.region],
        categories: vec![bro_domain::ShareCategory::Plan],
        form: bro_domain::consent::ConsentForm::Oral,
        given_by: bro_domain::consent::GivenBy::Citizen,
        givers: vec![],
        guardian_scope: String::new(),
        witness: String::new(),
        witness_org: None,
        valid_from_ms: app.clock.now_ms(),
        valid_to_ms: None,
        document: None,
    };
    app.store()
        .record_consent(&ctx, consent)
        .await
        .expect("consent");
    let (_, theirs) = prof.get_text("/courses").await;
    assert!(
        theirs.contains("2027-03-01"),
        "with consent, the same as on the plan page"
    );
    app.stop().await;
}

on_both_backends!(
    consents_are_recorded_shown_and_withdrawn,
    another_organisation_sees_the_plan_only_with_consent,
    a_legal_basis_opens_the_plan_without_consent_until_it_ends,
    emergency_access_is_time_boxed_audited_told_and_reviewed,
    emergency_access_never_changes_consents,
    emergency_access_opens_only_its_own_course,
    a_relative_sees_what_the_citizen_shares_with_them,
    the_overview_shows_plan_facts_only_where_the_plan_is_shared,
    who_sees_the_plan_by_role_relationship_and_consent
);

/// Who sees the plan of a course Holstebro holds, row by row (role × relationship) and step by
/// step through the consent states: none, the wrong category, a valid consent, withdrawn, a
/// legal basis, an expired consent, an emergency access and its end. The plan page and its
/// PDF agree, and every refusal of a member of staff is in their organisation's audit chain.
async fn who_sees_the_plan_by_role_relationship_and_consent(backend: Backend) {
    use bro_domain::ShareCategory::{Health, Plan};
    use bro_domain::{AccountKind, Name, OrgKind, Role, UnitKind, Username};
    let app = match TestApp::spawn(backend, "sharing_table").await {
        Some(app) => app,
        None => return, // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let plan = format!("{course}/plan");
    let koord = logged_in(&app, "koord").await;
    write_goal_and_crisis_plan(&koord, &plan).await;
    let s = app.store();
    let course_id =
        bro_domain::CourseId(course.trim_start_matches("/courses/").parse().expect("id"));
    let holder = bro_store::AuditCtx {
        actor_user_id: Some(f.koord),
        ..bro_store::AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "care-team")
    };

    // More people: a GP and a professional from another municipality on the team, a
    // professional outside it, and a manager in the holding municipality.
    let hash = bro_auth::password::hash_password(bro_testkit::FIXTURE_PASSWORD.into())
        .await
        .expect("hash");
    let name = |n: &str| Name::parse(n).expect("name");
    let org_with_unit = |org_name: &'static str, kind: OrgKind, unit_kind: UnitKind| {
        let platform = bro_store::AuditCtx::system(0, app.clock.now_ms(), "test");
        async move {
            let org = s
                .create_organisation(
                    &platform,
                    bro_store::NewOrganisation {
                        name: name(org_name),
                        kind,
                        require_second_factor: false,
                    },
                )
                .await
                .expect("org");
            let ctx = bro_store::AuditCtx::system(org.0, platform.at_ms, "test");
            let unit = s
                .create_unit(
                    &ctx,
                    bro_store::NewUnit {
                        org_id: org,
                        name: name(org_name),
                        kind: unit_kind,
                    },
                )
                .await
                .expect("unit");
            (org, unit)
        }
    };
    let staff = |org: bro_domain::OrgId, user: &str, role: (bro_domain::UnitId, Role)| {
        let ctx = bro_store::AuditCtx::system(org.0, app.clock.now_ms(), "test");
        let new = bro_store::NewUser {
            org_id: Some(org),
            username: Username::parse(user).expect("username"),
            display_name: name(&format!("Bruger {user}")),
            password_hash: hash.clone(),
            kind: AccountKind::Staff,
            citizen_id: None,
            initial_role: Some(role),
        };
        async move { s.create_user(&ctx, new).await.expect("user") }
    };
    let (gp_org, gp_unit) = org_with_unit(
        "Lægehuset Torvet",
        OrgKind::GpPractice,
        UnitKind::GpPractice,
    )
    .await;
    let (rks, rks_unit) = org_with_unit(
        "Ringkøbing-Skjern Kommune",
        OrgKind::Municipality,
        UnitKind::SocialPsychiatry,
    )
    .await;
    let gp = staff(gp_org, "gp-t", (gp_unit, Role::Professional)).await;
    let rks_prof = staff(rks, "prof-rks", (rks_unit, Role::Professional)).await;
    staff(gp_org, "outsider", (gp_unit, Role::Professional)).await;
    staff(
        f.holstebro,
        "leder-h",
        (f.holstebro_admin_unit, Role::Manager),
    )
    .await;
    for (user, org, unit, role) in [
        (gp, gp_org, gp_unit, bro_domain::CourseRole::Gp),
        (
            rks_prof,
            rks,
            rks_unit,
            bro_domain::CourseRole::SocialPsychiatryContact,
        ),
    ] {
        let member = bro_store::NewMember {
            user_id: user,
            org_id: org,
            unit_id: unit,
            role,
            fixed: false,
            phone: "97 42 11 22".into(),
            mail: String::new(),
            hours: String::new(),
        };
        s.add_member(&holder, course_id, member)
            .await
            .expect("on the team");
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Sees {
        Plan,
        Withheld,
        NotFound,
    }
    use Sees::{NotFound as N, Plan as P, Withheld as W};
    // The steps, in order, and what each login sees after it.
    const STEPS: [&str; 8] = [
        "none",
        "wrong category",
        "valid",
        "withdrawn",
        "legal basis",
        "expired",
        "emergency",
        "emergency ended",
    ];
    let rows: [(&str, bro_domain::OrgId, [Sees; 8]); 9] = [
        ("koord", f.holstebro, [P, P, P, P, P, P, P, P]),
        ("prof-r", f.region, [W, W, P, W, P, W, W, W]),
        ("prof-rks", rks, [W, W, P, W, W, W, W, W]),
        ("gp-t", gp_org, [W, W, P, W, W, W, W, W]),
        ("outsider", gp_org, [N, N, N, N, N, N, P, N]),
        ("leder-h", f.holstebro, [N; 8]),
        ("admin-h", f.holstebro, [N; 8]),
        ("citizen", f.holstebro, [N; 8]),
        ("rel", f.holstebro, [N; 8]),
    ];
    let consent = |orgs: Vec<bro_domain::OrgId>, categories, valid_to_ms| bro_store::NewConsent {
        citizen_id: f.citizen,
        course_id: None,
        orgs,
        categories,
        form: bro_domain::consent::ConsentForm::Oral,
        given_by: bro_domain::consent::GivenBy::Citizen,
        givers: vec![],
        guardian_scope: String::new(),
        witness: String::new(),
        witness_org: None,
        valid_from_ms: app.clock.now_ms(),
        valid_to_ms,
        document: None,
    };
    let team_orgs = vec![f.region, rks, gp_org];
    let mut valid = 0;
    let mut basis = 0;
    for (step, name) in STEPS.iter().enumerate() {
        let holder = bro_store::AuditCtx {
            at_ms: app.clock.now_ms(),
            ..holder.clone()
        };
        match *name {
            "wrong category" => {
                s.record_consent(&holder, consent(team_orgs.clone(), vec![Health], None))
                    .await
                    .expect("consent");
            }
            "valid" => {
                valid = s
                    .record_consent(&holder, consent(team_orgs.clone(), vec![Plan], None))
                    .await
                    .expect("consent");
            }
            "withdrawn" => s
                .withdraw_consent(&holder, f.citizen, valid)
                .await
                .expect("withdraw"),
            "legal basis" => {
                let new = bro_store::NewLegalBasis {
                    citizen_id: f.citizen,
                    course_id: Some(course_id),
                    kind: bro_domain::consent::LegalBasisKind::Psykiatriloven13c,
                    reason: "Koordinering for målgruppen".into(),
                    orgs: vec![f.region],
                    categories: vec![Plan],
                    valid_from_ms: app.clock.now_ms(),
                    valid_to_ms: app.clock.now_ms() + 3_600_000,
                };
                basis = s
                    .record_legal_basis(&holder, new)
                    .await
                    .expect("legal basis");
            }
            "expired" => {
                s.end_legal_basis(&holder, f.citizen, basis)
                    .await
                    .expect("end");
                let ends = app.clock.now_ms() + 60_000;
                s.record_consent(&holder, consent(team_orgs.clone(), vec![Plan], Some(ends)))
                    .await
                    .expect("consent");
                app.clock.advance_ms(60_000);
            }
            "emergency" => {
                let b = logged_in(&app, "outsider").await;
                let r = b
                    .post(
                        &format!("{course}/emergency"),
                        &[("kind", "acute_admission"), ("reason", EMERGENCY_REASON)],
                    )
                    .await;
                assert_eq!(location(&r), course);
            }
            "emergency ended" => app.clock.advance_ms(240 * 60_000),
            _ => {}
        }
        for (login, org, expected) in rows {
            // A fresh login each step: the clock moves past session timeouts.
            let b = logged_in(&app, login).await;
            let expected = expected[step];
            let (status, html) = b.get_text(&plan).await;
            let seen = match status {
                404 => N,
                200 if html.contains("Planen er ikke delt med din organisation") => W,
                200 if html.contains("Stabil bolig") => P,
                other => panic!("{login} after {name}: unexpected {other}"),
            };
            assert_eq!(seen, expected, "{login} after {name}");
            let pdf = b.get(&format!("{plan}/pdf/team")).await.status().as_u16();
            assert_eq!(pdf == 200, expected == P, "{login}'s PDF after {name}");
            if expected != P {
                // Citizens' and relatives' acts go into the platform chain.
                let chain = if matches!(login, "citizen" | "rel") {
                    0
                } else {
                    org.0
                };
                let recent = s.recent_audit(chain, 4).await.expect("audit");
                assert!(
                    recent
                        .iter()
                        .any(|r| r.fields.action == AuditAction::AccessDenied.code()
                            && r.fields.subject_citizen_id == Some(f.citizen)),
                    "{login} after {name}: the refusal is audited"
                );
            }
        }
    }
    app.stop().await;
}
