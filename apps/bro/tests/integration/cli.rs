//! The `bro` binary itself: audit verification against tampering, admin commands on both
//! backends, refusal of unsafe configuration, and crash safety under SIGKILL.

use bro_audit::AuditAction;
use bro_testkit::{Backend, TestStore, fixture};
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const BRO: &str = env!("CARGO_BIN_EXE_bro");

fn bro(args: &[&str]) -> Output {
    Command::new(BRO)
        .args(args)
        .env_remove("BRO_DATABASE_URL")
        .env("BRO_LOG", "warn")
        .output()
        .expect("run bro")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

async fn drop_append_only_guard(db: &TestStore) {
    let sql = match db.backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
        Backend::Postgres => "DROP TRIGGER audit_log_no_change ON audit_log;",
    };
    db.raw_sql(sql)
        .await
        .expect("an attacker with database access removes the guard");
}

/// Builds a fresh store with a few audit records in Holstebro's chain, tampers with it as
/// `tamper` says, and returns what `bro audit verify` printed and its exit code.
async fn verify_after(backend: Backend, name: &str, tamper: &str) -> Option<(i32, String)> {
    let db = TestStore::new(backend, name).await?;
    let f = fixture(&db.store, false).await;
    let before = bro(&["audit", "verify", "--database", &db.url()]);
    assert_eq!(
        before.status.code(),
        Some(0),
        "intact before tampering: {}",
        stdout(&before)
    );
    assert!(stdout(&before).starts_with("audit chain intact:"));
    drop_append_only_guard(&db).await;
    let tenant = f.holstebro.0;
    db.raw_sql(&tamper.replace("{t}", &tenant.to_string()))
        .await
        .expect("tamper");
    let after = bro(&["audit", "verify", "--database", &db.url()]);
    let result = (after.status.code().unwrap_or(-1), stdout(&after));
    db.cleanup().await;
    Some(result)
}

const ALTER: &str = "UPDATE audit_log SET object = 'user:999' WHERE tenant_id = {t} AND seq = 2";
const DELETE: &str = "DELETE FROM audit_log WHERE tenant_id = {t} AND seq = 2";
const REORDER: &str = "UPDATE audit_log SET seq = -1 WHERE tenant_id = {t} AND seq = 2; \
                       UPDATE audit_log SET seq = 2 WHERE tenant_id = {t} AND seq = 3; \
                       UPDATE audit_log SET seq = 3 WHERE tenant_id = {t} AND seq = -1;";
const TRUNCATE_TAIL: &str = "DELETE FROM audit_log WHERE tenant_id = {t} AND seq = (SELECT MAX(seq) FROM audit_log WHERE tenant_id = {t})";

async fn audit_verify_finds_tampering(backend: Backend) {
    let prefix = format!("cli::audit_verify::{backend:?}");
    for (what, sql, seq) in [
        ("altered", ALTER, 2),
        ("deleted", DELETE, 2),
        ("reordered", REORDER, 2),
    ] {
        let Some((code, out)) = verify_after(backend, &format!("{prefix}::{what}"), sql).await
        else {
            return;
        };
        assert_eq!(code, 2, "{what}: {out}");
        assert!(out.contains("audit chain BROKEN"), "{what}: {out}");
        assert!(
            out.contains(&format!("sequence number {seq}")),
            "{what}: {out}"
        );
    }
    let Some((code, out)) = verify_after(backend, &format!("{prefix}::tail"), TRUNCATE_TAIL).await
    else {
        return;
    };
    assert_eq!(code, 2, "removed newest record: {out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_finds_tampering_on_sqlite() {
    audit_verify_finds_tampering(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_finds_tampering_on_postgres() {
    audit_verify_finds_tampering(Backend::Postgres).await;
}

async fn admin_commands(backend: Backend) {
    let Some(db) = TestStore::new(backend, &format!("cli::admin_commands::{backend:?}")).await
    else {
        return;
    };
    let url = db.url();
    let run = |args: &[&str]| {
        let mut all = vec!["admin", "--database", url.as_str()];
        all.extend_from_slice(args);
        bro(&all)
    };
    let ok = |o: Output| {
        assert!(
            o.status.success(),
            "{}{}",
            stdout(&o),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    ok(run(&[
        "create-org",
        "--name",
        "Struer Kommune",
        "--kind",
        "municipality",
    ]));
    ok(run(&[
        "create-unit",
        "--org",
        "Struer Kommune",
        "--name",
        "Socialpsykiatri Struer",
        "--kind",
        "social_psychiatry",
    ]));
    let create = Command::new(BRO)
        .args([
            "admin",
            "--database",
            &url,
            "create-user",
            "--org",
            "Struer Kommune",
            "--username",
            "tove",
            "--name",
            "Tove Tovholder",
            "--unit",
            "Socialpsykiatri Struer",
            "--role",
            "coordinator",
        ])
        .env("BRO_PASSWORD", "a-long-cli-password")
        .output()
        .expect("run");
    ok(create);
    ok(run(&[
        "grant-role",
        "--username",
        "tove",
        "--org",
        "Struer Kommune",
        "--unit",
        "Socialpsykiatri Struer",
        "--role",
        "meeting_leader",
    ]));
    let user = db.store.user_by_username("tove").await.expect("created");
    assert_eq!(db.store.roles(user.id).await.expect("roles").len(), 2);
    let reset = Command::new(BRO)
        .args([
            "admin",
            "--database",
            &url,
            "reset-password",
            "--username",
            "tove",
        ])
        .env("BRO_PASSWORD", "another-long-password")
        .output()
        .expect("run");
    ok(reset);
    let creds = db.store.credentials("tove").await.expect("c").expect("e");
    assert!(
        bro_auth::password::verify_password(
            "another-long-password".into(),
            Some(creds.password_hash)
        )
        .await
    );
    ok(run(&["deactivate", "--username", "tove"]));
    assert!(
        !db.store
            .credentials("tove")
            .await
            .expect("c")
            .expect("e")
            .active
    );
    // Bad input is refused with a reason, and nothing is written.
    let bad = run(&["create-org", "--name", "X", "--kind", "kingdom"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown organisation kind"));
    let short = Command::new(BRO)
        .args([
            "admin",
            "--database",
            &url,
            "create-user",
            "--org",
            "Struer Kommune",
            "--username",
            "kort",
            "--name",
            "Kort",
            "--unit",
            "Socialpsykiatri Struer",
            "--role",
            "professional",
        ])
        .env("BRO_PASSWORD", "short")
        .output()
        .expect("run");
    assert!(!short.status.success());
    assert!(db.store.credentials("kort").await.expect("c").is_none());
    ok(bro(&["audit", "verify", "--database", &url]));
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_on_sqlite() {
    admin_commands(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_on_postgres() {
    admin_commands(Backend::Postgres).await;
}

#[test]
fn serve_refuses_an_unsafe_configuration() {
    let run = |envs: &[(&str, &str)]| {
        let mut c = Command::new(BRO);
        c.arg("serve").env("BRO_LOG", "warn");
        for k in [
            "BRO_SECRET_KEY",
            "BRO_SECURE_COOKIES",
            "BRO_LISTEN",
            "BRO_DATABASE_URL",
            "BRO_CONFIG",
        ] {
            c.env_remove(k);
        }
        c.envs(envs.iter().copied());
        c.output().expect("run")
    };
    let db = ("BRO_DATABASE_URL", "sqlite:///nonexistent-dir/never.db");
    let no_key = run(&[db]);
    assert!(!no_key.status.success());
    assert!(String::from_utf8_lossy(&no_key.stderr).contains("no secret_key"));
    let key = ("BRO_SECRET_KEY", "0123456789abcdef0123456789abcdef-key");
    let insecure = run(&[
        db,
        key,
        ("BRO_SECURE_COOKIES", "false"),
        ("BRO_LISTEN", "0.0.0.0:8080"),
    ]);
    assert!(!insecure.status.success());
    assert!(
        String::from_utf8_lossy(&insecure.stderr)
            .contains("secure_cookies = false is allowed only on a loopback address")
    );
}

/// Kills `bro serve` with SIGKILL in the middle of a burst of writes: every transaction is
/// whole or absent, and the audit chain still verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_writes_leaves_a_verifiable_chain() {
    let db = TestStore::new(Backend::Sqlite, "cli::sigkill")
        .await
        .expect("sqlite");
    fixture(&db.store, false).await;
    let mut child = Command::new(BRO)
        .arg("serve")
        .env("BRO_DATABASE_URL", db.url())
        .env("BRO_SECRET_KEY", "0123456789abcdef0123456789abcdef-key")
        .env("BRO_SECURE_COOKIES", "false")
        .env("BRO_LISTEN", "127.0.0.1:0")
        .env("BRO_LOG", "info")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start bro serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("bro serve printed its address")
            .expect("line");
        if let Some(at) = line.find("\"addr\":\"") {
            let rest = &line[at + 8..];
            break rest[..rest.find('"').expect("quote")].to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    let base = format!("http://{addr}");
    // The kill comes once this many writes have been answered, with more in flight.
    const KILL_AFTER: usize = 150;
    let answered = Arc::new(AtomicUsize::new(0));
    let enough = Arc::new(tokio::sync::Notify::new());
    let mut tasks = Vec::new();
    for i in 0..24 {
        let base = base.clone();
        let answered = answered.clone();
        let enough = enough.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client");
            let page = client
                .get(format!("{base}/login"))
                .send()
                .await
                .ok()?
                .text()
                .await
                .ok()?;
            let marker = "name=\"csrf_token\" value=\"";
            let at = page.find(marker)? + marker.len();
            let token = page[at..].split('"').next()?.to_owned();
            for j in 0..1000 {
                let name = format!("burst-{i}-{j}");
                let form = [
                    ("username", name.as_str()),
                    ("password", "wrong-password-here"),
                    ("csrf_token", token.as_str()),
                ];
                let Ok(r) = client
                    .post(format!("{base}/login"))
                    .form(&form)
                    .send()
                    .await
                else {
                    break;
                };
                assert!(
                    matches!(r.status().as_u16(), 401 | 429),
                    "a refused login, not {}",
                    r.status()
                );
                if answered.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                    enough.notify_one();
                }
            }
            Some(())
        }));
    }
    enough.notified().await;
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    for t in tasks {
        let _ = t.await;
    }
    let verify = bro(&["audit", "verify", "--database", &db.url()]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    // Every failed login wrote its audit record and its throttle row together, or neither.
    let records = db
        .store
        .audit_records(0, 0, 1_000_000)
        .await
        .expect("records");
    let failed = records
        .iter()
        .filter(|r| r.fields.action == AuditAction::LoginFailed.code())
        .count();
    let rows = db
        .store
        .login_failures_since("address:127.0.0.1", 0)
        .await
        .expect("rows");
    assert!(failed > 0, "the burst wrote something before the kill");
    assert_eq!(i64::try_from(failed).expect("count"), rows);
    db.cleanup().await;
}

/// `bro demo` builds the demo world once: 300 citizens with CPR replacement numbers, courses
/// in every phase each with exactly one coordinator, plans with the citizen's own goals, and an
/// audit chain that verifies. A second start reuses it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_world_is_complete_and_its_chain_verifies() {
    let dir = std::env::temp_dir().join(format!("bro-demo-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let start_demo = || {
        let mut child = Command::new(BRO)
            .args(["demo", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&dir)
            .env("BRO_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start bro demo");
        let out = child.stdout.take().expect("stdout");
        let mut first = String::new();
        for line in BufReader::new(out).lines() {
            let line = line.expect("line");
            if first.is_empty() {
                first = line.clone();
            }
            if line.starts_with("Bro is running at") {
                break;
            }
        }
        child.kill().expect("stop demo");
        child.wait().expect("reaped");
        first
    };
    assert!(start_demo().starts_with("Demo world created"));
    assert!(
        start_demo().starts_with("Reusing the demo world"),
        "created once, then reused"
    );

    let url = format!("sqlite://{}", dir.join("bro.db").display());
    let verify = bro(&["audit", "verify", "--database", &url]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    let store = bro_store_sqlite::SqliteStore::connect(&url)
        .await
        .expect("open demo db");
    use bro_domain::appointment::Attendance;
    use bro_store::{
        AppointmentStore, CitizenStore, CourseStore, EscortStore, OrgStore, PlanStore, UserStore,
    };
    assert_eq!(store.count_citizens().await.expect("count"), 300);
    let ctx = bro_store::AuditCtx::system(0, 0, "test");
    let mut phases = std::collections::HashSet::new();
    let mut own_phases = std::collections::HashSet::new();
    let mut courses = 0;
    let now = bro_domain::Clock::now_ms(&bro_domain::SystemClock);
    let (mut recorded, mut no_shows, mut flagged) = (0, 0, 0);
    let mut escorts = std::collections::BTreeSet::new();
    for coordinator in ["koordinator", "koordinator-rks"] {
        let user = store
            .user_by_username(coordinator)
            .await
            .expect("demo coordinator");
        // As the coordinator's organisation sees them (the flags obey its sharing).
        let roles = store.roles(user.id).await.expect("roles");
        let org = roles.first().expect("a role").org_id;
        let as_org = bro_store::AuditCtx::system(org.0, now, "test");
        for summary in store.my_courses(&as_org, user.id).await.expect("courses") {
            let course = store.course(&ctx, summary.id).await.expect("course");
            assert_eq!(
                course.team.iter().filter(|m| m.is_coordinator).count(),
                1,
                "exactly one coordinator"
            );
            assert!(
                course.citizen_cpr.is_replacement(),
                "synthetic people have replacement numbers"
            );
            if let Some(plan) = store.plan(&ctx, summary.id).await.expect("plan") {
                assert!(
                    plan.content
                        .goals
                        .iter()
                        .any(|g| g.owner == bro_domain::plan::GoalOwner::Citizen)
                );
            }
            if course.phases == bro_domain::PhaseScheme::default() {
                phases.insert(course.phase);
            } else {
                own_phases.insert(course.phase);
            }
            courses += 1;
            let all = bro_domain::ShareCategory::ALL;
            let seen = store
                .course_appointments(&ctx, summary.id, bro_domain::OrgId(0), all)
                .await
                .expect("appointments");
            for a in &seen.shown {
                if let Some(e) = &a.escort {
                    escorts.insert((e.status, e.minutes_spent.is_some()));
                }
                if let Some(r) = &a.attendance {
                    recorded += 1;
                    no_shows += usize::from(r.outcome == Attendance::NoShow);
                }
            }
            flagged += usize::from(summary.no_shows > 0);
        }
    }
    // About 5 % no-shows, more for a few citizens, some of them still waiting for follow-up.
    let share = no_shows as f64 / f64::from(recorded);
    assert!((0.04..0.15).contains(&share), "{no_shows} of {recorded}");
    assert!(flagged > 0, "some courses are flagged");
    // Escort requests in every state: open, accepted (some done, with their time), declined.
    use bro_domain::escort::EscortStatus;
    for state in [
        (EscortStatus::Open, false),
        (EscortStatus::Accepted, false),
        (EscortStatus::Accepted, true),
        (EscortStatus::Declined, false),
    ] {
        assert!(escorts.contains(&state), "{state:?} in {escorts:?}");
    }
    let service = store.user_by_username("ledsager").await.expect("ledsager");
    let org = service.org_id.expect("staff");
    let units = store.units(org).await.expect("units");
    let unit = units
        .iter()
        .find(|u| u.kind == bro_domain::UnitKind::EscortService)
        .expect("an escort service")
        .id;
    let list = store
        .escort_list(&ctx, unit, 500)
        .await
        .expect("escort list");
    let late = list
        .open
        .iter()
        .filter(|i| bro_domain::escort::is_late(i.request.status, i.starts_ms, now))
        .count();
    assert!(
        late > 0 && late < list.open.len(),
        "some open requests late: {late}"
    );
    let borger = store.user_by_username("borger").await.expect("borger");
    let citizen = borger.citizen_id.expect("a citizen");
    let upcoming = store
        .citizen_appointments(&ctx, citizen, now)
        .await
        .expect("borger's appointments");
    assert!(upcoming.len() >= 3, "{upcoming:?}");
    assert!(upcoming.iter().any(|a| a.slot.video_url.is_some()));
    assert!(
        upcoming.iter().any(|a| a.history.len() == 2),
        "one was moved"
    );
    assert!(courses >= 240, "open courses: {courses}");
    assert_eq!(phases.len(), 5, "open courses in every phase but closure");
    assert!(
        own_phases.len() >= 3,
        "some courses follow the Fælles Team's own phases: {own_phases:?}"
    );
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
