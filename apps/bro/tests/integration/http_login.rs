//! Login, second factor, rate limits, CSRF, session expiry and logout over real HTTP.

use bro_audit::AuditAction;
use bro_domain::Clock;
use bro_testkit::{Backend, FIXTURE_PASSWORD, TestApp, fixture, location};

async fn app(name: &str) -> TestApp {
    TestApp::spawn(Backend::Sqlite, name)
        .await
        .expect("sqlite app")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_succeeds_and_lands_on_the_role_page() {
    let app = app("login_succeeds").await;
    fixture(app.store(), false).await;
    let b = app.browser();
    let r = b.login("koord", FIXTURE_PASSWORD).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), "/");
    let r = b.get("/").await;
    assert_eq!(location(&r), "/home");
    let (status, html) = b.get_text("/home").await;
    assert_eq!(status, 200);
    assert!(html.contains("Velkommen, Karen Koordinator"));
    assert!(html.contains("Tovholder"));
    // The login is in the organisation's audit chain.
    let audit = app.store().recent_audit(1, 5).await.expect("audit");
    assert!(
        audit
            .iter()
            .any(|r| r.fields.action == AuditAction::LoginSucceeded.code())
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_works_on_postgresql_too() {
    let Some(app) = TestApp::spawn(
        Backend::Postgres,
        "http_login::login_works_on_postgresql_too",
    )
    .await
    else {
        return;
    };
    fixture(app.store(), false).await;
    let b = app.browser();
    assert_eq!(location(&b.login("koord", FIXTURE_PASSWORD).await), "/");
    assert_eq!(b.get_text("/home").await.0, 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = app("wrong_password").await;
    fixture(app.store(), false).await;
    let b = app.browser();
    let wrong = b.login("koord", "not-the-password").await;
    assert_eq!(wrong.status().as_u16(), 401);
    let wrong_html = wrong.text().await.expect("body");
    let unknown = b.login("no-such-user", "not-the-password").await;
    assert_eq!(unknown.status().as_u16(), 401);
    let unknown_html = unknown.text().await.expect("body");
    assert!(wrong_html.contains("Forkert brugernavn eller adgangskode."));
    assert!(unknown_html.contains("Forkert brugernavn eller adgangskode."));
    // The typed username is kept; the password is not echoed.
    assert!(wrong_html.contains("value=\"koord\""));
    assert!(!wrong_html.contains("not-the-password"));
    assert_eq!(
        location(&b.get("/home").await),
        "/login",
        "no session was created"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_fields_are_named_next_to_the_field() {
    let app = app("empty_fields").await;
    let b = app.browser();
    let r = b.login("", "").await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("Indtast dit brugernavn"));
    assert!(html.contains("Indtast din adgangskode"));
    assert!(html.contains("aria-invalid=\"true\""));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_is_locked_after_repeated_failures() {
    let app = app("locked_out").await;
    fixture(app.store(), false).await;
    let b = app.browser();
    for _ in 0..app.config.max_failures_per_account {
        assert_eq!(
            b.login("koord", "wrong-password-x").await.status().as_u16(),
            401
        );
    }
    // Now even the right password is refused, with a clear message.
    let r = b.login("koord", FIXTURE_PASSWORD).await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("For mange mislykkede forsøg. Prøv igen om 15 minutter.")
    );
    // Another browser from the same address, another account: still allowed.
    assert_eq!(
        location(&app.browser().login("admin-h", FIXTURE_PASSWORD).await),
        "/"
    );
    // After the window the account opens again.
    app.clock.advance_ms(app.config.login_window_ms + 1);
    assert_eq!(location(&b.login("koord", FIXTURE_PASSWORD).await), "/");
    let audit = app.store().recent_audit(1, 50).await.expect("audit");
    assert!(
        audit
            .iter()
            .any(|r| r.fields.action == AuditAction::LoginRateLimited.code())
    );
    app.stop().await;
}

/// Attempts that arrive at once are counted before their password is checked, so no more
/// of them than the limit are ever checked; on both backends.
async fn parallel_attempts_get_at_most_the_limit(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "parallel_logins").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    fixture(app.store(), false).await;
    let limit = app.config.max_failures_per_account;
    let tries = (0..limit * 3).map(|_| {
        let b = app.browser();
        tokio::spawn(async move { b.login("koord", "wrong-password-x").await.status().as_u16() })
    });
    let mut statuses = Vec::new();
    for t in tries.collect::<Vec<_>>() {
        statuses.push(t.await.expect("attempt"));
    }
    let limit = usize::try_from(limit).expect("limit");
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(
        (checked, refused),
        (limit, statuses.len() - limit),
        "{statuses:?}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_attempts_get_at_most_the_limit_on_sqlite() {
    parallel_attempts_get_at_most_the_limit(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_attempts_get_at_most_the_limit_on_postgres() {
    parallel_attempts_get_at_most_the_limit(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_names_are_throttled_like_real_ones() {
    let app = app("unknown_throttled").await;
    let b = app.browser();
    for _ in 0..app.config.max_failures_per_account {
        b.login("ghost", "wrong-password-x").await;
    }
    let r = b.login("ghost", "wrong-password-x").await;
    assert_eq!(
        r.status().as_u16(),
        429,
        "no difference between known and unknown names"
    );
    app.stop().await;
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html.find(start).expect("start marker") + start.len();
    let rest = &html[at..];
    &rest[..rest.find(end).expect("end marker")]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_enrolment_then_login_with_code_and_recovery_code() {
    let app = app("totp").await;
    fixture(app.store(), true).await;
    let b = app.browser();
    // The organisation demands a second factor: login leads to enrolment, not in.
    assert_eq!(
        location(&b.login("koord", FIXTURE_PASSWORD).await),
        "/account/second-factor"
    );
    assert_eq!(
        location(&b.get("/home").await),
        "/login",
        "not logged in before enrolment"
    );
    let (status, html) = b.get_text("/account/second-factor").await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg"), "QR code shown");
    let secret = between(&html, "<code id=\"totp-secret\">", "</code>").to_owned();
    let now = u64::try_from(app.clock.now_ms() / 1000).expect("time");
    let wrong = b
        .post(
            "/account/second-factor",
            &[("secret", &secret), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status().as_u16(), 422);
    let code = bro_auth::totp::code_at(&secret, now).expect("code");
    let r = b
        .post(
            "/account/second-factor",
            &[("secret", &secret), ("code", &code)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.expect("body");
    let codes: Vec<String> = between(
        &html,
        "<ul class=\"nobullet-list recovery-codes\">",
        "</ul>",
    )
    .split("<li>")
    .filter_map(|s| s.split("</li>").next())
    .map(|s| s.trim().to_owned())
    .filter(|s| !s.is_empty())
    .collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(
        b.get_text("/home").await.0,
        200,
        "enrolment completes the login"
    );

    // Next login asks for the code; the code just used cannot be replayed.
    assert_eq!(b.post("/logout", &[]).await.status().as_u16(), 303);
    let b = app.browser();
    assert_eq!(
        location(&b.login("koord", FIXTURE_PASSWORD).await),
        "/login/second-factor"
    );
    assert_eq!(
        b.post("/login/second-factor", &[("code", &code)])
            .await
            .status()
            .as_u16(),
        401
    );
    app.clock.advance_ms(30_000);
    let fresh = bro_auth::totp::code_at(&secret, now + 30).expect("code");
    assert_eq!(
        location(&b.post("/login/second-factor", &[("code", &fresh)]).await),
        "/"
    );
    assert_eq!(b.get_text("/home").await.0, 200);

    // A recovery code works once.
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    assert_eq!(
        location(
            &b.post(
                "/login/second-factor",
                &[("code", &codes[0].to_lowercase())]
            )
            .await
        ),
        "/"
    );
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    assert_eq!(
        b.post("/login/second-factor", &[("code", &codes[0])])
            .await
            .status()
            .as_u16(),
        401
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsafe_requests_without_the_csrf_token_are_refused() {
    let app = app("csrf").await;
    fixture(app.store(), false).await;
    let b = app.browser();
    // No token at all.
    let r = b
        .post_bare(
            "/login",
            &[("username", "koord"), ("password", FIXTURE_PASSWORD)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Handlingen blev afvist")
    );
    // A token that is not this browser's.
    b.csrf().await;
    let forged = "A".repeat(43);
    let r = b
        .post_bare(
            "/login",
            &[
                ("username", "koord"),
                ("password", FIXTURE_PASSWORD),
                ("csrf_token", &forged),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    // The right token from another site.
    let token = b.csrf().await;
    let r = b
        .client
        .post(format!("{}/login", b.base))
        .header("origin", "https://evil.example")
        .form(&[
            ("username", "koord"),
            ("password", FIXTURE_PASSWORD),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(
        location(&b.get("/home").await),
        "/login",
        "none of them logged in"
    );
    // The htmx header works as well as the form field.
    let r = b
        .client
        .post(format!("{}/login", b.base))
        .header("x-csrf-token", token.as_str())
        .form(&[("username", "koord"), ("password", FIXTURE_PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(location(&r), "/");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_when_idle_and_at_their_absolute_lifetime() {
    let app = app("expiry").await;
    fixture(app.store(), false).await;
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    app.clock.advance_ms(app.config.idle_timeout_ms - 60_000);
    assert_eq!(
        b.get_text("/home").await.0,
        200,
        "still within the idle timeout"
    );
    app.clock.advance_ms(app.config.idle_timeout_ms + 1);
    assert_eq!(location(&b.get("/home").await), "/login");
    let (_, html) = b.get_text("/login").await;
    assert!(html.contains("din session er udløbet"));

    // Busy, but past the absolute lifetime.
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    let step = app.config.idle_timeout_ms / 2;
    let mut elapsed = 0;
    while elapsed < app.config.absolute_lifetime_ms - step {
        app.clock.advance_ms(step);
        elapsed += step;
        assert_eq!(b.get_text("/home").await.0, 200);
    }
    app.clock.advance_ms(step);
    assert_eq!(location(&b.get("/home").await), "/login");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_and_logout_everywhere() {
    let app = app("logout").await;
    fixture(app.store(), false).await;
    let phone = app.browser();
    let desk = app.browser();
    phone.login("koord", FIXTURE_PASSWORD).await;
    desk.login("koord", FIXTURE_PASSWORD).await;
    let r = phone.post("/logout", &[]).await;
    assert_eq!(location(&r), "/login");
    assert_eq!(location(&phone.get("/home").await), "/login");
    assert_eq!(
        desk.get_text("/home").await.0,
        200,
        "other devices stay logged in"
    );

    phone.login("koord", FIXTURE_PASSWORD).await;
    assert_eq!(
        location(&desk.post("/logout/everywhere", &[]).await),
        "/login"
    );
    assert_eq!(location(&phone.get("/home").await), "/login");
    assert_eq!(location(&desk.get("/home").await), "/login");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivated_users_cannot_log_in_and_lose_their_sessions() {
    let app = app("deactivated").await;
    let f = fixture(app.store(), false).await;
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    let admin = app.browser();
    admin.login("admin-h", FIXTURE_PASSWORD).await;
    let r = admin
        .post(&format!("/admin/users/{}/deactivate", f.koord.0), &[])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&b.get("/home").await), "/login");
    assert_eq!(
        b.login("koord", FIXTURE_PASSWORD).await.status().as_u16(),
        401
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_does_not_buy_new_second_factor_guesses() {
    let app = app("second_factor_guesses").await;
    let f = fixture(app.store(), true).await;
    let secret = bro_auth::totp::new_secret();
    let (_, digests) = bro_auth::totp::new_recovery_codes();
    let ctx = bro_store::AuditCtx::system(f.holstebro.0, 0, "test");
    app.store()
        .enable_totp(&ctx, f.koord, secret.clone(), digests)
        .await
        .expect("enrol");
    // Two wrong codes per password login, three times: six guesses against a limit of five.
    for _ in 0..3 {
        let b = app.browser();
        assert_eq!(
            location(&b.login("koord", FIXTURE_PASSWORD).await),
            "/login/second-factor"
        );
        for _ in 0..2 {
            b.post("/login/second-factor", &[("code", "000000")]).await;
        }
    }
    let b = app.browser();
    b.login("koord", FIXTURE_PASSWORD).await;
    let now = u64::try_from(app.clock.now_ms() / 1000).expect("time");
    let right = bro_auth::totp::code_at(&secret, now).expect("code");
    let r = b.post("/login/second-factor", &[("code", &right)]).await;
    assert_eq!(
        r.status().as_u16(),
        429,
        "locked until the window has passed"
    );
    assert_eq!(location(&b.get("/home").await), "/login");
    app.stop().await;
}
