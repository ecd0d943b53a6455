//! `bro demo`: the demo world described in the README on embedded SQLite, created once, then reused.
//! All people are synthetic; CPR numbers are replacement numbers (day of month + 60), so no
//! real person's number appears.

use bro_audit::PLATFORM_TENANT;
use bro_domain::ShareCategory;
use bro_domain::{
    AccountKind, CitizenId, Clock, CollaborationId, OrgId, OrgKind, Phase, PhaseScheme, Role,
    SystemClock, UnitId, UnitKind, Username,
};
use bro_store::NewNetworkMember;
use bro_store::{AuditCtx, DynStore, NewCollaboration, NewOrganisation, NewUnit, NewUser};
use std::net::SocketAddr;
use std::path::PathBuf;

mod appointments;
mod courses;
mod escorts;
mod external;
mod hospital;
mod meetings;
mod offers;
mod people;
mod referrals;
pub mod scale;

use courses::{DemoCourse, demo_course};
pub use people::citizens;
use people::name;

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
        "behandler",
        "Jonas Friis Olsen",
        "professional",
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
        "ledsager",
        "Hanne Juul Madsen",
        "professional",
        "Holstebro Kommune",
        "Ledsagerordningen Holstebro",
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
            ("Ledsagerordningen Holstebro", UnitKind::EscortService),
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

/// A demo staff member, as created.
struct DemoStaff {
    pub(super) username: &'static str,
    pub(super) user: bro_domain::UserId,
    pub(super) org: OrgId,
    pub(super) unit: UnitId,
    pub(super) role: Role,
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The Fælles Team of Holstebro municipality and the regional psychiatry, with its own phases
/// (seed 003: referral to the team, joint assessment, a coordination meeting with the citizen).
struct DemoCollaboration {
    pub(super) id: CollaborationId,
    pub(super) phases: PhaseScheme,
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
    let mut in_hospital = Vec::new();
    for (i, (citizen, in_holstebro)) in ids.iter().zip(holstebro_area).enumerate() {
        if i == 0 || in_holstebro {
            in_hospital.push(*citizen);
        }
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
    offers::seed_offers(store, &staff, &units, now).await?;
    external::import_struer(store, now).await?;
    referrals::seed_referrals(store, &staff, &ids, now).await?;
    hospital::seed_hospital(store, (&ctx, course), &in_hospital, now).await?;
    appointments::seed_appointments(store, &staff, &ids, now).await?;
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
