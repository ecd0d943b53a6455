//! `bro demo`: the demo world described in the README on embedded SQLite, created once, then reused.
//! All people are synthetic; CPR numbers are replacement numbers (day of month + 60), so no
//! real person's number appears.

use bro_audit::PLATFORM_TENANT;
use bro_domain::ShareCategory;
use bro_domain::consent::{ConsentForm, GivenBy};
use bro_domain::plan::{
    CrisisPlan, GoalNote, GoalOwner, Intervention, InterventionStatus, LifeArea, PlanContent,
    Section,
};
use bro_domain::{
    AccountKind, CitizenId, Clock, CollaborationId, CourseRole, Cpr, LegalFrame, Name, OrgId,
    OrgKind, Phase, PhaseScheme, Role, SystemClock, TargetGroup, UnitId, UnitKind, Username,
};
use bro_store::NewNetworkMember;
use bro_store::{
    AuditCtx, DynStore, NewCitizen, NewCollaboration, NewConsent, NewCourse, NewMember,
    NewOrganisation, NewUnit, NewUser,
};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;

mod meetings;
pub mod scale;

pub const DEMO_PASSWORD: &str = "bro-demo-2026";
const SEEDED_KEY: &str = "demo_world";
pub const CITIZENS: usize = 300;

/// Demo logins: (username, display name, role, organisation, unit).
pub const DEMO_USERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "koordinator",
        "Karen Kjær Jensen",
        "coordinator",
        "Holstebro Kommune",
        "Rusmiddelcenter Holstebro",
    ),
    (
        "fagperson",
        "Peter Holm Sørensen",
        "professional",
        "Region Midtjylland",
        "Regionspsykiatrien Vest, Ambulatorium",
    ),
    (
        "laege",
        "Anne Vestergaard",
        "professional",
        "Lægehuset Vestergade",
        "Lægehuset Vestergade",
    ),
    (
        "moedeleder",
        "Lars Bach Nielsen",
        "meeting_leader",
        "Holstebro Kommune",
        "Socialpsykiatri Holstebro",
    ),
    (
        "visitator",
        "Mette Lund Christensen",
        "visitator",
        "Holstebro Kommune",
        "Myndighed Voksne Holstebro",
    ),
    (
        "funktionsleder",
        "Jens Kirk Madsen",
        "function_leader",
        "Holstebro Kommune",
        "MPO Holstebro",
    ),
    (
        "leder",
        "Hanne Bjerre Poulsen",
        "manager",
        "Holstebro Kommune",
        "Administration Holstebro",
    ),
    (
        "admin-holstebro",
        "Søren Dahl Andersen",
        "admin",
        "Holstebro Kommune",
        "Administration Holstebro",
    ),
    (
        "admin-region",
        "Birgitte Møller Rasmussen",
        "admin",
        "Region Midtjylland",
        "Regionens administration",
    ),
    (
        "koordinator-rks",
        "Rikke Skov Thomsen",
        "coordinator",
        "Ringkøbing-Skjern Kommune",
        "Rusmiddelcenter Ringkøbing-Skjern",
    ),
];

/// An organisation of the demo: name, kind and its units.
type DemoOrg = (&'static str, OrgKind, &'static [(&'static str, UnitKind)]);

const ORGS: &[DemoOrg] = &[
    (
        "Region Midtjylland",
        OrgKind::Region,
        &[
            ("Regionspsykiatrien Vest, Sengeafsnit P1", UnitKind::Ward),
            (
                "Regionspsykiatrien Vest, Ambulatorium",
                UnitKind::OutpatientClinic,
            ),
            ("Klinik for rusmiddelpsykiatri", UnitKind::OutpatientClinic),
            ("Ambulant Akut Team", UnitKind::AcuteTeam),
            ("Regionens administration", UnitKind::Administration),
        ],
    ),
    (
        "Holstebro Kommune",
        OrgKind::Municipality,
        &[
            ("Socialpsykiatri Holstebro", UnitKind::SocialPsychiatry),
            (
                "Rusmiddelcenter Holstebro",
                UnitKind::SubstanceAbuseTreatment,
            ),
            ("Myndighed Voksne Holstebro", UnitKind::CaseAuthority),
            ("Jobcenter Holstebro", UnitKind::JobCentre),
            ("MPO Holstebro", UnitKind::MpoUnit),
            ("Administration Holstebro", UnitKind::Administration),
        ],
    ),
    (
        "Ringkøbing-Skjern Kommune",
        OrgKind::Municipality,
        &[
            (
                "Socialpsykiatri Ringkøbing-Skjern",
                UnitKind::SocialPsychiatry,
            ),
            (
                "Rusmiddelcenter Ringkøbing-Skjern",
                UnitKind::SubstanceAbuseTreatment,
            ),
            (
                "Myndighed Voksne Ringkøbing-Skjern",
                UnitKind::CaseAuthority,
            ),
            ("Jobcenter Ringkøbing-Skjern", UnitKind::JobCentre),
            ("Administration Ringkøbing-Skjern", UnitKind::Administration),
        ],
    ),
    (
        "Lægehuset Vestergade",
        OrgKind::GpPractice,
        &[("Lægehuset Vestergade", UnitKind::GpPractice)],
    ),
];

const GIVEN: &[&str] = &[
    "Anders",
    "Birgit",
    "Camilla",
    "Dorte",
    "Emil",
    "Frederik",
    "Gitte",
    "Henrik",
    "Ida",
    "Jakob",
    "Kirsten",
    "Lone",
    "Mads",
    "Nanna",
    "Ole",
    "Pia",
    "Rasmus",
    "Sofie",
    "Torben",
    "Ulla",
    "Vibeke",
    "Anja",
    "Bo",
    "Christian",
    "Ditte",
    "Esben",
    "Freja",
    "Gustav",
    "Helle",
    "Jonas",
    "Karina",
    "Lasse",
    "Maja",
    "Niels",
    "Oliver",
    "Rikke",
    "Simon",
    "Tina",
    "Anne-Mette",
    "Søren",
    "Bjørn",
    "Åse",
    "Jørgen",
    "Mathilde",
    "Laura",
    "Mikkel",
    "Kasper",
    "Line",
];
const FAMILY: &[&str] = &[
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Kjær",
    "Lund",
    "Bach",
    "Holm",
    "Vestergaard",
    "Dahl",
    "Bjerre",
    "Nørgaard",
    "Skov",
    "Østergaard",
    "Kirkegaard",
    "Højgaard",
];
const STREETS: &[&str] = &[
    "Nørregade",
    "Søndergade",
    "Vestergade",
    "Østergade",
    "Skolegade",
    "Kirkevej",
    "Stationsvej",
    "Engvej",
    "Fjordvej",
    "Lærkevej",
    "Birkevej",
    "Ringkøbingvej",
    "Herningvej",
    "Struervej",
    "Bøgevej",
    "Møllevej",
];
const TOWNS: &[(&str, &str)] = &[
    ("7500", "Holstebro"),
    ("7500", "Holstebro"),
    ("7500", "Holstebro"),
    ("7830", "Vinderup"),
    ("7570", "Vemb"),
    ("6950", "Ringkøbing"),
    ("6900", "Skjern"),
    ("6880", "Tarm"),
    ("6960", "Hvide Sande"),
    ("6990", "Ulfborg"),
];

fn name(s: &str) -> Result<Name, String> {
    Name::parse(s).map_err(|e| format!("demo name {s:?}: {e}"))
}

/// A CPR replacement number born between 1950 and 2008, with the century digit that fits.
fn replacement_cpr(rng: &mut StdRng) -> Cpr {
    loop {
        let year: i32 = rng.gen_range(1950..=2008);
        let month: u8 = rng.gen_range(1..=12);
        let day: u8 = rng.gen_range(1..=28);
        let yy = year % 100;
        // 1900s: first sequence digit 0-3; 2000-2036: 4 or 9.
        let first = if year < 2000 { rng.gen_range(0..=3) } else { 4 };
        let rest: u16 = rng.gen_range(0..1000);
        let s = format!("{:02}{:02}{:02}{first}{rest:03}", day + 60, month, yy);
        if let Ok(cpr) = Cpr::parse(&s) {
            return cpr;
        }
    }
}

/// Synthetic citizens, the same every time (fixed seed).
pub fn citizens(n: usize) -> Result<Vec<NewCitizen>, String> {
    let mut rng = StdRng::seed_from_u64(2026);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let cpr = replacement_cpr(&mut rng);
        if !seen.insert(cpr.compact()) {
            continue;
        }
        let given = GIVEN.choose(&mut rng).copied().unwrap_or("Anders");
        let family = FAMILY.choose(&mut rng).copied().unwrap_or("Nielsen");
        let street = STREETS.choose(&mut rng).copied().unwrap_or("Nørregade");
        let (postal, town) = TOWNS
            .choose(&mut rng)
            .copied()
            .unwrap_or(("7500", "Holstebro"));
        out.push(NewCitizen {
            cpr,
            given_name: name(given)?,
            family_name: name(family)?,
            address: format!("{street} {}", rng.gen_range(1..120)),
            postal_code: postal.to_owned(),
            city: town.to_owned(),
        });
    }
    Ok(out)
}

/// A demo staff member, as created.
struct DemoStaff {
    username: &'static str,
    user: bro_domain::UserId,
    org: OrgId,
    unit: UnitId,
    role: Role,
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The Fælles Team of Holstebro municipality and the regional psychiatry, with its own phases
/// (seed 003: referral to the team, joint assessment, a coordination meeting with the citizen).
struct DemoCollaboration {
    id: CollaborationId,
    phases: PhaseScheme,
}

async fn demo_collaboration(
    store: &DynStore,
    units: &[(String, OrgId, String, UnitId)],
    now: i64,
) -> Result<DemoCollaboration, String> {
    let org = |name: &str| {
        units
            .iter()
            .find(|(o, ..)| o == name)
            .map(|(_, id, ..)| *id)
            .ok_or_else(|| format!("demo organisation {name} missing"))
    };
    let holstebro = org("Holstebro Kommune")?;
    let phases = PhaseScheme::parse_lines(
        "Henvisning til Fælles Team\nFælles udredning\nKoordineringsmøde med borgeren\nIndsats\nOpfølgning i Fælles Team",
    )
    .map_err(|e| e.to_string())?;
    let id = store
        .create_collaboration(
            &AuditCtx::system(holstebro.0, now, "demo-setup"),
            NewCollaboration {
                name: "Fælles Team Holstebro".to_owned(),
                orgs: vec![holstebro, org("Region Midtjylland")?],
                phases: phases.clone(),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(DemoCollaboration { id, phases })
}

/// Which demo course: the citizen's number, how far it has come, who coordinates it and whose
/// phases it follows.
struct DemoCourse<'a> {
    i: usize,
    phase_index: usize,
    coordinator: &'a str,
    collaboration: Option<&'a DemoCollaboration>,
}

/// One citizen's course: opened some months ago, moved phase by phase to `phase_index`, with
/// a team across region, municipality and GP. Acts are recorded as the coordinator's, at the
/// times they would have happened.
async fn demo_course(
    store: &DynStore,
    staff: &[DemoStaff],
    citizen: CitizenId,
    spec: DemoCourse<'_>,
    now: i64,
) -> Result<(), String> {
    let DemoCourse {
        i,
        phase_index,
        coordinator,
        collaboration,
    } = spec;
    let find = |name: &str| {
        staff
            .iter()
            .find(|s| s.username == name)
            .ok_or_else(|| format!("demo staff {name} missing"))
    };
    let lead = find(coordinator)?;
    let step = 21 * DAY_MS;
    let opened = now
        - (i64::try_from(phase_index).unwrap_or(0) + 1) * step
        - i64::try_from(i % 17).unwrap_or(0) * DAY_MS;
    let at = |k: usize| opened + i64::try_from(k).unwrap_or(0) * step;
    let ctx = |at_ms: i64| AuditCtx {
        tenant_id: lead.org.0,
        at_ms,
        actor_user_id: Some(lead.user),
        actor_role: Some(lead.role.as_str().to_owned()),
        actor_unit_id: Some(lead.unit),
        purpose: "care-team",
    };
    let member =
        |s: &DemoStaff, role: CourseRole, fixed: bool, phone: &str, hours: &str| NewMember {
            user_id: s.user,
            org_id: s.org,
            unit_id: s.unit,
            role,
            fixed,
            phone: phone.to_owned(),
            mail: format!("{}@bro-demo.dk", s.username),
            hours: hours.to_owned(),
        };
    let mut target_groups = vec![TargetGroup::DualDiagnosis];
    if i.is_multiple_of(5) {
        target_groups.push(TargetGroup::FrequentReadmissions);
    }
    let mut legal_frames = vec![LegalFrame::Serviceloven, LegalFrame::Sundhedsloven];
    if i.is_multiple_of(3) {
        legal_frames.push(LegalFrame::Psykiatriloven);
    }
    let new = NewCourse {
        citizen_id: citizen,
        target_groups,
        legal_frames,
        coordinator: member(
            lead,
            CourseRole::SubstanceAbuseCounsellor,
            true,
            "96 11 75 00",
            "Hverdage 8-15",
        ),
        collaboration: collaboration.map(|c| c.id),
        handover_reason: None,
    };
    let course = store
        .open_course(&ctx(opened), new)
        .await
        .map_err(|e| e.to_string())?;
    let mut team = vec![(
        "fagperson",
        CourseRole::Psychiatrist,
        true,
        "78 43 00 00",
        "Hverdage 8-15.30",
    )];
    if i.is_multiple_of(3) || i == 0 {
        team.push((
            "laege",
            CourseRole::Gp,
            false,
            "97 42 11 22",
            "Telefontid 8-9",
        ));
    }
    if coordinator == "koordinator" && (i.is_multiple_of(4) || i == 0) {
        team.push((
            "moedeleder",
            CourseRole::SocialPsychiatryContact,
            true,
            "96 11 50 00",
            "Alle dage 8-22",
        ));
    }
    if coordinator == "koordinator" && i.is_multiple_of(5) {
        team.push((
            "visitator",
            CourseRole::CaseWorker,
            true,
            "96 11 52 00",
            "Man-tors 9-14",
        ));
    }
    if coordinator == "koordinator" && i.is_multiple_of(7) {
        team.push((
            "funktionsleder",
            CourseRole::MpoStaff,
            false,
            "96 11 58 00",
            "Døgnet rundt",
        ));
    }
    let mut orgs = vec![lead.org];
    for (name, role, fixed, phone, hours) in team {
        let who = find(name)?;
        if !orgs.contains(&who.org) {
            orgs.push(who.org);
        }
        store
            .add_member(
                &ctx(opened + DAY_MS),
                course,
                member(who, role, fixed, phone, hours),
            )
            .await
            .map_err(|e| e.to_string())?;
    }
    // Most citizens consented orally at the first meeting; some have not been asked yet.
    if i % 7 != 3 {
        let consent = NewConsent {
            citizen_id: citizen,
            course_id: Some(course),
            orgs,
            categories: vec![
                ShareCategory::Health,
                ShareCategory::Social,
                ShareCategory::SubstanceAbuse,
                ShareCategory::Plan,
                ShareCategory::CrisisPlan,
                ShareCategory::Minutes,
            ],
            form: ConsentForm::Oral,
            given_by: GivenBy::Citizen,
            givers: Vec::new(),
            guardian_scope: String::new(),
            witness: "Kontaktperson fra bostøtten".to_owned(),
            witness_org: None,
            valid_from_ms: opened + DAY_MS,
            valid_to_ms: Some(opened + 365 * DAY_MS),
            document: None,
        };
        store
            .record_consent(&ctx(opened + DAY_MS), consent)
            .await
            .map_err(|e| e.to_string())?;
    }
    if phase_index >= 2 {
        let author = DEMO_USERS
            .iter()
            .find(|u| u.0 == coordinator)
            .map_or("", |u| u.1);
        demo_plan(store, course, i, &ctx(at(2)), now, author).await?;
    }
    let codes = collaboration
        .map(|c| c.phases.clone())
        .unwrap_or_default()
        .codes();
    let last = codes.len() - 1;
    let phase_index = phase_index % codes.len();
    for k in 1..=phase_index.min(last - 1) {
        store
            .move_phase(&ctx(at(k)), course, &codes[k - 1], &codes[k])
            .await
            .map_err(|e| e.to_string())?;
    }
    if phase_index == last {
        store
            .close_course(
                &ctx(at(last)),
                course,
                "Målene i planen er nået".to_owned(),
                "Fortsat kontakt med egen læge og bostøtte".to_owned(),
            )
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

const CITIZEN_GOALS: &[&str] = &[
    "Jeg vil gerne have min egen lejlighed igen",
    "Jeg vil være stoffri til min datters konfirmation",
    "Jeg vil have et arbejde, hvor jeg kan være mig selv",
    "Jeg vil kunne sove om natten uden at drikke",
    "Jeg vil se mine børn hver weekend",
    "Jeg vil kunne handle ind selv uden at få angst",
];
const TEAM_GOALS: &[(&str, LifeArea)] = &[
    ("Stabil bolig med bostøtte", LifeArea::Housing),
    ("Reduceret forbrug af rusmidler", LifeArea::SubstanceUse),
    ("Færre akutte indlæggelser", LifeArea::Health),
    ("Afklaring af arbejdsevne", LifeArea::WorkEducation),
    ("Stabil medicinering", LifeArea::Health),
];
/// (title, organisation, person, legal basis, frequency)
const INTERVENTIONS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Bostøtte",
        "Holstebro Kommune",
        "Socialpsykiatri Holstebro",
        "Serviceloven § 85",
        "2 gange om ugen",
    ),
    (
        "Ambulant psykiatrisk behandling",
        "Region Midtjylland",
        "Regionspsykiatrien Vest",
        "Sundhedsloven",
        "Hver 14. dag",
    ),
    (
        "Ambulant misbrugsbehandling",
        "Holstebro Kommune",
        "Rusmiddelcenter Holstebro",
        "Serviceloven § 101",
        "Ugentligt",
    ),
    (
        "Jobafklaring",
        "Holstebro Kommune",
        "Jobcenter Holstebro",
        "Beskæftigelsesloven",
        "Hver 4. uge",
    ),
];

/// Progress notes on the team's goal, as a coordinator writes them after a team meeting.
const GOAL_NOTES: &[&str] = &[
    "Har været til fremvisning af en lejlighed; svar inden for 14 dage",
    "Færre akutte kontakter den seneste måned end måneden før",
    "Har mødt op til tre ud af fire aftaler i jobcentret",
    "Bostøtten kommer nu fast to gange om ugen; det går godt",
];

/// A plan written in five versions: goals (the citizen's own words first), interventions,
/// crisis plan, review date, a progress note. Every fourth review date has passed, so overdue reviews show.
async fn demo_plan(
    store: &DynStore,
    course: bro_domain::CourseId,
    i: usize,
    ctx: &AuditCtx,
    now: i64,
    coordinator_name: &str,
) -> Result<(), String> {
    let mut plan = PlanContent::default();
    let own = plan.add_goal(
        GoalOwner::Citizen,
        CITIZEN_GOALS[i % CITIZEN_GOALS.len()].to_owned(),
        LifeArea::DailyLife,
        None,
    );
    let (team_text, area) = TEAM_GOALS[i % TEAM_GOALS.len()];
    let team = plan.add_goal(GoalOwner::Team, team_text.to_owned(), area, None);
    let save = |version: i64, section: Section, plan: &PlanContent, at: i64| {
        let store = store.clone();
        let ctx = AuditCtx {
            at_ms: at,
            ..ctx.clone()
        };
        let plan = plan.clone();
        async move {
            store
                .save_plan(&ctx, course, version, section, &plan)
                .await
                .map_err(|e| e.to_string())
        }
    };
    save(0, Section::Goals, &plan, ctx.at_ms).await?;
    for k in 0..2 {
        let (title, org, person, basis, frequency) = INTERVENTIONS[(i + k) % INTERVENTIONS.len()];
        plan.add_intervention(Intervention {
            id: 0,
            title: title.to_owned(),
            goal_ids: vec![if k == 0 { own } else { team }],
            responsible_org: org.to_owned(),
            responsible_person: person.to_owned(),
            legal_basis: basis.to_owned(),
            frequency: frequency.to_owned(),
            start: None,
            end: None,
            status: if k == 0 {
                InterventionStatus::Active
            } else {
                InterventionStatus::Planned
            },
            next_step: "Opfølgning på næste teammøde".to_owned(),
        })
        .map_err(|e| e.to_string())?;
    }
    save(1, Section::Interventions, &plan, ctx.at_ms + DAY_MS).await?;
    plan.crisis = CrisisPlan {
        warning_signs: "Sover dårligt, trækker sig fra familien, springer aftaler over".to_owned(),
        what_helps: "Ro, en gåtur, at tale med kontaktpersonen".to_owned(),
        what_does_not_help: "Mange mennesker og høje stemmer".to_owned(),
        contacts: "Kontaktperson i dagtid; Ambulant Akut Team døgnet rundt".to_owned(),
        medication: "Fast medicin gives af bostøtten morgen og aften".to_owned(),
        wishes: "Vil gerne have sin søster ringet op".to_owned(),
    };
    save(2, Section::Crisis, &plan, ctx.at_ms + 2 * DAY_MS).await?;
    let today = time::OffsetDateTime::from_unix_timestamp(now / 1000)
        .map_err(|e| e.to_string())?
        .date();
    let offset = if i.is_multiple_of(4) {
        -10
    } else {
        60 + i64::try_from(i % 90).unwrap_or(0)
    };
    plan.review_date = Some((today + time::Duration::days(offset)).to_string());
    save(3, Section::Review, &plan, ctx.at_ms + 3 * DAY_MS).await?;
    let (note, day_ms) = (
        GOAL_NOTES[i % GOAL_NOTES.len()],
        (ctx.at_ms + 20 * DAY_MS).min(now),
    );
    let day = time::OffsetDateTime::from_unix_timestamp(day_ms / 1000)
        .map_err(|e| e.to_string())?
        .date();
    plan.note_goal(
        team,
        GoalNote {
            day: day.to_string(),
            author: coordinator_name.to_owned(),
            text: note.to_owned(),
        },
    )
    .map_err(|e| e.to_string())?;
    save(4, Section::Goals, &plan, day_ms).await?;
    Ok(())
}

/// Creates the demo world unless it exists. Returns true when it was created now.
pub async fn seed(store: &DynStore, clock: &dyn Clock) -> Result<bool, String> {
    if store
        .meta(SEEDED_KEY)
        .await
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Ok(false);
    }
    let now = clock.now_ms();
    let platform = AuditCtx::system(PLATFORM_TENANT, now, "demo-setup");
    let mut units: Vec<(String, OrgId, String, UnitId)> = Vec::new();
    for (org_name, kind, org_units) in ORGS {
        // The demo logs in without a second factor; real organisations require one.
        let org = store
            .create_organisation(
                &platform,
                NewOrganisation {
                    name: name(org_name)?,
                    kind: *kind,
                    require_second_factor: false,
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        let ctx = AuditCtx::system(org.0, now, "demo-setup");
        for (unit_name, unit_kind) in *org_units {
            let unit = store
                .create_unit(
                    &ctx,
                    NewUnit {
                        org_id: org,
                        name: name(unit_name)?,
                        kind: *unit_kind,
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            units.push(((*org_name).to_owned(), org, (*unit_name).to_owned(), unit));
        }
    }
    let hash = bro_auth::password::hash_password(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| e.to_string())?;
    let mut staff: Vec<DemoStaff> = Vec::new();
    for (username, display, role, org_name, unit_name) in DEMO_USERS {
        let (_, org, _, unit) = units
            .iter()
            .find(|(o, _, u, _)| o == org_name && u == unit_name)
            .ok_or_else(|| format!("demo unit {unit_name} missing"))?;
        let role = Role::parse(role).ok_or("demo role")?;
        let new = NewUser {
            org_id: Some(*org),
            username: Username::parse(username).map_err(|e| e.to_string())?,
            display_name: name(display)?,
            password_hash: hash.clone(),
            kind: AccountKind::Staff,
            citizen_id: None,
            initial_role: Some((*unit, role)),
        };
        let id = store
            .create_user(&AuditCtx::system(org.0, now, "demo-setup"), new)
            .await
            .map_err(|e| e.to_string())?;
        staff.push(DemoStaff {
            username,
            user: id,
            org: *org,
            unit: *unit,
            role,
        });
        // The coordinator also works as a professional: shows switching between roles.
        if *username == "koordinator" {
            store
                .grant_role(
                    &AuditCtx::system(org.0, now, "demo-setup"),
                    id,
                    *unit,
                    Role::Professional,
                )
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let fælles_team = demo_collaboration(store, &units, now).await?;
    let people = citizens(CITIZENS)?;
    let holstebro_area: Vec<bool> = people
        .iter()
        .map(|c| matches!(c.city.as_str(), "Holstebro" | "Vinderup" | "Vemb"))
        .collect();
    let ids = store
        .create_citizens(&platform, people)
        .await
        .map_err(|e| e.to_string())?;
    for (i, (citizen, in_holstebro)) in ids.iter().zip(holstebro_area).enumerate() {
        // The citizen who logs in as `borger` is in the planning phase with a full team.
        let phase_index = if i == 0 { 2 } else { i % Phase::ALL.len() };
        let coordinator = if in_holstebro || i == 0 {
            "koordinator"
        } else {
            "koordinator-rks"
        };
        // Every fifth Holstebro course follows the Fælles Team's own phases.
        let follows = (coordinator == "koordinator" && i % 5 == 1).then_some(&fælles_team);
        let spec = DemoCourse {
            i,
            phase_index,
            coordinator,
            collaboration: follows,
        };
        demo_course(store, &staff, *citizen, spec, now).await?;
    }
    let borger: CitizenId = *ids.first().ok_or("no citizens")?;
    let citizen = store
        .citizen(&platform, borger)
        .await
        .map_err(|e| e.to_string())?;
    let citizen_user = NewUser {
        org_id: None,
        username: Username::parse("borger").map_err(|e| e.to_string())?,
        display_name: name(&format!("{} {}", citizen.given_name, citizen.family_name))?,
        password_hash: hash.clone(),
        kind: AccountKind::Citizen,
        citizen_id: Some(borger),
        initial_role: None,
    };
    store
        .create_user(&platform, citizen_user)
        .await
        .map_err(|e| e.to_string())?;
    let relative = NewUser {
        org_id: None,
        username: Username::parse("paaroerende").map_err(|e| e.to_string())?,
        display_name: name(&format!("Inge {}", citizen.family_name))?,
        password_hash: hash,
        kind: AccountKind::Relative,
        citizen_id: None,
        initial_role: None,
    };
    let relative_id = store
        .create_user(&platform, relative)
        .await
        .map_err(|e| e.to_string())?;
    store
        .link_relative(&platform, borger, relative_id, "Mor".to_owned())
        .await
        .map_err(|e| e.to_string())?;
    // The mother is in the citizen's network, with her login: she sees the plan and the
    // crisis plan, as the citizen chose.
    let course = store
        .open_course_of(borger)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the demo citizen has a course")?;
    let coordinator = staff
        .iter()
        .find(|s| s.username == "koordinator")
        .ok_or("demo coordinator missing")?;
    let ctx = AuditCtx {
        tenant_id: coordinator.org.0,
        at_ms: now,
        actor_user_id: Some(coordinator.user),
        actor_role: Some(coordinator.role.as_str().to_owned()),
        actor_unit_id: Some(coordinator.unit),
        purpose: "care-team",
    };
    let mother = NewNetworkMember {
        name: format!("Inge {}", citizen.family_name),
        relation: "Mor".to_owned(),
        phone: "20 30 40 50".to_owned(),
        may_see: vec![ShareCategory::Plan, ShareCategory::CrisisPlan],
        user_id: Some(relative_id),
    };
    store
        .add_network_member(&ctx, course, mother)
        .await
        .map_err(|e| e.to_string())?;
    seed_teams(store, &staff, &units, &fælles_team, course, now).await?;
    store
        .set_meta(SEEDED_KEY, "1")
        .await
        .map_err(|e| e.to_string())?;
    Ok(true)
}

/// The two Fælles Teams of the demo, with their year of meetings.
async fn seed_teams(
    store: &DynStore,
    staff: &[DemoStaff],
    units: &[(String, OrgId, String, UnitId)],
    holstebro: &DemoCollaboration,
    borger_course: bro_domain::CourseId,
    now: i64,
) -> Result<(), String> {
    use bro_domain::meeting::TeamFunction as F;
    let org = |name: &str| {
        units
            .iter()
            .find(|(o, ..)| o == name)
            .map(|(_, id, ..)| *id)
            .ok_or_else(|| format!("demo organisation {name} missing"))
    };
    let rks = org("Ringkøbing-Skjern Kommune")?;
    let rks_collaboration = store
        .create_collaboration(
            &AuditCtx::system(rks.0, now, "demo-setup"),
            NewCollaboration {
                name: "Fælles Team Ringkøbing-Skjern".to_owned(),
                orgs: vec![rks, org("Region Midtjylland")?],
                phases: holstebro.phases.clone(),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    let h = meetings::TeamSpec {
        name: "Fælles Team Holstebro",
        place: "Rådhuset, Kirkestræde 11, Holstebro, mødelokale 3",
        collaboration: holstebro.id,
        leader: "moedeleder",
        convener: "koordinator",
        members: &[
            ("koordinator", F::SubstanceTreatment, true),
            ("fagperson", F::SubstancePsychiatry, true),
            ("visitator", F::CaseAuthority, true),
            ("funktionsleder", F::SocialPsychiatry, true),
            ("moedeleder", F::SocialPsychiatry, true),
        ],
        weekday_shift: 1,
        hour: 9,
    };
    let holstebro_team = meetings::seed_team(store, staff, h, now).await?;
    meetings::seed_history(store, staff, holstebro_team, 6, Some(borger_course), now).await?;
    let r = meetings::TeamSpec {
        name: "Fælles Team Ringkøbing-Skjern",
        place: "Rusmiddelcenter Ringkøbing-Skjern, Ringkøbing",
        collaboration: rks_collaboration,
        leader: "koordinator-rks",
        convener: "koordinator-rks",
        members: &[
            ("koordinator-rks", F::SubstanceTreatment, true),
            ("fagperson", F::SubstancePsychiatry, true),
        ],
        weekday_shift: 3,
        hour: 13,
    };
    let rks_team = meetings::seed_team(store, staff, r, now).await?;
    meetings::seed_history(store, staff, rks_team, 4, None, now).await
}

/// Where the demo keeps its world and how big it is.
pub struct DemoOptions {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Another database instead of SQLite in `data_dir` (e.g. PostgreSQL for benchmarks).
    pub database: Option<String>,
    /// Grow the world to this many citizens (see [`scale`]).
    pub scale: Option<usize>,
    pub seed: u64,
}

pub async fn run(options: DemoOptions) -> Result<(), String> {
    let DemoOptions {
        listen,
        data_dir,
        database,
        scale,
        seed: world_seed,
    } = options;
    let (url, place) = match database {
        Some(url) => (url, "the database given".to_owned()),
        None => {
            std::fs::create_dir_all(&data_dir)
                .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
            let url = format!("sqlite://{}", data_dir.join("bro.db").display());
            (url, data_dir.display().to_string())
        }
    };
    let store = crate::open::open(&url).await?;
    if seed(&store, &SystemClock).await? {
        println!("Demo world created in {place}");
    } else {
        println!("Reusing the demo world in {place}");
    }
    if let Some(total) = scale {
        scale::grow(&store, total, world_seed).await?;
        println!("The world has {total} citizens (seed {world_seed})");
    }
    let web = bro_web::WebConfig {
        // A fresh key per start: demo sessions end when the demo restarts.
        secret_key: bro_auth::token::random_token(),
        // Plain HTTP is only acceptable on this machine's loopback.
        secure_cookies: !listen.ip().is_loopback(),
        hsts: false,
        ..bro_web::WebConfig::default()
    };
    crate::server::run(store, web, listen, |addr| {
        println!();
        println!("Bro is running at http://{addr}/");
        println!("Demo logins (password for all: {DEMO_PASSWORD}):");
        for (u, n, r, o, unit) in DEMO_USERS {
            println!("  {u:<16} {n} – {r}, {unit} ({o})");
        }
        println!("  {:<16} a citizen with a course (own page)", "borger");
        println!("  {:<16} a relative of that citizen", "paaroerende");
        println!("Stop with Ctrl-C.");
    })
    .await
}
