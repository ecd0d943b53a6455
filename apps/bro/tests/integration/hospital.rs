//! Hospital events through `bro import medcom` (issue 18, item 2): MedCom's own example
//! messages, addressed to the fixture's municipality and made about its citizen, become one
//! episode on the citizen (admitted, on leave and back, discharged), whatever order the files
//! come in; the same message again is a duplicate that changes nothing; a CPR number no citizen
//! has is kept unmatched; a broken message is rejected with the element and the reason, and
//! the command fails. The care team's coordinator is alerted; the region's professional only
//! once the citizen's consent covers health data.

use crate::http_plan::{consent_to_region, course, logged_in};
use bro_domain::hospital::{EncounterClass, EpisodeState, Event};
use bro_domain::notice::NoticeKind;
use bro_domain::{Clock, ShareCategory, UserId};
use bro_store::AuditCtx;
use bro_testkit::{Backend, TestApp, fixture};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub(crate) const SOR: &str = "953741000016009";
pub(crate) const ADMIT: &str = "a5e5b880-c087-4055-b9ec-99108695f81d";
const END_LEAVE: &str = "e94de8ee-bd94-475e-b454-b8fbbef8a685";
pub(crate) const DISCHARGE: &str = "f4aa42a4-86db-4e68-9b38-9dda0dfd5774";

/// MedCom's example `name`, about the patient with `cpr`.
pub(crate) fn example(name: &str, cpr: &str) -> Value {
    let path = format!(
        "{}/../../crates/medcom/testdata/Bundle-{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(path).expect("example")).expect("JSON");
    for e in v["entry"].as_array_mut().expect("entries") {
        if e["resource"]["resourceType"] == "Patient" {
            e["resource"]["identifier"][0]["value"] = Value::from(cpr);
        }
    }
    v
}

/// The message under another MessageHeader id (its own Provenance follows).
pub(crate) fn renamed(mut v: Value, id: &str) -> Value {
    let old = format!(
        "MessageHeader/{}",
        v["entry"][0]["resource"]["id"].as_str().unwrap_or("")
    );
    v["entry"][0]["resource"]["id"] = Value::from(id);
    for e in v["entry"].as_array_mut().expect("entries") {
        if e["resource"]["target"][0]["reference"] == old.as_str() {
            e["resource"]["target"][0]["reference"] = Value::from(format!("MessageHeader/{id}"));
        }
    }
    v
}

fn write(dir: &Path, file: &str, v: &Value) -> PathBuf {
    std::fs::create_dir_all(dir).expect("dir");
    let path = dir.join(file);
    std::fs::write(&path, v.to_string()).expect("write");
    path
}

/// `bro import medcom` on `paths`: success, and each output line.
fn import(database: &str, paths: &[&Path]) -> (bool, Vec<String>) {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_bro"))
        .args(["import", "medcom"])
        .args(paths)
        .args(["--database", database])
        .env("BRO_LOG", "warn")
        .output()
        .expect("run bro");
    let out = String::from_utf8_lossy(&run.stdout);
    (
        run.status.success(),
        out.lines().map(str::to_owned).collect(),
    )
}

pub(crate) async fn kinds(app: &TestApp, user: UserId) -> Vec<NoticeKind> {
    let ctx = AuditCtx::system(0, app.clock.now_ms(), "test");
    let mut k: Vec<NoticeKind> = app
        .store()
        .notices(&ctx, user, 50)
        .await
        .expect("notices")
        .into_iter()
        .map(|n| n.kind)
        .collect();
    k.reverse();
    k
}

async fn messages_become_an_episode_on_the_citizen(backend: Backend) {
    let Some(app) = TestApp::spawn(backend, "hospital_import").await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let course_page = course(&app, &f).await;
    let setup = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    app.store()
        .set_org_sor(&setup, f.holstebro, Some(SOR))
        .await
        .expect("SOR id");
    let cpr = "7105852345"; // the fixture's citizen
    let dir = std::env::temp_dir().join(format!("bro-medcom-{}-{backend:?}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // The discharge and the end of the leave come before the admission.
    let discharge = write(&dir.join("a"), "1-discharge.json", &example(DISCHARGE, cpr));
    let back = write(&dir.join("a"), "2-end-leave.json", &example(END_LEAVE, cpr));
    let (ok, lines) = import(&app.db.url(), &[&dir.join("a")]);
    assert!(ok, "{lines:?}");
    assert_eq!(
        lines,
        [
            format!("{}: accepted", discharge.display()),
            format!("{}: accepted", back.display()),
            "2 accepted, 0 duplicate, 0 unmatched, 0 rejected".to_owned(),
        ]
    );
    let admit = write(&dir, "admit.json", &example(ADMIT, cpr));
    let mut broken = renamed(example(DISCHARGE, cpr), "broken-1");
    for e in broken["entry"].as_array_mut().expect("entries") {
        if e["resource"]["resourceType"] == "Encounter" {
            e["resource"]["status"] = Value::from("in-progress");
        }
    }
    let broken = write(&dir, "broken.json", &broken);
    let (ok, lines) = import(&app.db.url(), &[&admit, &admit, &broken]);
    assert!(!ok, "a rejected message fails the command");
    assert_eq!(lines[0], format!("{}: accepted", admit.display()));
    assert_eq!(lines[1], format!("{}: duplicate", admit.display()));
    assert_eq!(
        lines[2],
        format!(
            "{}: rejected: Encounter.status does not fit the activity 'discharge-inpatient-home'",
            broken.display()
        )
    );
    assert!(!lines.concat().contains(cpr) && !lines.concat().contains("2509479989"));
    // Another patient under the same episode of care: never attached to the citizen's.
    let stranger = renamed(example(ADMIT, "2509479989"), "stranger-1");
    let stranger = write(&dir, "stranger.json", &stranger);
    let (ok, lines) = import(&app.db.url(), &[&stranger]);
    assert!(!ok);
    assert_eq!(
        lines[0],
        format!(
            "{}: rejected: the episode of care belongs to another patient",
            stranger.display()
        )
    );
    // A patient no citizen is, in an episode of their own: kept unmatched.
    let mut own = renamed(example(ADMIT, "2509479989"), "stranger-2");
    for e in own["entry"].as_array_mut().expect("entries") {
        if e["resource"]["resourceType"] == "Encounter" {
            e["resource"]["episodeOfCare"][0]["identifier"]["value"] = Value::from("their-own");
        }
    }
    let own = write(&dir, "stranger-2.json", &own);
    let (ok, lines) = import(&app.db.url(), &[&own]);
    assert!(ok);
    assert_eq!(lines[0], format!("{}: unmatched", own.display()));

    // One episode, the same as had the messages come in order.
    let ctx = AuditCtx::system(f.holstebro.0, app.clock.now_ms(), "test");
    let episodes = app
        .store()
        .hospital_episodes(&ctx, f.citizen)
        .await
        .expect("episodes");
    assert_eq!(episodes.len(), 1, "{episodes:?}");
    let e = &episodes[0];
    assert_eq!(
        (e.class, e.state),
        (EncounterClass::Inpatient, EpisodeState::Discharged)
    );
    assert_eq!(
        e.hospital,
        "Hjerteafdelingen på Herlev og Gentofte hospital"
    );
    assert_eq!(
        e.events.iter().map(|(ev, _)| *ev).collect::<Vec<_>>(),
        [Event::Admit, Event::EndLeave, Event::Discharge]
    );
    let unresolved = app
        .store()
        .unresolved_hospital_messages(f.holstebro, 10)
        .await
        .expect("unresolved");
    assert_eq!(
        unresolved
            .iter()
            .map(|m| m.outcome.as_str())
            .collect::<Vec<_>>(),
        ["unmatched", "rejected"]
    );
    // The broken message could not say whom it was for: it is kept, but at no organisation.
    assert!(unresolved[1].reason.contains("another patient"));

    // On the course page: for the coordinator, whose organisation holds the course; not for
    // the region's professional without consent to health data.
    let koord = logged_in(&app, "koord").await;
    let (status, html) = koord.get_text(&course_page).await;
    assert_eq!(status, 200);
    assert!(html.contains("Udskrevet: Hjerteafdelingen på Herlev og Gentofte hospital"));
    assert!(html.contains("Tilbage fra orlov: Hjerteafdelingen"));
    let prof_r = logged_in(&app, "prof-r").await;
    let (status, html) = prof_r.get_text(&course_page).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Hjerteafdelingen"));
    // The citizen sees their own stay on their page.
    let (_, me) = logged_in(&app, "citizen").await.get_text("/me").await;
    assert!(me.contains("Mine indlæggelser"));
    assert!(me.contains(
        "Udskrevet: Hjerteafdelingen på Herlev og Gentofte hospital, 07.12.2022–18.12.2022"
    ));

    // The coordinator was told of the discharge when it came; the region's professional,
    // without consent to health data, of nothing. With it, of the next admission.
    assert_eq!(kinds(&app, f.koord).await, [NoticeKind::HospitalDischarged]);
    assert!(kinds(&app, f.prof_r).await.is_empty());
    consent_to_region(&app, &f, vec![ShareCategory::Health]).await;
    let mut again = renamed(
        example("h1c8e4a8-6b45-4669-94ad-2a99ad96bf03", cpr),
        "acute-1",
    );
    again["entry"]
        .as_array_mut()
        .expect("entries")
        .iter_mut()
        .filter(|e| e["resource"]["resourceType"] == "Encounter")
        .for_each(|e| {
            e["resource"]["episodeOfCare"][0]["identifier"]["value"] = Value::from("next-episode")
        });
    let acute = write(&dir, "acute.json", &again);
    assert!(import(&app.db.url(), &[&acute]).0);
    assert_eq!(kinds(&app, f.prof_r).await, [NoticeKind::HospitalAdmitted]);
    let (_, html) = prof_r.get_text(&course_page).await;
    assert!(
        html.contains("Indlagt nu"),
        "the acute contact is under way"
    );
    // And on the list of courses, for each of them: the sharing rule is the same.
    for b in [&koord, &prof_r] {
        let (_, list) = b.get_text("/courses").await;
        assert!(list.contains("<span class=\"badge badge-warning\">Indlagt nu</span>"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    app.stop().await;
}

on_both_backends!(messages_become_an_episode_on_the_citizen);
