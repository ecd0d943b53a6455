//! `POST /api/medcom/hospital-notifications` (issue 18, item 2): the organisation's admin sets
//! its SOR id and makes a client token (shown once); a message broker delivers with it and gets
//! MedCom's Acknowledgement: ok for a message received (also unmatched), ok with a note for a
//! duplicate, fatal-error with the reason for an invalid one or one addressed elsewhere, 413
//! for a body too large to read. No token, a wrong or a revoked one: 401, audited. Another
//! organisation's admin cannot revoke the token.

use crate::hospital::{ADMIT, DISCHARGE, SOR, example, kinds, renamed};
use crate::http_plan::{course, logged_in};
use bro_domain::notice::NoticeKind;
use bro_testkit::{Backend, Browser, TestApp, fixture};
use serde_json::Value;

const API: &str = "/api/medcom/hospital-notifications";

/// Delivers `body` with `token` (none: no Authorization header): status and answer.
pub(crate) async fn deliver(
    app: &TestApp,
    token: Option<&str>,
    body: Vec<u8>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}{API}", app.base))
        .header("content-type", "application/fhir+json")
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("POST");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.text().await.expect("body"))
}

/// The acknowledgement's response code, the message it answers, and its issue's code and text.
pub(crate) fn ack(body: &str) -> (String, String, Option<(String, String)>) {
    let v: Value = serde_json::from_str(body).expect("an Acknowledgement Bundle");
    let entries = v["entry"].as_array().expect("entries");
    let of = |kind: &str| {
        entries
            .iter()
            .map(|e| &e["resource"])
            .find(|r| r["resourceType"] == kind)
    };
    let header = of("MessageHeader").expect("MessageHeader");
    let issue = of("OperationOutcome").map(|o| {
        let d = &o["issue"][0]["details"];
        (
            d["coding"][0]["code"].as_str().unwrap_or("").to_owned(),
            d["text"].as_str().unwrap_or("").to_owned(),
        )
    });
    (
        header["response"]["code"].as_str().unwrap_or("").to_owned(),
        header["response"]["identifier"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
        issue,
    )
}

/// Makes a client on the admin page and reads its token from the answer.
pub(crate) async fn make_client(admin: &Browser, name: &str) -> String {
    let csrf = admin.csrf().await;
    let res = admin
        .post(
            "/admin/hospital/clients",
            &[("csrf_token", &csrf), ("name", name)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("page");
    let at = html
        .find("<code id=\"client-token\">")
        .expect("token shown")
        + 24;
    html[at..].split('<').next().expect("token").to_owned()
}

/// The patient the hospital wrote about before Bro knew them (CPR number 2509479989), now
/// added as a citizen.
pub(crate) async fn the_stranger_arrives(
    store: &bro_store::DynStore,
    ctx: &bro_store::AuditCtx,
) -> bro_domain::CitizenId {
    store
        .create_citizen(
            ctx,
            bro_store::NewCitizen {
                cpr: bro_domain::Cpr::parse("2509479989").expect("CPR"),
                given_name: bro_domain::Name::parse("Elmer").expect("name"),
                family_name: bro_domain::Name::parse("Hansen").expect("name"),
                address: String::new(),
                postal_code: String::new(),
                city: String::new(),
            },
        )
        .await
        .expect("citizen")
}

async fn refusals(app: &TestApp, tenant: i64) -> usize {
    app.store()
        .recent_audit(tenant, 200)
        .await
        .expect("audit")
        .iter()
        .filter(|r| {
            r.fields.action == "hospital.client_refuse" && r.fields.outcome.as_str() == "denied"
        })
        .count()
}

async fn a_broker_delivers_with_its_token_and_is_answered_in_medcom(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "hospital_api").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    course(&app, &f).await;
    let cpr = "7105852345"; // the fixture's citizen
    let admin = logged_in(&app, "admin-h").await;
    let csrf = admin.csrf().await;
    // A SOR id that is not one is refused by the field and kept as typed.
    let res = admin
        .post(
            "/admin/hospital/sor",
            &[("csrf_token", &csrf), ("sor", "95374x")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("page");
    assert!(
        html.contains("SOR-koden skal være 6 til 20 cifre") && html.contains("value=\"95374x\"")
    );
    let res = admin
        .post(
            "/admin/hospital/sor",
            &[("csrf_token", &csrf), ("sor", SOR)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = admin
        .post(
            "/admin/hospital/clients",
            &[("csrf_token", &csrf), ("name", " ")],
        )
        .await;
    assert_eq!(res.status(), 422, "a client needs a name");
    let token = make_client(&admin, "Regionens beskedformidler").await;
    assert_eq!(token.len(), 43);
    let (_, page) = admin.get_text("/admin/hospital").await;
    assert!(
        page.contains("Regionens beskedformidler") && !page.contains(&token),
        "shown once"
    );

    // No token, or a wrong one: 401, audited at the platform.
    let admit = example(ADMIT, cpr).to_string().into_bytes();
    let before = refusals(&app, 0).await;
    let (status, headers, _) = deliver(&app, None, admit.clone()).await;
    assert_eq!(
        (status, headers["www-authenticate"].to_str().ok()),
        (401, Some("Bearer"))
    );
    assert_eq!(
        deliver(&app, Some("not-a-token"), admit.clone()).await.0,
        401
    );
    assert_eq!(refusals(&app, 0).await, before + 2);

    // Received: ok, answering the message's own MessageHeader id.
    let (status, headers, body) = deliver(&app, Some(&token), admit.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("application/fhir+json")
    );
    let (code, answers, issue) = ack(&body);
    assert_eq!((code.as_str(), issue), ("ok", None));
    assert_eq!(answers, "b9b4818e-02de-4cc4-b418-d20cbc7b5404");
    assert_eq!(kinds(&app, f.koord).await, [NoticeKind::HospitalAdmitted]);
    // The same message again: ok, said to be a duplicate, nothing changed.
    let (status, _, body) = deliver(&app, Some(&token), admit.clone()).await;
    assert_eq!(status, 200);
    let (code, _, issue) = ack(&body);
    assert_eq!(code, "ok");
    assert_eq!(issue.expect("a note").0, "MSG_DUPLICATE_ID");
    assert_eq!(kinds(&app, f.koord).await, [NoticeKind::HospitalAdmitted]);

    // Invalid: fatal-error with the element and the reason, and never the CPR number.
    let mut broken = renamed(example(DISCHARGE, cpr), "broken-1");
    for e in broken["entry"].as_array_mut().expect("entries") {
        if e["resource"]["resourceType"] == "Encounter" {
            e["resource"]["status"] = Value::from("in-progress");
        }
    }
    let (status, _, body) = deliver(&app, Some(&token), broken.to_string().into_bytes()).await;
    assert_eq!(status, 422);
    let (code, answers, issue) = ack(&body);
    assert_eq!(
        (code.as_str(), answers.as_str()),
        ("fatal-error", "broken-1")
    );
    let (_, text) = issue.expect("the reason");
    assert_eq!(
        text,
        "Encounter.status does not fit the activity 'discharge-inpatient-home'"
    );
    assert!(!body.contains(cpr));
    let (status, _, body) = deliver(&app, Some(&token), b"{not json".to_vec()).await;
    assert_eq!(status, 422);
    assert_eq!(ack(&body).0, "fatal-error");
    // Addressed to another receiver than the token's organisation.
    let mut elsewhere = renamed(example(ADMIT, cpr), "elsewhere-1");
    for e in elsewhere["entry"].as_array_mut().expect("entries") {
        if e["resource"]["resourceType"] == "Organization" {
            for id in e["resource"]["identifier"]
                .as_array_mut()
                .into_iter()
                .flatten()
            {
                if id["value"] == SOR {
                    id["value"] = Value::from("123456789012345");
                }
            }
        }
    }
    let (status, _, body) = deliver(&app, Some(&token), elsewhere.to_string().into_bytes()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        ack(&body).2.expect("why").0,
        "MSG_Receiver_Identifier_UNKNOWN"
    );
    // A CPR number no citizen has: received, and waiting on the admin's page.
    let mut stranger = renamed(example(ADMIT, "2509479989"), "stranger-1");
    for e in stranger["entry"].as_array_mut().expect("entries") {
        if e["resource"]["resourceType"] == "Encounter" {
            e["resource"]["episodeOfCare"][0]["identifier"]["value"] = Value::from("their-own");
        }
    }
    let (status, _, body) = deliver(&app, Some(&token), stranger.to_string().into_bytes()).await;
    assert_eq!((status, ack(&body).0.as_str()), (200, "ok"));
    let (_, page) = admin.get_text("/admin/hospital").await;
    assert!(page.contains("Ingen borger med CPR-nummeret") && page.contains("stranger-1"));
    assert!(page.contains("Encounter.status does not fit") && !page.contains("2509479989"));
    // Once the citizen is in Bro, matching again gives them the stay; the list is cleared.
    let setup = bro_store::AuditCtx::system(0, 0, "test");
    let elmer = the_stranger_arrives(app.store(), &setup).await;
    let res = admin
        .post("/admin/hospital/rematch", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = admin.get_text("/admin/hospital").await;
    assert!(page.contains("Beskederne er knyttet til de borgere") && !page.contains("stranger-1"));
    let stays = app
        .store()
        .hospital_episodes(&setup, elmer)
        .await
        .expect("episodes");
    assert_eq!(stays.len(), 1);
    // Too large to read: refused unread.
    let (status, _, body) = deliver(
        &app,
        Some(&token),
        vec![b' '; 4 * bro_medcom::MAX_BYTES + 1],
    )
    .await;
    assert_eq!((status, ack(&body).0.as_str()), (413, "fatal-error"));

    // Another organisation's admin cannot revoke it; its own can, and then it opens nothing.
    let clients = app
        .store()
        .hospital_clients(f.holstebro)
        .await
        .expect("clients");
    let revoke = format!("/admin/hospital/clients/{}/revoke", clients[0].id);
    let other = logged_in(&app, "admin-r").await;
    let csrf_r = other.csrf().await;
    assert_eq!(
        other
            .post(&revoke, &[("csrf_token", &csrf_r)])
            .await
            .status(),
        404
    );
    assert_eq!(deliver(&app, Some(&token), admit.clone()).await.0, 200);
    assert_eq!(
        admin.post(&revoke, &[("csrf_token", &csrf)]).await.status(),
        303
    );
    let before = refusals(&app, f.holstebro.0).await;
    assert_eq!(deliver(&app, Some(&token), admit).await.0, 401);
    assert_eq!(
        refusals(&app, f.holstebro.0).await,
        before + 1,
        "audited in its organisation"
    );
    app.stop().await;
}

on_both_backends!(a_broker_delivers_with_its_token_and_is_answered_in_medcom);
