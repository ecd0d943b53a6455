//! Repository contract tests: written once, run on SQLite and on PostgreSQL.

use bro_audit::{AuditAction, ChainVerifier, Outcome, PLATFORM_TENANT};
use bro_domain::{AccountKind, Cpr, Name, OrgKind, Role, UnitKind, Username};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, DynStore, NewCitizen, NewOrganisation, NewSession, NewUnit,
    NewUser, SessionStage, StoreError,
};
use bro_testkit::{TestStore, fixture};

async fn verify_all(store: &DynStore) -> i64 {
    let mut total = 0;
    for tenant in store.audit_tenants().await.expect("tenants") {
        let mut v = ChainVerifier::new(tenant);
        for r in store
            .audit_records(tenant, 0, 1_000_000)
            .await
            .expect("records")
        {
            v.push(&r).unwrap_or_else(|b| panic!("chain broken: {b:?}"));
        }
        total += v
            .finish(store.audit_head(tenant).await.expect("head"))
            .expect("head matches");
    }
    total
}

fn ctx(tenant: i64) -> AuditCtx {
    AuditCtx::system(tenant, 1_000, "test")
}

fn name(s: &str) -> Name {
    Name::parse(s).expect("name")
}

async fn organisations_and_units(db: &TestStore) {
    let s = &db.store;
    let org = s
        .create_organisation(
            &ctx(PLATFORM_TENANT),
            NewOrganisation {
                name: name("Struer Kommune"),
                kind: OrgKind::Municipality,
                require_second_factor: true,
            },
        )
        .await
        .expect("create org");
    let again = s
        .create_organisation(
            &ctx(PLATFORM_TENANT),
            NewOrganisation {
                name: name("Struer Kommune"),
                kind: OrgKind::Municipality,
                require_second_factor: true,
            },
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(_))),
        "names are unique: {again:?}"
    );
    let unit = s
        .create_unit(
            &ctx(org.0),
            NewUnit {
                org_id: org,
                name: name("Jobcenter Struer"),
                kind: UnitKind::JobCentre,
            },
        )
        .await
        .expect("unit");
    let dup = s
        .create_unit(
            &ctx(org.0),
            NewUnit {
                org_id: org,
                name: name("Jobcenter Struer"),
                kind: UnitKind::JobCentre,
            },
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    let units = s.units(org).await.expect("units");
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].id, unit);
    assert_eq!(units[0].kind, UnitKind::JobCentre);
    assert_eq!(
        s.organisation(org).await.expect("org").name,
        "Struer Kommune"
    );
    assert_eq!(
        s.organisation_by_name("Struer Kommune")
            .await
            .expect("by name")
            .id,
        org
    );
    s.set_require_second_factor(&ctx(org.0), org, false)
        .await
        .expect("setting");
    assert!(
        !s.organisation(org)
            .await
            .expect("org")
            .require_second_factor
    );
    assert!(matches!(
        s.organisation(bro_domain::OrgId(9999)).await,
        Err(StoreError::NotFound)
    ));
    // Organisation, unit and setting: three records in the organisation's own chain.
    assert_eq!(verify_all(s).await, 3);
}

async fn users_roles_and_scoping(db: &TestStore) {
    let s = &db.store;
    let f = fixture(s, true).await;
    // An admin's organisation scope: another organisation's user is not found, and the
    // attempt is recorded as denied.
    let h = ctx(f.holstebro.0);
    assert_eq!(
        s.user(&h, Some(f.holstebro), f.koord)
            .await
            .expect("own org")
            .username,
        "koord"
    );
    assert!(matches!(
        s.user(&h, Some(f.holstebro), f.prof_r).await,
        Err(StoreError::NotFound)
    ));
    let last = s.recent_audit(f.holstebro.0, 1).await.expect("audit");
    assert_eq!(last[0].fields.action, AuditAction::UserRead.code());
    assert_eq!(last[0].fields.outcome, Outcome::Denied);

    let users = s.users_of_org(&h, f.holstebro).await.expect("list");
    let mut names: Vec<_> = users.iter().map(|u| u.username.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["admin-h", "koord"],
        "only the organisation's own staff"
    );
    let koord = users.iter().find(|u| u.username == "koord").expect("koord");
    assert_eq!(koord.roles.len(), 1);
    assert_eq!(koord.roles[0].role, Role::Coordinator);

    let granted = s
        .grant_role(&h, f.koord, f.holstebro_unit, Role::Professional)
        .await
        .expect("grant");
    assert!(matches!(
        s.grant_role(&h, f.koord, f.holstebro_unit, Role::Professional)
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.roles(f.koord).await.expect("roles").len(), 2);
    s.revoke_role(&h, f.koord, granted).await.expect("revoke");
    assert!(matches!(
        s.revoke_role(&h, f.koord, granted).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.roles(f.koord).await.expect("roles").len(), 1);

    let hash = bro_auth::password::hash_password("another-long-password".into())
        .await
        .expect("hash");
    let dup = NewUser {
        org_id: Some(f.holstebro),
        username: Username::parse("koord").expect("u"),
        display_name: name("Someone Else"),
        password_hash: hash,
        kind: AccountKind::Staff,
        citizen_id: None,
        initial_role: Some((f.holstebro_unit, Role::Professional)),
    };
    assert!(matches!(
        s.create_user(&h, dup).await,
        Err(StoreError::Conflict(Conflict::Username))
    ));
    // The failed creation left nothing behind: no role for a user that does not exist.
    assert_eq!(
        s.users_of_org(&h, f.holstebro).await.expect("list").len(),
        2
    );

    let creds = s
        .credentials("koord")
        .await
        .expect("creds")
        .expect("exists");
    assert!(creds.active);
    assert!(s.credentials("nobody").await.expect("creds").is_none());
    s.deactivate_user(&h, f.koord).await.expect("deactivate");
    assert!(
        !s.credentials("koord")
            .await
            .expect("creds")
            .expect("exists")
            .active
    );
    verify_all(s).await;
}

async fn sessions_and_second_factor(db: &TestStore) {
    let s = &db.store;
    let f = fixture(s, true).await;
    let h = ctx(f.holstebro.0);
    let new = |id: &str| NewSession {
        id_hash: id.into(),
        user_id: f.koord,
        stage: SessionStage::Enrolment,
        created_ms: 1_000,
        expires_ms: 10_000,
        active_role: None,
    };
    s.create_session(&h, new("a")).await.expect("session a");
    s.create_session(&h, new("b")).await.expect("session b");
    let got = s.session("a").await.expect("read").expect("exists");
    assert_eq!(got.stage, SessionStage::Enrolment);
    assert_eq!(got.last_seen_ms, 1_000);
    s.touch_session("a", 2_000).await.expect("touch");
    assert_eq!(
        s.session("a")
            .await
            .expect("read")
            .expect("exists")
            .last_seen_ms,
        2_000
    );
    s.complete_session(&h, "a0", "a")
        .await
        .expect_err("no such session");
    s.complete_session(&h, "a", "a2").await.expect("complete");
    assert!(
        s.session("a").await.expect("read").is_none(),
        "the old token is worthless"
    );
    assert_eq!(
        s.session("a2").await.expect("read").expect("exists").stage,
        SessionStage::Full
    );

    s.enable_totp(
        &h,
        f.koord,
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".into(),
        vec!["r1".into(), "r2".into()],
    )
    .await
    .expect("totp");
    assert!(
        s.credentials("koord")
            .await
            .expect("c")
            .expect("e")
            .totp_secret
            .is_some()
    );
    assert_eq!(s.unused_recovery_codes(f.koord).await.expect("n"), 2);
    assert!(s.use_recovery_code(&h, f.koord, "r1").await.expect("use"));
    assert!(
        !s.use_recovery_code(&h, f.koord, "r1")
            .await
            .expect("reuse refused")
    );
    assert_eq!(s.unused_recovery_codes(f.koord).await.expect("n"), 1);
    assert!(s.accept_totp_step(f.koord, 100).await.expect("step"));
    assert!(
        !s.accept_totp_step(f.koord, 100)
            .await
            .expect("replay refused")
    );
    assert!(
        !s.accept_totp_step(f.koord, 99)
            .await
            .expect("older refused")
    );

    s.delete_session(&h, "a2").await.expect("delete");
    assert!(s.session("a2").await.expect("read").is_none());
    assert_eq!(
        s.delete_user_sessions(&h, f.koord)
            .await
            .expect("everywhere"),
        1
    );
    s.create_session(&h, new("c")).await.expect("session c");
    assert_eq!(s.purge_expired_sessions(10_000).await.expect("purge"), 1);
    verify_all(s).await;
}

async fn login_throttle(db: &TestStore) {
    let s = &db.store;
    let c = AuditCtx {
        at_ms: 5_000,
        ..ctx(PLATFORM_TENANT)
    };
    let keys = vec!["account:x".to_owned(), "address:1.2.3.4".to_owned()];
    for _ in 0..3 {
        s.record_login_failure(&c, AuditAction::LoginFailed, &keys)
            .await
            .expect("failure");
    }
    assert_eq!(s.login_failures_since("account:x", 0).await.expect("n"), 3);
    assert_eq!(
        s.login_failures_since("account:x", 6_000).await.expect("n"),
        0
    );
    s.clear_login_failures("account:x").await.expect("clear");
    assert_eq!(s.login_failures_since("account:x", 0).await.expect("n"), 0);
    assert_eq!(
        s.login_failures_since("address:1.2.3.4", 0)
            .await
            .expect("n"),
        3
    );
    assert_eq!(verify_all(s).await, 3);
}

async fn citizens_and_relatives(db: &TestStore) {
    let s = &db.store;
    let f = fixture(s, false).await;
    let c = ctx(PLATFORM_TENANT);
    let citizen = s.citizen(&c, f.citizen).await.expect("read");
    assert_eq!(citizen.cpr, Cpr::parse("7105852345").expect("cpr"));
    assert_eq!(citizen.given_name, "Mads");
    let read = s.recent_audit(PLATFORM_TENANT, 1).await.expect("audit");
    assert_eq!(read[0].fields.action, AuditAction::CitizenRead.code());
    assert_eq!(read[0].fields.subject_citizen_id, Some(f.citizen));
    let dup = NewCitizen {
        cpr: Cpr::parse("7105852345").expect("cpr"),
        given_name: name("X"),
        family_name: name("Y"),
        address: String::new(),
        postal_code: String::new(),
        city: String::new(),
    };
    assert!(matches!(
        s.create_citizen(&c, dup.clone()).await,
        Err(StoreError::Conflict(Conflict::Cpr))
    ));
    // A batch with one duplicate saves nothing.
    let before = s.count_citizens().await.expect("count");
    let fresh = NewCitizen {
        cpr: Cpr::parse("6101904123").expect("cpr"),
        ..dup.clone()
    };
    assert!(s.create_citizens(&c, vec![fresh, dup]).await.is_err());
    assert_eq!(s.count_citizens().await.expect("count"), before);
    let links = s.relatives_links(&c, f.relative).await.expect("links");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].citizen_name, "Mads Nørgaard");
    verify_all(s).await;
}

async fn audit_chain_under_concurrency(db: &TestStore) {
    let s = db.store.clone();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let tenant = i % 2;
            s.append_audit(
                &ctx(tenant),
                AuditEvent::allowed(AuditAction::AccessDenied).object(format!("n:{i}")),
            )
            .await
        }));
    }
    for t in tasks {
        t.await.expect("join").expect("append");
    }
    assert_eq!(verify_all(&s).await, 40, "no fork, no loss");
    assert_eq!(s.audit_head(0).await.expect("head").expect("exists").0, 20);
}

/// Reads hand their records to the group committer: under concurrency every read has its
/// record on an intact chain, and a read whose record cannot be written returns no data
/// without failing the reads committed alongside it.
async fn reads_are_answered_only_after_their_record_is_committed(db: &TestStore) {
    let s = db.store.clone();
    let f = fixture(&s, false).await;
    let before = verify_all(&s).await;
    let reads = |tenants: Vec<i64>| {
        let tasks: Vec<_> = tenants
            .into_iter()
            .map(|tenant| {
                let s = s.clone();
                tokio::spawn(async move { (tenant, s.citizen(&ctx(tenant), f.citizen).await) })
            })
            .collect();
        async move {
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.expect("join"));
            }
            out
        }
    };
    for (_, read) in reads((0..60).map(|i| i % 3).collect()).await {
        assert_eq!(read.expect("read").given_name, "Mads");
    }
    assert_eq!(
        verify_all(&s).await,
        before + 60,
        "one record per read, no fork"
    );
    for tenant in 0..3 {
        let records = s.audit_records(tenant, 0, 1_000).await.expect("records");
        let citizen_reads = records
            .iter()
            .filter(|r| r.fields.action == AuditAction::CitizenRead.code())
            .filter(|r| r.fields.subject_citizen_id == Some(f.citizen))
            .count();
        assert_eq!(citizen_reads, 20, "tenant {tenant}");
    }

    // Tenant 9's records can no longer be written; everyone else's still can.
    let block = match db.backend {
        bro_testkit::Backend::Sqlite => {
            "CREATE TRIGGER audit_blocked BEFORE INSERT ON audit_log WHEN NEW.tenant_id = 9 \
             BEGIN SELECT RAISE(ABORT, 'blocked'); END"
        }
        bro_testkit::Backend::Postgres => {
            "CREATE FUNCTION audit_blocked() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF NEW.tenant_id = 9 THEN RAISE EXCEPTION 'blocked'; END IF; RETURN NEW; END; $$; \
             CREATE TRIGGER audit_blocked BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_blocked()"
        }
    };
    db.raw_sql(block).await.expect("block tenant 9");
    let before = verify_all(&s).await;
    let mut served = 0;
    for (tenant, read) in reads((0..40).map(|i| if i % 4 == 0 { 9 } else { 1 }).collect()).await {
        if tenant == 9 {
            assert!(read.is_err(), "no data without its record");
        } else {
            read.expect("a read beside the failing one");
            served += 1;
        }
    }
    assert_eq!(served, 30);
    assert_eq!(verify_all(&s).await, before + 30);
    assert!(
        s.audit_head(9)
            .await
            .expect("head")
            .is_none_or(|(seq, _)| seq == 0)
    );
}

async fn audit_log_refuses_changes(db: &TestStore) {
    let s = &db.store;
    s.append_audit(&ctx(7), AuditEvent::allowed(AuditAction::Logout))
        .await
        .expect("append");
    let update = db.raw_sql("UPDATE audit_log SET action = 'x'").await;
    assert!(update.expect_err("updates refused").contains("append-only"));
    let delete = db.raw_sql("DELETE FROM audit_log").await;
    assert!(delete.expect_err("deletes refused").contains("append-only"));
    assert_eq!(verify_all(s).await, 1);
}

async fn courses_and_care_teams(db: &TestStore) {
    use bro_domain::{CourseRole, LegalFrame, TargetGroup};
    use bro_store::{CitizenQuery, NewCourse, NewMember};
    let s = &db.store;
    let f = fixture(s, false).await;
    let h = ctx(f.holstebro.0);
    let member = |user, org, unit, role| NewMember {
        user_id: user,
        org_id: org,
        unit_id: unit,
        role,
        fixed: true,
        phone: "96 11 75 00".into(),
        mail: String::new(),
        hours: "Hverdage".into(),
    };
    let new = NewCourse {
        citizen_id: f.citizen,
        target_groups: vec![TargetGroup::DualDiagnosis],
        legal_frames: vec![LegalFrame::Serviceloven, LegalFrame::Psykiatriloven],
        coordinator: member(
            f.koord,
            f.holstebro,
            f.holstebro_unit,
            CourseRole::SubstanceAbuseCounsellor,
        ),
        collaboration: None,
        handover_reason: None,
    };
    let course = s.open_course(&h, new.clone()).await.expect("open");
    assert!(
        matches!(
            s.open_course(&h, new).await,
            Err(StoreError::Conflict(Conflict::OpenCourse))
        ),
        "one open course per citizen"
    );

    let access = s.course_access(course, f.koord).await.expect("access");
    assert_eq!(access.citizen_id, f.citizen);
    assert!(
        access
            .membership
            .is_some_and(|(_, coordinator)| coordinator)
    );
    assert!(
        s.course_access(course, f.prof_r)
            .await
            .expect("access")
            .membership
            .is_none()
    );

    let pia = s
        .add_member(
            &h,
            course,
            member(f.prof_r, f.region, f.region_unit, CourseRole::Psychiatrist),
        )
        .await
        .expect("add");
    assert!(matches!(
        s.add_member(
            &h,
            course,
            member(f.prof_r, f.region, f.region_unit, CourseRole::Psychiatrist)
        )
        .await,
        Err(StoreError::Conflict(Conflict::Member))
    ));
    let read = s.course(&h, course).await.expect("read");
    assert_eq!(read.citizen_name, "Mads Nørgaard");
    assert_eq!(read.phase, "identification");
    assert_eq!(read.phases, bro_domain::PhaseScheme::default());
    assert_eq!(read.team.len(), 2);
    assert_eq!(read.coordinator().map(|m| m.user_id), Some(f.koord));
    assert_eq!(
        read.legal_frames,
        [LegalFrame::Serviceloven, LegalFrame::Psykiatriloven]
    );

    s.move_phase(&h, course, "identification", "assessment")
        .await
        .expect("move");
    assert!(matches!(
        s.move_phase(&h, course, "identification", "assessment")
            .await,
        Err(StoreError::Conflict(Conflict::Phase))
    ));

    let koord_member = read.coordinator().map(|m| m.id).expect("coordinator");
    assert!(matches!(
        s.remove_member(&h, course, koord_member).await,
        Err(StoreError::Conflict(Conflict::Coordinator))
    ));
    s.set_coordinator(&h, course, pia).await.expect("hand over");
    let team = s.course(&h, course).await.expect("read").team;
    assert_eq!(team.iter().filter(|m| m.is_coordinator).count(), 1);
    assert_eq!(
        team.iter().find(|m| m.is_coordinator).map(|m| m.user_id),
        Some(f.prof_r)
    );
    s.remove_member(&h, course, koord_member)
        .await
        .expect("former coordinator leaves");
    assert!(
        s.course_access(course, f.koord)
            .await
            .expect("access")
            .membership
            .is_none()
    );

    let mine = s.my_courses(&h, f.prof_r).await.expect("mine");
    assert_eq!(mine.len(), 1);
    assert!(mine[0].i_coordinate);
    assert!(s.my_courses(&h, f.koord).await.expect("mine").is_empty());

    let by_name = s
        .search_citizens(&h, &CitizenQuery::OwnByName("nørg".into()), f.prof_r, 10)
        .await
        .expect("search");
    assert_eq!(by_name.len(), 1);
    assert_eq!(by_name[0].open_course, Some(course));
    assert!(by_name[0].member);
    assert!(
        s.search_citizens(&h, &CitizenQuery::OwnByName("nørg".into()), f.koord, 10)
            .await
            .expect("search")
            .is_empty(),
        "a name alone finds only the searcher's own citizens"
    );
    let by_cpr = s
        .search_citizens(
            &h,
            &CitizenQuery::Cpr(Cpr::parse("7105852345").expect("cpr")),
            f.koord,
            10,
        )
        .await
        .expect("search");
    assert_eq!(by_cpr.len(), 1);
    assert!(!by_cpr[0].member);
    assert!(
        s.search_citizens(&h, &CitizenQuery::OwnByName("%".into()), f.koord, 10)
            .await
            .expect("search")
            .is_empty(),
        "wildcards are text"
    );
    let aase = bro_store::NewCitizen {
        cpr: Cpr::parse("6612854321").expect("cpr"),
        given_name: name("Åse"),
        family_name: name("Østergaard"),
        address: String::new(),
        postal_code: String::new(),
        city: String::new(),
    };
    s.create_citizen(&h, aase).await.expect("citizen");
    // Anyone is found by full name and birth date: whole words, Danish letters in any case.
    for (text, born, hits) in [
        ("ÅSE ØSTERGAARD", "661285", 1),
        ("østergaard åse", "661285", 1),
        ("åse øster", "661285", 0),
        ("åse østergaard", "661286", 0),
    ] {
        let query = CitizenQuery::FullNameBorn {
            name: text.into(),
            born: born.into(),
        };
        let found = s
            .search_citizens(&h, &query, f.koord, 10)
            .await
            .expect("search");
        assert_eq!(found.len(), hits, "{text} born {born}");
    }
    // Every word of the text begins a word of the name, in any order; the middle of a word is
    // not a beginning.
    for (text, hits) in [
        ("mads nør", 1),
        ("NØR mads", 1),
        ("rgaard", 0),
        ("mads øster", 0),
    ] {
        let found = s
            .search_citizens(&h, &CitizenQuery::OwnByName(text.into()), f.prof_r, 10)
            .await
            .expect("search");
        assert_eq!(found.len(), hits, "{text}");
    }

    s.close_course(&h, course, "Flyttet".into(), "Struer Kommune".into())
        .await
        .expect("close");
    let closed = s.course(&h, course).await.expect("read");
    assert_eq!(closed.phase, "closure");
    assert!(closed.closed_ms.is_some());
    let kinds: Vec<_> = closed.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "closed",
            "member_removed",
            "coordinator",
            "phase",
            "member_added",
            "member_added",
            "opened"
        ]
    );
    assert!(matches!(
        s.add_member(
            &h,
            course,
            member(f.koord, f.holstebro, f.holstebro_unit, CourseRole::Other)
        )
        .await,
        Err(StoreError::Conflict(Conflict::Closed))
    ));
    assert!(
        s.my_courses(&h, f.prof_r).await.expect("mine").is_empty(),
        "closed courses leave the list"
    );
    verify_all(s).await;
}

async fn collaborations_and_their_phases(db: &TestStore) {
    use bro_domain::{CourseRole, PhaseScheme};
    use bro_store::{NewCollaboration, NewCourse, NewMember};
    let s = &db.store;
    let f = fixture(s, false).await;
    let h = ctx(f.holstebro.0);
    let phases = PhaseScheme::parse_lines("Henvisning\nFælles udredning\nIndsats").expect("phases");
    let new = NewCollaboration {
        name: "Fælles Team Holstebro".into(),
        orgs: vec![f.holstebro, f.region],
        phases: phases.clone(),
    };
    let id = s
        .create_collaboration(&h, new.clone())
        .await
        .expect("create");
    assert!(matches!(
        s.create_collaboration(&h, new).await,
        Err(StoreError::Conflict(Conflict::Collaboration))
    ));
    let mine = s.collaborations_of(f.region).await.expect("list");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].phases, phases);
    assert_eq!(mine[0].orgs.len(), 2);
    assert!(
        s.collaborations_of(bro_domain::OrgId(-1))
            .await
            .expect("none")
            .is_empty()
    );

    let coordinator = |org, unit| NewMember {
        user_id: f.koord,
        org_id: org,
        unit_id: unit,
        role: CourseRole::SubstanceAbuseCounsellor,
        fixed: true,
        phone: "96 11 75 00".into(),
        mail: String::new(),
        hours: String::new(),
    };
    let course = s
        .open_course(
            &h,
            NewCourse {
                citizen_id: f.citizen,
                target_groups: vec![],
                legal_frames: vec![],
                coordinator: coordinator(f.holstebro, f.holstebro_unit),
                collaboration: Some(id),
                handover_reason: None,
            },
        )
        .await
        .expect("open under the collaboration");
    let read = s.course(&h, course).await.expect("read");
    assert_eq!((read.phase.as_str(), &read.phases), ("step-1", &phases));
    assert_eq!(
        read.collaboration_name.as_deref(),
        Some("Fælles Team Holstebro")
    );
    s.move_phase(&h, course, "step-1", "step-2")
        .await
        .expect("move");

    // New courses follow changed phases; the running one keeps its own.
    let changed = PhaseScheme::parse_lines("Visitation\nIndsats").expect("phases");
    s.set_collaboration_phases(&h, id, f.holstebro, changed.clone())
        .await
        .expect("change");
    assert!(matches!(
        s.set_collaboration_phases(&h, id, bro_domain::OrgId(-1), changed.clone())
            .await,
        Err(StoreError::NotFound)
    ));
    let read = s.course(&h, course).await.expect("read");
    assert_eq!((read.phase.as_str(), &read.phases), ("step-2", &phases));
    let summary = s.my_courses(&h, f.koord).await.expect("mine");
    assert_eq!(summary[0].phase, "step-2");
    assert_eq!(
        summary[0].phases.label("step-2", |k| k.to_owned()),
        "Fælles udredning"
    );
    assert_eq!(
        s.collaborations_of(f.holstebro).await.expect("list")[0].phases,
        changed
    );
    verify_all(s).await;
}

async fn a_citizens_access_log(db: &TestStore) {
    use bro_store::{AccessQuery, AuditEvent};
    let s = &db.store;
    let f = fixture(s, false).await;
    let as_staff = |org: bro_domain::OrgId, user, unit, at_ms, purpose| AuditCtx {
        tenant_id: org.0,
        at_ms,
        actor_user_id: Some(user),
        actor_role: Some("professional".into()),
        actor_unit_id: Some(unit),
        purpose,
    };
    let read = |who: AuditCtx| async move {
        s.append_audit(
            &who,
            AuditEvent::allowed(AuditAction::CourseRead).subject(f.citizen),
        )
        .await
        .expect("audit");
    };
    read(as_staff(
        f.region,
        f.prof_r,
        f.region_unit,
        2_000,
        "care-team",
    ))
    .await;
    read(as_staff(
        f.holstebro,
        f.koord,
        f.holstebro_unit,
        3_000,
        "search",
    ))
    .await;
    let own = AuditCtx {
        actor_user_id: Some(f.citizen_user),
        ..AuditCtx::system(0, 4_000, "own-data")
    };
    read(own.clone()).await;
    let all = AccessQuery {
        from_ms: 0,
        to_ms: 10_000,
        org: None,
        before: None,
        limit: 10,
    };
    let log = s
        .citizen_access_log(&own, f.citizen, all)
        .await
        .expect("log");
    let who: Vec<_> = log
        .iter()
        .map(|e| (e.at_ms, e.actor_name.as_deref(), e.purpose.as_str()))
        .collect();
    assert_eq!(
        who,
        [
            (3_000, Some("Karen Koordinator"), "search"),
            (2_000, Some("Pia Fagperson"), "care-team")
        ],
        "newest first, the citizen's own reads left out"
    );
    assert_eq!(log[1].org_name.as_deref(), Some("Region Midtjylland"));
    assert_eq!(log[1].unit_name.as_deref(), Some("Ambulatorium Vest"));
    let region = AccessQuery {
        org: Some(f.region),
        ..all
    };
    assert_eq!(
        s.citizen_access_log(&own, f.citizen, region)
            .await
            .expect("log")
            .len(),
        1
    );
    let early = AccessQuery {
        to_ms: 2_500,
        ..all
    };
    assert_eq!(
        s.citizen_access_log(&own, f.citizen, early)
            .await
            .expect("log")
            .len(),
        1
    );
    let one = AccessQuery { limit: 1, ..all };
    let first = s
        .citizen_access_log(&own, f.citizen, one)
        .await
        .expect("log");
    assert_eq!(first[0].at_ms, 3_000);
    // The next page continues after the last entry shown, through the cursor's text form.
    let cursor = bro_store::AccessCursor::parse(&first[0].cursor.to_string());
    assert_eq!(cursor, Some(first[0].cursor));
    let next = AccessQuery {
        before: cursor,
        ..one
    };
    let second = s
        .citizen_access_log(&own, f.citizen, next)
        .await
        .expect("log");
    assert_eq!(second[0].at_ms, 2_000);
    assert_eq!(second[0].actor_name.as_deref(), Some("Pia Fagperson"));
    let after_last = AccessQuery {
        before: Some(second[0].cursor),
        ..all
    };
    assert!(
        s.citizen_access_log(&own, f.citizen, after_last)
            .await
            .expect("log")
            .is_empty()
    );
    let orgs: Vec<_> = s
        .access_log_orgs(f.citizen)
        .await
        .expect("orgs")
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(orgs, ["Holstebro Kommune", "Region Midtjylland"]);
    // Reading the log is recorded too, as the citizen's own.
    let last = s.recent_audit(0, 1).await.expect("audit");
    assert_eq!(last[0].fields.action, AuditAction::AccessLogRead.code());
    verify_all(s).await;
}

async fn consents_are_kept_and_withdrawn(db: &TestStore) {
    use bro_domain::ShareCategory;
    use bro_domain::consent::{ConsentForm, GivenBy};
    use bro_store::{ConsentDocument, NewConsent};
    let s = &db.store;
    let f = fixture(s, false).await;
    let staff = AuditCtx {
        actor_user_id: Some(f.koord),
        ..ctx(f.holstebro.0)
    };
    let new = NewConsent {
        citizen_id: f.citizen,
        course_id: None,
        orgs: vec![f.region, f.holstebro],
        categories: vec![ShareCategory::Health, ShareCategory::Plan],
        form: ConsentForm::Written,
        given_by: GivenBy::CustodyHolders,
        givers: vec!["Inge Nørgaard".into(), "Ole Nørgaard".into()],
        guardian_scope: String::new(),
        // A witness from another organisation: Holstebro's own access is not its word alone.
        witness: "Pia Fagperson".into(),
        witness_org: Some(f.region),
        valid_from_ms: 1_000,
        valid_to_ms: Some(5_000),
        document: Some(ConsentDocument {
            name: "samtykke.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: b"%PDF-1.7 signed".to_vec(),
        }),
    };
    let id = s.record_consent(&staff, new.clone()).await.expect("record");
    let unknown = NewConsent {
        orgs: vec![bro_domain::OrgId(999_999)],
        ..new.clone()
    };
    assert!(matches!(
        s.record_consent(&staff, unknown).await,
        Err(StoreError::NotFound)
    ));
    let all = s.consents(&staff, f.citizen).await.expect("consents");
    assert_eq!(all.len(), 1, "a refused consent leaves nothing behind");
    let c = &all[0];
    assert_eq!(
        c.orgs.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
        ["Holstebro Kommune", "Region Midtjylland"]
    );
    assert_eq!(c.givers, ["Inge Nørgaard", "Ole Nørgaard"]);
    assert_eq!(c.recorded_by, "Karen Koordinator");
    assert!(c.is_active(1_000) && c.is_active(4_999) && !c.is_active(5_000) && !c.is_active(999));
    let doc = s
        .consent_document(&staff, f.citizen, id)
        .await
        .expect("document");
    assert_eq!(doc.bytes, b"%PDF-1.7 signed");
    assert!(matches!(
        s.consent_document(&staff, bro_domain::CitizenId(999_999), id)
            .await,
        Err(StoreError::NotFound)
    ));
    s.withdraw_consent(&staff, f.citizen, id)
        .await
        .expect("withdraw");
    assert!(matches!(
        s.withdraw_consent(&staff, f.citizen, id).await,
        Err(StoreError::Conflict(Conflict::Withdrawn))
    ));
    let after = s.consents(&staff, f.citizen).await.expect("consents");
    assert!(!after[0].is_active(2_000));
    assert_eq!(after[0].withdrawn_by.as_deref(), Some("Karen Koordinator"));
    verify_all(s).await;
}

async fn grants_from_consents_and_legal_bases(db: &TestStore) {
    use bro_domain::ShareCategory::{CrisisPlan, Health, Plan};
    use bro_domain::consent::{ConsentForm, GivenBy, LegalBasisKind};
    use bro_store::{NewConsent, NewLegalBasis};
    let s = &db.store;
    let f = fixture(s, false).await;
    let staff = AuditCtx {
        actor_user_id: Some(f.koord),
        ..ctx(f.holstebro.0)
    };
    let consent = |categories, valid_to_ms| NewConsent {
        citizen_id: f.citizen,
        course_id: None,
        orgs: vec![f.region],
        categories,
        form: ConsentForm::Oral,
        given_by: GivenBy::Citizen,
        givers: vec![],
        guardian_scope: String::new(),
        witness: String::new(),
        witness_org: None,
        valid_from_ms: 1_000,
        valid_to_ms,
        document: None,
    };
    assert_eq!(
        s.grants(f.citizen, f.region, 2_000).await.expect("grants"),
        Default::default()
    );
    let plan = s
        .record_consent(&staff, consent(vec![Plan], None))
        .await
        .expect("consent");
    s.record_consent(&staff, consent(vec![Plan, CrisisPlan], Some(3_000)))
        .await
        .expect("consent");
    let g = s.grants(f.citizen, f.region, 2_000).await.expect("grants");
    assert_eq!(g.consent, [Plan, CrisisPlan]);
    assert_eq!(
        s.grants(f.citizen, f.region, 3_000)
            .await
            .expect("grants")
            .consent,
        [Plan],
        "expired at its end"
    );
    assert!(
        s.grants(f.citizen, f.holstebro, 2_000)
            .await
            .expect("grants")
            .consent
            .is_empty(),
        "another organisation"
    );
    assert!(
        s.grants(f.citizen, f.region, 999)
            .await
            .expect("grants")
            .consent
            .is_empty(),
        "not yet started"
    );
    s.withdraw_consent(&staff, f.citizen, plan)
        .await
        .expect("withdraw");
    assert!(
        s.grants(f.citizen, f.region, 3_000)
            .await
            .expect("grants")
            .consent
            .is_empty(),
        "withdrawn"
    );

    let basis = NewLegalBasis {
        citizen_id: f.citizen,
        course_id: None,
        kind: LegalBasisKind::Sundhedsloven43,
        reason: "Livstruende tilstand".into(),
        orgs: vec![f.region],
        categories: vec![Health],
        valid_from_ms: 1_000,
        valid_to_ms: 5_000,
    };
    let id = s
        .record_legal_basis(&staff, basis)
        .await
        .expect("legal basis");
    let g = s.grants(f.citizen, f.region, 4_999).await.expect("grants");
    assert_eq!(g.legal_basis, [(Health, LegalBasisKind::Sundhedsloven43)]);
    assert!(
        s.grants(f.citizen, f.region, 5_000)
            .await
            .expect("grants")
            .legal_basis
            .is_empty()
    );
    let listed = s.legal_bases(&staff, f.citizen).await.expect("list");
    assert_eq!(listed[0].reason, "Livstruende tilstand");
    assert!(listed[0].is_active(2_000));
    s.end_legal_basis(&staff, f.citizen, id).await.expect("end");
    assert!(matches!(
        s.end_legal_basis(&staff, f.citizen, id).await,
        Err(StoreError::Conflict(Conflict::Ended))
    ));
    assert!(
        s.grants(f.citizen, f.region, 2_000)
            .await
            .expect("grants")
            .legal_basis
            .is_empty()
    );
    verify_all(s).await;
}

async fn emergency_accesses(db: &TestStore) {
    use bro_store::{NewCourse, NewEmergencyAccess, NewMember};
    let s = &db.store;
    let f = fixture(s, false).await;
    let course = s
        .open_course(
            &ctx(f.holstebro.0),
            NewCourse {
                citizen_id: f.citizen,
                target_groups: vec![],
                legal_frames: vec![],
                coordinator: NewMember {
                    user_id: f.koord,
                    org_id: f.holstebro,
                    unit_id: f.holstebro_unit,
                    role: bro_domain::CourseRole::Other,
                    fixed: true,
                    phone: "96 11 75 00".into(),
                    mail: String::new(),
                    hours: String::new(),
                },
                collaboration: None,
                handover_reason: None,
            },
        )
        .await
        .expect("course");
    let prof = AuditCtx {
        actor_user_id: Some(f.prof_r),
        ..ctx(f.region.0)
    };
    let new = NewEmergencyAccess {
        citizen_id: f.citizen,
        course_id: course,
        org_id: f.region,
        kind: bro_domain::consent::EmergencyReasonKind::AcuteAdmission,
        reason: "Akut indlagt".into(),
        ends_ms: 1_000 + 60_000,
    };
    let id = s.start_emergency_access(&prof, new).await.expect("start");
    assert!(
        s.emergency_active(course, f.prof_r, 1_000)
            .await
            .expect("active")
    );
    assert!(
        !s.emergency_active(course, f.prof_r, 61_000)
            .await
            .expect("ended")
    );
    assert!(
        !s.emergency_active(course, f.koord, 1_000)
            .await
            .expect("someone else")
    );
    let mine = s
        .emergency_accesses_of(&ctx(0), f.citizen)
        .await
        .expect("citizen's");
    assert_eq!(
        (mine[0].user_name.as_str(), mine[0].org_name.as_str()),
        ("Pia Fagperson", "Region Midtjylland")
    );
    let admin = AuditCtx {
        actor_user_id: Some(f.admin_r),
        ..ctx(f.region.0)
    };
    assert!(
        s.emergency_reviews(&admin, f.holstebro)
            .await
            .expect("other org")
            .is_empty()
    );
    assert!(matches!(
        s.review_emergency_access(&admin, f.holstebro, id, "x".into())
            .await,
        Err(StoreError::NotFound)
    ));
    s.review_emergency_access(&admin, f.region, id, "Berettiget".into())
        .await
        .expect("review");
    assert!(matches!(
        s.review_emergency_access(&admin, f.region, id, "igen".into())
            .await,
        Err(StoreError::Conflict(Conflict::Reviewed))
    ));
    let reviewed = s
        .emergency_reviews(&admin, f.region)
        .await
        .expect("reviews");
    assert_eq!(reviewed[0].review_comment.as_deref(), Some("Berettiget"));
    assert_eq!(reviewed[0].reviewed_by.as_deref(), Some("Rasmus Admin"));
    verify_all(s).await;
}

async fn relatives_see_what_the_network_entry_allows(db: &TestStore) {
    use bro_domain::ShareCategory::{CrisisPlan, Plan};
    use bro_store::{NewCourse, NewMember, NewNetworkMember};
    let s = &db.store;
    let f = fixture(s, false).await;
    let h = ctx(f.holstebro.0);
    let course = s
        .open_course(
            &h,
            NewCourse {
                citizen_id: f.citizen,
                target_groups: vec![],
                legal_frames: vec![],
                coordinator: NewMember {
                    user_id: f.koord,
                    org_id: f.holstebro,
                    unit_id: f.holstebro_unit,
                    role: bro_domain::CourseRole::Other,
                    fixed: true,
                    phone: "96 11 75 00".into(),
                    mail: String::new(),
                    hours: String::new(),
                },
                collaboration: None,
                handover_reason: None,
            },
        )
        .await
        .expect("course");
    let accounts = s.relative_accounts(f.citizen).await.expect("accounts");
    assert_eq!(
        accounts,
        [(f.relative, "Inge Nørgaard".to_owned(), "Mor".to_owned())]
    );
    let entry = |user| NewNetworkMember {
        name: "Inge Nørgaard".into(),
        relation: "Mor".into(),
        phone: String::new(),
        may_see: vec![CrisisPlan, Plan],
        user_id: Some(user),
    };
    assert!(matches!(
        s.add_network_member(&h, course, entry(f.koord)).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        s.shared_with_relative(f.citizen, f.relative)
            .await
            .expect("none")
            .is_empty()
    );
    let id = s
        .add_network_member(&h, course, entry(f.relative))
        .await
        .expect("entry");
    assert_eq!(
        s.shared_with_relative(f.citizen, f.relative)
            .await
            .expect("shared"),
        [Plan, CrisisPlan]
    );
    assert!(s.course(&h, course).await.expect("course").network[0].has_login);
    s.remove_network_member(&h, course, id)
        .await
        .expect("remove");
    assert!(
        s.shared_with_relative(f.citizen, f.relative)
            .await
            .expect("none")
            .is_empty()
    );
    verify_all(s).await;
}

/// A calendar feed's secret address answers only while the account that made it is active.
async fn calendar_feeds_die_with_their_owners_account(db: &TestStore) {
    let s = &db.store;
    let f = fixture(s, false).await;
    let own = AuditCtx {
        actor_user_id: Some(f.koord),
        ..ctx(f.holstebro.0)
    };
    s.create_feed(&own, bro_store::FeedOwner::User(f.koord), "digest-of-koord")
        .await
        .expect("feed");
    let found = s.feed_by_digest("digest-of-koord").await.expect("read");
    assert_eq!(
        found.map(|feed| feed.owner),
        Some(bro_store::FeedOwner::User(f.koord))
    );
    s.deactivate_user(&ctx(f.holstebro.0), f.koord)
        .await
        .expect("deactivate");
    assert!(
        s.feed_by_digest("digest-of-koord")
            .await
            .expect("read")
            .is_none(),
        "a deactivated account's feed answers nothing"
    );
}

/// Attempts are counted before they are checked, one at a time per key: of twelve claims at
/// once under a limit of five, five get through; a released claim counts no more.
async fn login_attempts_are_claimed_one_at_a_time(db: &TestStore) {
    let keys = vec![
        ("account:y".to_owned(), 5),
        ("address:5.6.7.8".to_owned(), 50),
    ];
    let claims = (0..12).map(|i| {
        let (s, keys) = (db.store.clone(), keys.clone());
        tokio::spawn(async move {
            let claim = format!("claim-{i}");
            let through = s.claim_login_attempt(&claim, &keys, 0, 1_000).await;
            (claim, through.expect("claim"))
        })
    });
    let mut through = Vec::new();
    for c in claims.collect::<Vec<_>>() {
        let (claim, ok) = c.await.expect("join");
        if ok {
            through.push(claim);
        }
    }
    let s = &db.store;
    assert_eq!(through.len(), 5);
    assert_eq!(s.login_failures_since("account:y", 0).await.expect("n"), 5);
    s.release_login_attempt(&through[0]).await.expect("release");
    assert_eq!(s.login_failures_since("account:y", 0).await.expect("n"), 4);
    assert_eq!(
        s.login_failures_since("address:5.6.7.8", 0)
            .await
            .expect("n"),
        4
    );
}

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = bro_testkit::TestStore::new(bro_testkit::Backend::Sqlite, concat!("sqlite::", stringify!($name))).await.expect("sqlite");
                    super::$name(&db).await;
                    db.cleanup().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = bro_testkit::TestStore::new(bro_testkit::Backend::Postgres, concat!("contract::postgres::", stringify!($name))).await else { return };
                    super::$name(&db).await;
                    db.cleanup().await;
                }
            )*
        }
    };
}

contract!(
    organisations_and_units,
    users_roles_and_scoping,
    sessions_and_second_factor,
    login_throttle,
    login_attempts_are_claimed_one_at_a_time,
    citizens_and_relatives,
    audit_chain_under_concurrency,
    audit_log_refuses_changes,
    reads_are_answered_only_after_their_record_is_committed,
    courses_and_care_teams,
    collaborations_and_their_phases,
    a_citizens_access_log,
    consents_are_kept_and_withdrawn,
    grants_from_consents_and_legal_bases,
    emergency_accesses,
    relatives_see_what_the_network_entry_allows,
    calendar_feeds_die_with_their_owners_account,
);
