//! Referral and visitation over HTTP (issue 17, items 1 and 2): a team member refers the
//! course's citizen to an MPO offer; a bad form and a referrer kind the offer does not allow
//! are refused by the field; a referral the citizen has not agreed to waits for them and
//! reaches nobody; the receiving unit receives and recommends, only its function leader
//! decides, with a reason; a step on a version that is gone is refused; the citizen reads it
//! all in plain Danish; a team member from another organisation sees the referral only when
//! the citizen's consent covers its category.

use crate::http_plan::{consent_to_region, course, logged_in};
use bro_domain::offer::{OfferCategory, OfferContent, ReferrerKind};
use bro_domain::{
    AccountKind, Clock, Name, OrgId, Role, ShareCategory, UnitId, UnitKind, Username,
};
use bro_store::{AuditCtx, NewUnit, NewUser};
use bro_testkit::{Backend, Browser, FIXTURE_PASSWORD, TestApp, fixture, location};

pub(crate) async fn staff(
    app: &TestApp,
    org: OrgId,
    unit: UnitId,
    username: &str,
    role: Role,
) -> bro_domain::UserId {
    let hash = bro_auth::password::hash_password(FIXTURE_PASSWORD.into())
        .await
        .expect("hash");
    let new = NewUser {
        org_id: Some(org),
        username: Username::parse(username).expect("username"),
        display_name: Name::parse(&format!("{username} Hansen")).expect("name"),
        password_hash: hash,
        kind: AccountKind::Staff,
        citizen_id: None,
        initial_role: Some((unit, role)),
    };
    let ctx = AuditCtx::system(org.0, app.clock.now_ms(), "test");
    app.store().create_user(&ctx, new).await.expect("user")
}

pub(crate) fn offer(
    name: &str,
    category: OfferCategory,
    referrers: Vec<ReferrerKind>,
) -> OfferContent {
    OfferContent {
        name: name.into(),
        category: Some(category),
        summary: "Korte ophold med personale døgnet rundt".into(),
        referrers,
        municipality: "Holstebro Kommune".into(),
        ..OfferContent::default()
    }
}

pub(crate) async fn post(b: &Browser, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    b.post(path, fields).await
}

/// Takes a step on the referral at `page`, on the version its page shows.
pub(crate) async fn step(b: &Browser, page: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let (_, html) = b.get_text(page).await;
    let version = html
        .split("name=\"base_version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("0")
        .to_owned();
    let mut all = fields.to_vec();
    all.push(("base_version", &version));
    post(b, &format!("{page}/step"), &all).await
}

pub(crate) async fn status(b: &Browser, page: &str) -> String {
    let (_, html) = b.get_text(page).await;
    let at = html.find("id=\"referral-status\">").expect("status") + 21;
    html[at..].split('<').next().unwrap_or("").to_owned()
}

async fn referrals_follow_the_closed_loop(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "referrals").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course_page = course(&app, &f).await;
    let course_id = course_page.rsplit('/').next().expect("id").to_owned();
    let setup = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    let mpo = app
        .store()
        .create_unit(
            &setup,
            NewUnit {
                org_id: f.holstebro,
                name: Name::parse("MPO Holstebro").expect("name"),
                kind: UnitKind::MpoUnit,
            },
        )
        .await
        .expect("unit");
    staff(&app, f.holstebro, mpo, "funk", Role::FunctionLeader).await;
    staff(&app, f.holstebro, mpo, "mpo-prof", Role::Professional).await;
    let mpo_kinds = vec![
        ReferrerKind::Gp,
        ReferrerKind::RegionalPsychiatry,
        ReferrerKind::FaellesTeam,
        ReferrerKind::OwnMunicipality,
    ];
    let place = OfferCategory::TemporaryCarePlace;
    let mut ids = Vec::new();
    for content in [
        offer("MPO Skovvang", place, mpo_kinds.clone()),
        offer("MPO Struer", place, mpo_kinds),
        offer(
            "Bostøtte",
            OfferCategory::HousingSupport,
            vec![ReferrerKind::CaseAuthority],
        ),
    ] {
        let id = app
            .store()
            .create_offer(&setup, mpo, &content)
            .await
            .expect("offer");
        ids.push(id.to_string());
    }
    let (skovvang, struer, bostotte) = (&ids[0], &ids[1], &ids[2]);
    let new_path = format!("/courses/{course_id}/referrals");
    let koord = logged_in(&app, "koord").await;

    // A bad form: every fault by its field, nothing saved.
    let (status_code, html) = koord
        .get_text(&format!("{new_path}/new?offer={skovvang}"))
        .await;
    assert_eq!(status_code, 200);
    assert!(html.contains("Hvorfor henvises borgeren?"));
    let r = post(
        &koord,
        &new_path,
        &[("offer", skovvang), ("urgency", "urgent")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.expect("body");
    assert!(
        html.contains("Feltet skal udfyldes") && html.contains("Vælg, om borgeren har sagt ja")
    );
    // A kind the offer does not allow: told who may.
    let (_, html) = koord
        .get_text(&format!("{new_path}/new?offer={bostotte}"))
        .await;
    assert!(
        html.contains("Du kan ikke henvise til dette tilbud. Det kan kun:"),
        "{html}"
    );
    let form = |offer: &str, agreed: &str| {
        vec![
            ("offer", offer.to_owned()),
            ("urgency", "urgent".to_owned()),
            (
                "reason",
                "Forværring efter udskrivning, hjemmet slår ikke til".to_owned(),
            ),
            ("tried", "Bostøtte tre gange om ugen".to_owned()),
            ("wishes", "Jeg vil gerne have ro et stykke tid".to_owned()),
            ("agreed", agreed.to_owned()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let koord = &koord;
        let new_path = &new_path;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(koord, new_path, &fields).await
        }
    };
    assert_eq!(send(form(bostotte, "yes")).await.status().as_u16(), 422);
    assert!(
        app.store()
            .citizen_referrals(&setup, f.citizen)
            .await
            .expect("referrals")
            .is_empty(),
        "nothing saved"
    );

    // Made without the citizen's word: a draft, which the receiving unit does not see.
    let page = location(&send(form(skovvang, "ask")).await);
    assert!(page.starts_with("/referrals/"), "{page}");
    assert_eq!(status(&koord, &page).await, "Venter på borgerens ja");
    let funk = logged_in(&app, "funk").await;
    assert!(
        !funk
            .get_text("/referrals")
            .await
            .1
            .contains("Mads Nørgaard")
    );
    assert_eq!(funk.get_text(&page).await.0, 404);
    let citizen = logged_in(&app, "citizen").await;
    let (_, html) = citizen.get_text("/me/referrals").await;
    assert!(html.contains("Henvisningen venter på, at du siger ja"));
    assert!(html.contains("Jeg vil gerne have ro et stykke tid"));
    let id = page.rsplit('/').next().expect("id");
    let r = post(
        &citizen,
        &format!("/me/referrals/{id}/confirm"),
        &[("base_version", "1")],
    )
    .await;
    assert_eq!(location(&r), "/me/referrals");
    let (_, html) = citizen.get_text("/me/referrals").await;
    assert!(html.contains("Henvisningen er sendt til MPO Holstebro. De har ikke svaret endnu."));

    // The unit's queue: received and recommended by staff; only the function leader decides.
    let (_, html) = funk.get_text("/referrals").await;
    assert!(html.contains("Mads Nørgaard") && html.contains("<strong>Haster</strong>"));
    let prof = logged_in(&app, "mpo-prof").await;
    let (_, html) = prof.get_text(&page).await;
    assert!(html.contains("Det endelige ja eller nej gives af enhedens"));
    assert_eq!(
        location(&step(&prof, &page, &[("action", "receive")]).await),
        page
    );
    let r = step(&prof, &page, &[("action", "accept"), ("note", "Ja")]).await;
    assert_eq!(r.status().as_u16(), 404, "not the deciding role");
    let r = step(
        &prof,
        &page,
        &[("action", "recommend"), ("note", "Anbefales")],
    )
    .await;
    assert_eq!(location(&r), page);
    assert_eq!(status(&funk, &page).await, "Modtaget");
    let r = step(&funk, &page, &[("action", "accept"), ("note", " ")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Skriv en begrundelse.")
    );
    let (_, before) = funk.get_text(&page).await;
    let decision = [
        ("action", "accept"),
        ("note", "Målgruppen passer; plads fra mandag"),
        ("law", "serviceloven_107"),
    ];
    assert_eq!(location(&step(&funk, &page, &decision).await), page);
    // The same step on the version the page showed before: refused, nothing overwritten.
    let stale = before
        .split("name=\"base_version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("0");
    let r = post(
        &funk,
        &format!("{page}/step"),
        &[
            ("action", "reject"),
            ("note", "Nej"),
            ("base_version", stale),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("En anden har lige ændret henvisningen")
    );
    assert_eq!(status(&funk, &page).await, "Accepteret");
    let (_, html) = funk.get_text(&page).await;
    assert!(html.contains("Anbefales") && html.contains("Målgruppen passer"));
    assert!(
        html.contains("Serviceloven § 107") || html.contains("§ 107"),
        "{html}"
    );

    // Told: the referrer in their notices, the citizen in plain Danish, with how to complain.
    let (_, html) = koord.get_text("/notices").await;
    assert!(html.contains("Henvisningen af Mads Nørgaard har fået ny status: Accepteret"));
    let (_, html) = citizen.get_text("/me/referrals").await;
    assert!(html.contains("MPO Holstebro har sagt ja til dig."));
    assert!(html.contains("Er du uenig i afgørelsen, kan du klage."));
    let (_, html) = citizen.get_text("/notices").await;
    assert!(html.contains("Der er truffet en afgørelse om din henvisning."));

    // On to the end; a step that does not follow is refused.
    assert_eq!(
        location(&step(&funk, &page, &[("action", "start")]).await),
        page
    );
    assert_eq!(
        location(&step(&funk, &page, &[("action", "complete")]).await),
        page
    );
    let (_, html) = funk.get_text(&page).await;
    assert!(
        !html.contains("Næste skridt"),
        "a completed referral offers no step"
    );
    // Version 7: made, confirmed, received, recommended, accepted, started, completed.
    let on_current = [("action", "start"), ("base_version", "7")];
    let r = post(&funk, &format!("{page}/step"), &on_current).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Det kan ikke lade sig gøre")
    );

    // A rejection names other offers; the citizen sees them.
    let second = location(&send(form(skovvang, "yes")).await);
    let r = step(
        &funk,
        &second,
        &[
            ("action", "reject"),
            ("note", "Ingen ledig plads de næste uger"),
            ("alternatives", struer),
        ],
    )
    .await;
    assert_eq!(location(&r), second);
    let (_, html) = citizen.get_text("/me/referrals").await;
    assert!(html.contains("MPO Holstebro har sagt nej.") && html.contains("Ingen ledig plads"));
    let (_, html) = koord.get_text(&second).await;
    assert!(html.contains(&format!("href=\"/tilbud/{struer}\">MPO Struer")));

    // Attachments: a PDF, JPEG or PNG by its content, added by the team, read by whoever may
    // read the referral.
    let done = format!("{page}/attachments");
    let late = Some(("file", "sent.pdf", b"%PDF-1.4".to_vec()));
    let r = koord.post_multipart(&done, &[], late).await;
    assert_eq!(r.status().as_u16(), 422, "not on a completed referral");
    let open = location(&send(form(skovvang, "yes")).await);
    let attach = format!("{open}/attachments");
    let text = Some(("file", "notat.pdf", b"not a pdf at all".to_vec()));
    let r = koord.post_multipart(&attach, &[], text).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Bilaget skal være en PDF, JPEG eller PNG.")
    );
    let pdf = b"%PDF-1.4\n% udskrivningsbrev\n".to_vec();
    let r = koord
        .post_multipart(
            &attach,
            &[],
            Some(("file", "Udskrivningsbrev.pdf", pdf.clone())),
        )
        .await;
    assert_eq!(location(&r), open);
    let (_, html) = funk.get_text(&open).await;
    let at = html.find("/attachments/").expect("an attachment link");
    let link: String = html[at..].chars().take_while(|c| *c != '"').collect();
    assert!(html.contains("Udskrivningsbrev.pdf"));
    let download = format!("{open}{link}");
    let r = funk.get(&download).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        !r.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .contains("Udskriv")
    );
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), pdf);

    // The team: a member from the region sees the referral only with consent to health data.
    let prof_r = logged_in(&app, "prof-r").await;
    assert_eq!(prof_r.get_text(&page).await.0, 404);
    assert_eq!(prof_r.get(&download).await.status().as_u16(), 404);
    let r = prof_r
        .post_multipart(&attach, &[], Some(("file", "x.pdf", b"%PDF-1.4".to_vec())))
        .await;
    assert_eq!(r.status().as_u16(), 404);
    let (_, html) = prof_r.get_text(&new_path).await;
    assert!(!html.contains("MPO Skovvang"), "not listed either");
    consent_to_region(&app, &f, vec![ShareCategory::Health]).await;
    assert_eq!(prof_r.get_text(&page).await.0, 200);
    assert_eq!(prof_r.get(&download).await.status().as_u16(), 200);
    assert!(prof_r.get_text(&new_path).await.1.contains("MPO Skovvang"));
    // Outside the team and the unit: nothing.
    let admin_r = logged_in(&app, "admin-r").await;
    assert_eq!(admin_r.get_text(&page).await.0, 404);
    assert_eq!(admin_r.get(&download).await.status().as_u16(), 404);

    // The team cancels an open referral, with a reason.
    let third = location(&send(form(skovvang, "yes")).await);
    let r = step(
        &koord,
        &third,
        &[("action", "cancel"), ("note", "Borgeren er flyttet")],
    )
    .await;
    assert_eq!(location(&r), third);
    assert_eq!(status(&koord, &third).await, "Annulleret");
    app.stop().await;
}

on_both_backends!(referrals_follow_the_closed_loop);
