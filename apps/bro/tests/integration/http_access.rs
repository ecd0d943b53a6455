//! "Who looked at my data": the citizen sees a read made a moment ago by a named professional,
//! with its reason, and a refused attempt; filters and exports; nobody else sees the list.

use crate::http_plan::{course, logged_in};
use bro_audit::AuditAction;
use bro_testkit::{Backend, TestApp, fixture, pdf_text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_sees_who_looked_at_their_data_and_why() {
    let app = TestApp::spawn(Backend::Sqlite, "access_log")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    let course = course(&app, &f).await;
    let prof = logged_in(&app, "prof-r").await;
    assert_eq!(prof.get_text(&course).await.0, 200);
    let admin = logged_in(&app, "admin-h").await;
    assert_eq!(admin.get_text(&format!("{course}/plan")).await.0, 404);

    let me = logged_in(&app, "citizen").await;
    assert_eq!(me.get_text("/me").await.0, 200);
    let (status, html) = me.get_text("/me/access-log").await;
    assert_eq!(status, 200);
    let row_of = |who: &str| {
        html.split("<tr>")
            .find(|r| r.contains(who))
            .unwrap_or_else(|| panic!("no row for {who} in:\n{html}"))
            .to_owned()
    };
    let read = row_of("Pia Fagperson, Fagperson");
    for expected in [
        "Ambulatorium Vest, Region Midtjylland",
        "Dit forløb",
        "Medlem af dit team",
        "Læst",
    ] {
        assert!(read.contains(expected), "{expected:?} missing from {read}");
    }
    let refused = row_of("Hanne Admin, Administrator");
    assert!(
        refused.contains("Forsøg på at se dine oplysninger") && refused.contains("Afvist"),
        "{refused}"
    );
    assert!(
        !html.contains("Du så dine egne oplysninger"),
        "the citizen's own reads are not listed"
    );

    // Filters: one organisation; a period without accesses; a period that does not parse.
    let region = format!("/me/access-log?org={}", f.region.0);
    let (_, html) = me.get_text(&region).await;
    assert!(html.contains("Pia Fagperson") && !html.contains("Hanne Admin"));
    let (_, html) = me
        .get_text("/me/access-log?from=2020-01-01&to=2020-12-31")
        .await;
    assert!(html.contains("Ingen har set dine oplysninger i perioden."));
    let (status, html) = me
        .get_text("/me/access-log?from=2026-13-01&to=2026-01-01")
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Skriv en dato som åååå-mm-dd"));
    let (status, html) = me
        .get_text("/me/access-log?from=2026-06-01&to=2026-01-01")
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Slutdatoen ligger før startdatoen"));

    // Exports: CSV for Danish Excel, and PDF.
    let r = me.get("/me/access-log.csv").await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = r.text().await.expect("csv");
    assert!(
        csv.starts_with("\u{feff}Hvornår;Hvem;Organisation;Hvad;Hvorfor;Læst eller ændret\r\n"),
        "{csv}"
    );
    assert!(csv.contains(";Pia Fagperson, Fagperson;Ambulatorium Vest, Region Midtjylland;Dit forløb;Medlem af dit team;Læst\r\n"), "{csv}");
    let r = me.get("/me/access-log.pdf").await;
    assert_eq!(r.status().as_u16(), 200);
    let text = pdf_text(&r.bytes().await.expect("pdf"));
    assert!(
        text.contains("Pia Fagperson") && text.contains("Hvem har set oplysningerne om"),
        "{text}"
    );

    // Reading the list is itself on record, and the list is the citizen's alone.
    let last = app.store().recent_audit(0, 1).await.expect("audit");
    assert_eq!(last[0].fields.action, AuditAction::AccessLogRead.code());
    assert_eq!(last[0].fields.subject_citizen_id, Some(f.citizen));
    assert_eq!(prof.get_text("/me/access-log").await.0, 404);
    assert_eq!(prof.get("/me/access-log.csv").await.status().as_u16(), 404);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_access_log_is_read_a_page_at_a_time() {
    use bro_domain::Clock;
    use bro_store::{AuditCtx, AuditEvent};
    let app = TestApp::spawn(Backend::Sqlite, "access_log_pages")
        .await
        .expect("app");
    let f = fixture(app.store(), false).await;
    // 130 reads by the region's professional, one a minute; the newest is "read 129".
    let start = app.clock.now_ms() - 200 * 60_000;
    for i in 0..130 {
        let ctx = AuditCtx {
            tenant_id: f.region.0,
            at_ms: start + i * 60_000,
            actor_user_id: Some(f.prof_r),
            actor_role: Some("professional".into()),
            actor_unit_id: Some(f.region_unit),
            purpose: "care-team",
        };
        let event = AuditEvent::allowed(AuditAction::CourseRead)
            .subject(f.citizen)
            .object(format!("read {i}"));
        app.store().append_audit(&ctx, event).await.expect("read");
    }
    let me = logged_in(&app, "citizen").await;
    let rows = |html: &str| {
        html.split("<tbody>")
            .nth(1)
            .map_or(0, |body| body.matches("<tr>").count())
    };
    let pia = |html: &str| html.matches("<td>Pia Fagperson").count();
    let (status, first) = me.get_text("/me/access-log").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&first), 100, "one page");
    assert!(!first.contains("Nyeste adgange"));
    let older = first
        .split("\">Ældre adgange</a>")
        .next()
        .and_then(|before| before.rsplit("href=\"/me/access-log?").next())
        .expect("a link to older entries")
        .replace("&#38;", "&");
    let (status, second) = me.get_text(&format!("/me/access-log?{older}")).await;
    assert_eq!(status, 200);
    assert!(rows(&second) >= 30);
    assert_eq!(pia(&first) + pia(&second), 130, "all of them, none twice");
    assert!(second.contains("Nyeste adgange") && !second.contains("Ældre adgange"));
    // A place that was tampered with starts from the newest again.
    let (status, again) = me.get_text("/me/access-log?before=x-1-2").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&again), 100);
    app.stop().await;
}
