//! Organisation administration: scoping between organisations, validation, audit.

use bro_audit::{AuditAction, Outcome};
use bro_testkit::{Backend, FIXTURE_PASSWORD, TestApp, fixture, location};

async fn app(name: &str) -> TestApp {
    TestApp::spawn(Backend::Sqlite, name)
        .await
        .expect("sqlite app")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_cannot_see_or_change_another_organisations_users() {
    let app = app("admin_scope").await;
    let f = fixture(app.store(), false).await;
    let b = app.browser();
    b.login("admin-h", FIXTURE_PASSWORD).await;

    let (status, html) = b.get_text("/admin/users").await;
    assert_eq!(status, 200);
    assert!(html.contains("Karen Koordinator"));
    assert!(
        !html.contains("Pia Fagperson"),
        "the region's staff are not listed"
    );

    let other = f.prof_r.0;
    let (status, html) = b.get_text(&format!("/admin/users/{other}")).await;
    assert_eq!(status, 404);
    assert!(html.contains("Siden findes ikke"));
    assert!(!html.contains("Pia Fagperson"));
    for path in [
        format!("/admin/users/{other}/deactivate"),
        format!("/admin/users/{other}/password"),
        format!("/admin/users/{other}/roles"),
    ] {
        let r = b
            .post(
                &path,
                &[
                    ("password", "a-brand-new-password"),
                    ("unit", &f.holstebro_unit.0.to_string()),
                    ("role", "admin"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    // Nothing changed for the region's user.
    let creds = app
        .store()
        .credentials("prof-r")
        .await
        .expect("creds")
        .expect("exists");
    assert!(creds.active);
    assert_eq!(app.store().roles(f.prof_r).await.expect("roles").len(), 1);
    let region = app.browser();
    assert_eq!(
        location(&region.login("prof-r", FIXTURE_PASSWORD).await),
        "/",
        "password unchanged"
    );

    // Each attempt is in Holstebro's audit chain as denied.
    let audit = app
        .store()
        .recent_audit(f.holstebro.0, 50)
        .await
        .expect("audit");
    let denied = audit
        .iter()
        .filter(|r| {
            r.fields.outcome == Outcome::Denied && r.fields.action == AuditAction::UserRead.code()
        })
        .count();
    assert_eq!(denied, 4);

    // A non-admin is refused the admin pages altogether, and that is audited too.
    let koord = app.browser();
    koord.login("koord", FIXTURE_PASSWORD).await;
    assert_eq!(koord.get_text("/admin/users").await.0, 404);
    let audit = app
        .store()
        .recent_audit(f.holstebro.0, 1)
        .await
        .expect("audit");
    assert_eq!(audit[0].fields.action, AuditAction::AccessDenied.code());
    assert_eq!(audit[0].fields.outcome, Outcome::Denied);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_a_user_who_can_then_log_in() {
    let app = app("admin_create").await;
    let f = fixture(app.store(), false).await;
    let b = app.browser();
    b.login("admin-h", FIXTURE_PASSWORD).await;
    let unit = f.holstebro_unit.0.to_string();
    let r = b
        .post(
            "/admin/users",
            &[
                ("display_name", "Jens Jobcenter"),
                ("username", "Jens.J"),
                ("password", "a-long-first-password"),
                ("unit", &unit),
                ("role", "professional"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let to = location(&r);
    let (status, html) = b.get_text(&to).await;
    assert_eq!(status, 200);
    assert!(html.contains("Brugeren er oprettet."));
    assert!(html.contains("jens.j"));
    let jens = app.browser();
    assert_eq!(
        location(&jens.login("jens.j", "a-long-first-password").await),
        "/"
    );
    // Reset the password: the old one stops working and sessions end.
    let id = to.trim_start_matches("/admin/users/");
    let r = b
        .post(
            &format!("/admin/users/{id}/password"),
            &[("password", "a-second-long-password")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&jens.get("/home").await), "/login");
    assert_eq!(
        jens.login("jens.j", "a-long-first-password")
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        location(
            &app.browser()
                .login("jens.j", "a-second-long-password")
                .await
        ),
        "/"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_field_by_field_and_kept() {
    let app = app("admin_bad_input").await;
    let f = fixture(app.store(), false).await;
    let b = app.browser();
    b.login("admin-h", FIXTURE_PASSWORD).await;
    let before = app
        .store()
        .users_of_org(&bro_store::AuditCtx::system(0, 0, "test"), f.holstebro)
        .await
        .expect("users")
        .len();
    let long = "x".repeat(201);
    let cases: [(&str, &str, &str, &str, &str); 4] = [
        // empty
        ("", "", "", "", ""),
        // too long
        (&long, &long, &long.repeat(2), "999999", "emperor"),
        // malformed
        ("Ole", "a", "short", "abc", "Admin"),
        // hostile
        (
            "<script>alert(1)</script>",
            "x' OR 1=1 --",
            "a-long-first-password",
            "1; DROP TABLE users",
            "<b>",
        ),
    ];
    for (name, username, password, unit, role) in cases {
        let r = b
            .post(
                "/admin/users",
                &[
                    ("display_name", name),
                    ("username", username),
                    ("password", password),
                    ("unit", unit),
                    ("role", role),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "case {name:?}");
        let html = r.text().await.expect("body");
        assert!(html.contains("Der er problemer med formularen"));
        assert!(
            !html.contains("<script>alert(1)</script>"),
            "typed text is escaped"
        );
        if name.starts_with("<script>") {
            assert!(
                html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
                "typed text is kept"
            );
        }
        assert!(
            !html.contains(password) || password.is_empty(),
            "passwords are not echoed"
        );
    }
    let after = app
        .store()
        .users_of_org(&bro_store::AuditCtx::system(0, 0, "test"), f.holstebro)
        .await
        .expect("users")
        .len();
    assert_eq!(before, after, "nothing was saved");

    // A username that is taken.
    let unit = f.holstebro_unit.0.to_string();
    let r = b
        .post(
            "/admin/users",
            &[
                ("display_name", "Ny Karen"),
                ("username", "koord"),
                ("password", "a-long-first-password"),
                ("unit", &unit),
                ("role", "coordinator"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Brugernavnet er optaget")
    );

    // Units: empty and duplicate names.
    let r = b.post("/admin/units", &[("name", ""), ("kind", "")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let r = b
        .post(
            "/admin/units",
            &[
                ("name", "Rusmiddelcenter Holstebro"),
                ("kind", "substance_abuse_treatment"),
            ],
        )
        .await;
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Der findes allerede en enhed med dette navn")
    );
    let r = b
        .post(
            "/admin/units",
            &[("name", "Jobcenter Holstebro"), ("kind", "job_centre")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_are_granted_and_revoked_within_the_organisation() {
    let app = app("admin_roles").await;
    let f = fixture(app.store(), false).await;
    let b = app.browser();
    b.login("admin-h", FIXTURE_PASSWORD).await;
    let koord = f.koord.0;
    // A unit of another organisation cannot be chosen.
    let r = b
        .post(
            &format!("/admin/users/{koord}/roles"),
            &[
                ("unit", &f.region_unit.0.to_string()),
                ("role", "professional"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let r = b
        .post(
            &format!("/admin/users/{koord}/roles"),
            &[
                ("unit", &f.holstebro_unit.0.to_string()),
                ("role", "meeting_leader"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let roles = app.store().roles(f.koord).await.expect("roles");
    assert_eq!(roles.len(), 2);
    let added = roles
        .iter()
        .find(|r| r.role == bro_domain::Role::MeetingLeader)
        .expect("granted");
    let r = b
        .post(
            &format!("/admin/users/{koord}/roles/{}/revoke", added.id),
            &[],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.store().roles(f.koord).await.expect("roles").len(), 1);

    // The admin can make the second factor optional or required.
    let r = b
        .post("/admin/settings", &[("require_second_factor", "true")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(
        app.store()
            .organisation(f.holstebro)
            .await
            .expect("org")
            .require_second_factor
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_cannot_revoke_a_role_held_in_another_organisation() {
    let app = app("admin_revoke_scope").await;
    let f = fixture(app.store(), false).await;
    // Karen (Holstebro) also works in the region.
    let ctx = bro_store::AuditCtx::system(f.region.0, 0, "test");
    let regional = app
        .store()
        .grant_role(&ctx, f.koord, f.region_unit, bro_domain::Role::Professional)
        .await
        .expect("grant");
    let b = app.browser();
    b.login("admin-h", FIXTURE_PASSWORD).await;
    let r = b
        .post(
            &format!("/admin/users/{}/roles/{regional}/revoke", f.koord.0),
            &[],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    assert!(
        app.store()
            .roles(f.koord)
            .await
            .expect("roles")
            .iter()
            .any(|r| r.id == regional),
        "the region's role stays"
    );
    app.stop().await;
}
