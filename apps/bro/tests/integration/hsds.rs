//! The directory as Open Referral HSDS 3.0 (issue 16, item 4): `/api/hsds/` serves services,
//! organizations and the taxonomy in the spec's pages, filtered by `modified_after`, and every
//! document validates against the HSDS 3.0 schemas with an independent validator (Python
//! `jsonschema`). The internal note is never in the open data.

use bro_domain::Clock;
use bro_domain::offer::{OfferCategory, OfferContent, Opening, ReferrerKind};
use bro_store::AuditCtx;
use bro_testkit::{Backend, TestApp, fixture, hsds_validate, test_python};
use serde_json::Value;

pub(crate) fn offer(name: &str, link: &str) -> OfferContent {
    OfferContent {
        name: name.into(),
        category: Some(OfferCategory::SubstanceTreatment),
        summary: "Ambulant behandling for alkohol og stoffer".into(),
        age_min: Some(18),
        referrers: vec![ReferrerKind::Gp],
        self_referral: true,
        waiting_weeks: Some(3),
        municipality: "Holstebro Kommune".into(),
        phone: "96 11 75 00".into(),
        secure_mail: "rusmiddel@holstebro.dk".into(),
        link: link.into(),
        hours: vec![Opening {
            day: 0,
            from_min: 480,
            to_min: 900,
        }],
        internal_note: "Kun for personalet".into(),
        ..OfferContent::default()
    }
}

async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    let (status, body) = app.browser().get_text(path).await;
    let json = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{path}: not JSON: {body}"));
    (status, json)
}

async fn the_directory_is_served_as_valid_hsds(backend: Backend) {
    let Some(python) = test_python("the_directory_is_served_as_valid_hsds") else {
        return;
    };
    let Some(app) = TestApp::spawn(backend, "hsds").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let ctx = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    app.store()
        .create_offer(
            &ctx,
            f.holstebro_unit,
            &offer("Rusmiddelcenter Holstebro", ""),
        )
        .await
        .expect("offer");
    let before_second = app.clock.now_ms();
    app.clock.advance_ms(60_000);
    let ctx = AuditCtx {
        at_ms: app.clock.now_ms(),
        ..ctx
    };
    app.store()
        .create_offer(
            &ctx,
            f.holstebro_unit,
            &offer("Værestedet Møllen", "https://www.holstebro.dk/moellen"),
        )
        .await
        .expect("offer");

    let (status, root) = get(&app, "/api/hsds/").await;
    assert_eq!((status, root["version"].as_str()), (200, Some("3.0")));
    let (status, first) = get(&app, "/api/hsds/services?per_page=1").await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            &first["total_items"],
            &first["total_pages"],
            &first["last_page"]
        ),
        (&Value::from(2), &Value::from(2), &Value::Bool(false))
    );
    let (_, second) = get(&app, "/api/hsds/services?per_page=1&page=2").await;
    let listed: Vec<Value> = [&first, &second]
        .iter()
        .flat_map(|p| p["contents"].as_array().cloned().unwrap_or_default())
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(
        !listed
            .iter()
            .any(|s| s.to_string().contains("Kun for personalet"))
    );
    let errors = hsds_validate(&python, "compiled_service_list.json.gz", &listed);
    assert!(errors.is_empty(), "{errors:#?}");

    let id = listed[0]["id"].as_str().expect("id");
    let (status, one) = get(&app, &format!("/api/hsds/services/{id}")).await;
    assert_eq!(status, 200);
    let errors = hsds_validate(
        &python,
        "compiled_service.json.gz",
        std::slice::from_ref(&one),
    );
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(one["schedules"][0]["byday"], "MO");
    assert_eq!(
        one["attributes"][0]["taxonomy_term"]["code"],
        "substance_treatment"
    );

    let after = time::OffsetDateTime::from_unix_timestamp(before_second / 1000)
        .expect("time")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("format");
    let (_, changed) = get(&app, &format!("/api/hsds/services?modified_after={after}")).await;
    assert_eq!(changed["total_items"], 1, "only the later one");
    assert_eq!(changed["contents"][0]["name"], "Værestedet Møllen");

    let (_, orgs) = get(&app, "/api/hsds/organizations").await;
    let orgs = orgs["contents"].as_array().cloned().unwrap_or_default();
    let errors = hsds_validate(&python, "compiled_organization_list.json.gz", &orgs);
    assert!(errors.is_empty(), "{errors:#?}");
    let org = one["organization_id"].as_str().expect("organization id");
    let (status, holstebro) = get(&app, &format!("/api/hsds/organizations/{org}")).await;
    assert_eq!(status, 200);
    assert_eq!(holstebro["services"].as_array().map(Vec::len), Some(2));
    let errors = hsds_validate(&python, "compiled_organization.json.gz", &[holstebro]);
    assert!(errors.is_empty(), "{errors:#?}");
    let (_, terms) = get(&app, "/api/hsds/taxonomy_terms").await;
    assert_eq!(terms["total_items"], OfferCategory::ALL.len());

    // `bro export hsds` writes the same services as files, valid as well.
    let out = std::env::temp_dir().join(format!("bro-hsds-{}-{backend:?}", std::process::id()));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_bro"))
        .args(["export", "hsds", "--out"])
        .arg(&out)
        .args(["--database", &app.db.url()])
        .env("BRO_LOG", "warn")
        .output()
        .expect("run bro export hsds");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        String::from_utf8_lossy(&run.stdout).starts_with("exported 2 services of 1 organizations")
    );
    let file = |name: &str| -> Vec<Value> {
        let text = std::fs::read_to_string(out.join(name)).expect("exported file");
        serde_json::from_str(&text).expect("a JSON array")
    };
    let exported = file("services.json");
    let served = [listed[1].clone(), listed[0].clone()];
    let by_id = |v: &[Value], id: &Value| v.iter().find(|s| &s["id"] == id).cloned();
    for s in &served {
        assert_eq!(
            by_id(&exported, &s["id"]).as_ref(),
            Some(s),
            "the same as served"
        );
    }
    let errors = hsds_validate(&python, "compiled_service.json.gz", &exported);
    assert!(errors.is_empty(), "{errors:#?}");
    let errors = hsds_validate(
        &python,
        "compiled_organization.json.gz",
        &file("organizations.json"),
    );
    assert!(errors.is_empty(), "{errors:#?}");
    let _ = std::fs::remove_dir_all(&out);

    for bad in [
        "/api/hsds/services?per_page=0",
        "/api/hsds/services?modified_after=igår",
        "/api/hsds/services/not-a-uuid",
    ] {
        let (status, body) = get(&app, bad).await;
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(body["error"].is_string(), "{bad}");
    }
    app.stop().await;
}

on_both_backends!(the_directory_is_served_as_valid_hsds);
