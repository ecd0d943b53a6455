//! The web shell: health, errors, headers, language, citizens' own pages.

use bro_audit::AuditAction;
use bro_testkit::{Backend, FIXTURE_PASSWORD, TestApp, fixture, location};

async fn app(name: &str) -> TestApp {
    TestApp::spawn(Backend::Sqlite, name)
        .await
        .expect("sqlite app")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_unknown_routes() {
    let app = app("health").await;
    let b = app.browser();
    assert_eq!(b.get_text("/healthz").await, (200, "ok".to_owned()));
    assert_eq!(b.get_text("/readyz").await, (200, "ready".to_owned()));
    let r = b.get("/no/such/page").await;
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.headers().get("x-request-id").is_some());
    let html = r.text().await.expect("body");
    assert!(html.contains("<h1>Siden findes ikke</h1>"));
    assert!(html.contains("Fejlreference:"));
    assert!(html.contains("dkfds.min.css"), "in the site's look");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_are_on_every_response() {
    let app = app("headers").await;
    let b = app.browser();
    for path in ["/login", "/no/such/page", "/healthz"] {
        let r = b.get(path).await;
        let h = r.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(csp.contains("default-src 'self'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(
            h.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..])
        );
        assert_eq!(
            h.get("referrer-policy").map(|v| v.as_bytes()),
            Some(&b"same-origin"[..])
        );
    }
    // Cookies: HttpOnly and SameSite=Lax (Secure and __Host- outside localhost).
    let r = b.login("nobody", "whatever-password").await;
    drop(r);
    let r = app.browser().get("/login").await;
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_interface_speaks_english_when_chosen() {
    let app = app("english").await;
    let b = app.browser();
    let (_, html) = b.get_text("/login").await;
    assert!(html.contains("<html lang=\"da\">") && html.contains("Brugernavn"));
    let r = b
        .post("/language", &[("lang", "en"), ("back", "/login")])
        .await;
    assert_eq!(location(&r), "/login");
    let (_, html) = b.get_text("/login").await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("Username"));
    let r = b.login("", "").await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Enter your username")
    );
    // An outside address to go back to is not followed.
    let r = b
        .post("/language", &[("lang", "da"), ("back", "//evil.example/x")])
        .await;
    assert_eq!(location(&r), "/");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_lands_on_their_own_page_and_the_read_is_audited() {
    let app = app("citizen").await;
    let f = fixture(app.store(), true).await;
    let b = app.browser();
    // Citizens are not staff: the organisations' second-factor rule does not hold them back.
    assert_eq!(location(&b.login("citizen", FIXTURE_PASSWORD).await), "/");
    assert_eq!(location(&b.get("/").await), "/me");
    let (status, html) = b.get_text("/me").await;
    assert_eq!(status, 200);
    assert!(html.contains("710585-2345"));
    assert!(html.contains("Nørregade 4"));
    let audit = app.store().recent_audit(0, 2).await.expect("audit");
    let read = audit
        .iter()
        .find(|r| r.fields.action == AuditAction::CitizenRead.code())
        .expect("the record read is audited");
    assert_eq!(read.fields.subject_citizen_id, Some(f.citizen));
    assert_eq!(read.fields.purpose, "own-data");
    // Staff pages are not theirs.
    assert_eq!(location(&b.get("/home").await), "/me");
    assert_eq!(b.get_text("/admin").await.0, 404);

    let rel = app.browser();
    rel.login("rel", FIXTURE_PASSWORD).await;
    let (_, html) = rel.get_text("/me").await;
    assert!(html.contains("Mads Nørgaard (Mor)"));
    assert!(
        !html.contains("710585-2345"),
        "a relative sees only what is shared"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_with_several_roles_switches_between_them() {
    let app = app("switch").await;
    let f = fixture(app.store(), false).await;
    let ctx = bro_store::AuditCtx::system(f.holstebro.0, 0, "test");
    let admin_role = app
        .store()
        .grant_role(
            &ctx,
            f.koord,
            f.holstebro_admin_unit,
            bro_domain::Role::Admin,
        )
        .await
        .expect("grant");
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    assert_eq!(b.get_text("/admin").await.0, 404, "working as coordinator");
    let r = b
        .post("/context", &[("assignment", &admin_role.to_string())])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(b.get_text("/admin").await.0, 200, "now working as admin");
    // Someone else's role cannot be taken.
    let r = b.post("/context", &[("assignment", "99999")]).await;
    assert_eq!(r.status().as_u16(), 404);
    app.stop().await;
}

/// The database goes away: pages answer 503 in the site's look, /readyz fails, nothing is
/// lost; when it returns, Bro carries on without a restart (the session survives).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_outage_gives_503_and_bro_recovers_on_postgres() {
    let name = "http_shell::database_outage_gives_503_and_bro_recovers_on_postgres";
    let Some(target) = bro_testkit::postgres_url().and_then(|u| bro_testkit::postgres_address(&u))
    else {
        eprintln!("SKIPPED (PostgreSQL): {name}: BRO_TEST_POSTGRES_URL is not set");
        return;
    };
    let proxy = bro_testkit::OutageProxy::start(target).await;
    let db = bro_testkit::TestStore::new_via(Backend::Postgres, name, Some(proxy.addr))
        .await
        .expect("store");
    let app = TestApp::on(db, bro_web::WebConfig::default()).await;
    fixture(app.store(), false).await;
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    assert_eq!(b.get_text("/home").await.0, 200);

    proxy.cut().await;
    assert_eq!(b.get_text("/readyz").await.0, 503);
    let (status, html) = b.get_text("/home").await;
    assert_eq!(status, 503);
    assert!(html.contains("Bro er midlertidigt utilgængelig"));
    assert_eq!(
        b.get_text("/healthz").await.0,
        200,
        "the process itself is up"
    );

    proxy.restore();
    assert_eq!(b.get_text("/readyz").await.0, 200);
    assert_eq!(b.get_text("/home").await.0, 200, "still logged in");
    app.stop().await;
}
