//! `bro demo --scale N`: the demo world grown to N citizens for load benchmarks, written in bulk.
//!
//! Besides the demo's organisations, the generated world has the four other regions, up to 96
//! more municipalities and a GP practice per 1,500 citizens, each with units and staff sized to
//! its citizens (a coordinator per ~30 citizens). Every generated citizen has ten years of
//! history: one to three courses (an earlier one closed, then a readmission), a care team across
//! municipality, region and GP, a timeline, plan versions with goals, interventions and a crisis
//! plan, usually an oral consent, and the audit records all of that produces, reads included,
//! appended to each organisation's hash chain. Each municipality's Fælles Team meets every four
//! weeks, and citizens come on its agenda with minutes and evaluations (`scale::meetings`).
//!
//! Chunks of 1,000 citizens are written one transaction each, with a marker in `meta`, so an
//! interrupted run resumes where it stopped and a finished one is not repeated. Every id and
//! every value comes from the seed and the chunk number (times from a fixed anchor, not the
//! clock): the same seed gives the same world.

use super::{CITIZEN_GOALS, DEMO_PASSWORD, FAMILY, GIVEN, GOAL_NOTES, STREETS, TEAM_GOALS};
use bro_audit::{AuditAction, AuditFields};
use bro_domain::plan::{
    CrisisPlan, GoalOwner, Intervention, InterventionStatus, LifeArea, Section,
};
use bro_domain::{CitizenId, CourseRole, Cpr, Role, ShareCategory};
use bro_store::{AuditCtx, AuditEvent, BulkChunk, DynStore, TableRows};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::Write;

mod meetings;

/// Citizens per transaction.
pub const CHUNK: usize = 1000;
/// 2026-11-01 00:00 UTC: "now" of every generated world.
pub const ANCHOR_MS: i64 = 1_793_491_200_000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const YEAR_MS: i64 = 365 * DAY_MS;
/// Most of each row kind one citizen can have: the id stride per chunk.
const MAX_COURSES: i64 = 3;
const MAX_MEMBERS: i64 = 5;
const MAX_EVENTS: i64 = 24;

const REGIONS: &[&str] = &[
    "Region Nordjylland",
    "Region Syddanmark",
    "Region Sjælland",
    "Region Hovedstaden",
];
const MUNICIPALITIES: &[&str] = &[
    "Aalborg",
    "Aarhus",
    "Esbjerg",
    "Herning",
    "Horsens",
    "Kolding",
    "Odense",
    "Randers",
    "Roskilde",
    "Silkeborg",
    "Skive",
    "Struer",
    "Lemvig",
    "Viborg",
    "Vejle",
    "Fredericia",
    "Haderslev",
    "Svendborg",
    "Næstved",
    "Slagelse",
    "Holbæk",
    "Køge",
    "Hillerød",
    "Helsingør",
    "Frederikshavn",
    "Hjørring",
    "Thisted",
    "Ikast-Brande",
    "Skanderborg",
    "Favrskov",
    "Syddjurs",
    "Norddjurs",
    "Aabenraa",
    "Sønderborg",
    "Tønder",
    "Varde",
    "Vejen",
    "Billund",
    "Middelfart",
    "Nyborg",
    "Faaborg-Midtfyn",
    "Assens",
    "Kalundborg",
    "Odsherred",
    "Guldborgsund",
    "Lolland",
    "Vordingborg",
    "Faxe",
    "Stevns",
    "Ringsted",
    "Sorø",
    "Greve",
    "Solrød",
    "Lejre",
    "Frederikssund",
    "Halsnæs",
    "Gribskov",
    "Fredensborg",
    "Allerød",
    "Furesø",
    "Rudersdal",
    "Gentofte",
    "Lyngby-Taarbæk",
    "Gladsaxe",
    "Herlev",
    "Ballerup",
    "Egedal",
    "Høje-Taastrup",
    "Albertslund",
    "Glostrup",
    "Rødovre",
    "Brøndby",
    "Hvidovre",
    "Vallensbæk",
    "Ishøj",
    "Tårnby",
    "Dragør",
    "Frederiksberg",
    "København",
    "Bornholm",
    "Mariagerfjord",
    "Rebild",
    "Vesthimmerland",
    "Jammerbugt",
    "Brønderslev",
    "Læsø",
    "Morsø",
    "Hedensted",
    "Odder",
    "Samsø",
    "Hørsholm",
    "Kerteminde",
    "Nordfyn",
    "Langeland",
    "Ærø",
    "Fanø",
];

/// Where each generated person works, derived from the citizen count and the id bases alone.
pub struct Layout {
    pub citizens: usize,
    pub seed: u64,
    bases: Bases,
    munis: Vec<Muni>,
    regions: Vec<Place>,
    gps: Vec<Place>,
    /// One Fælles Team per municipality, in the same order.
    teams: Vec<meetings::TeamLayout>,
}

/// The largest id of each table before the world grew; generated ids follow them.
#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
struct Bases {
    org: i64,
    unit: i64,
    user: i64,
    role: i64,
    citizen: i64,
    course: i64,
    member: i64,
    event: i64,
    consent: i64,
    // Fælles Team; worlds from before they were generated lack them.
    #[serde(default)]
    collaboration: i64,
    #[serde(default)]
    team: i64,
    #[serde(default)]
    series: i64,
    #[serde(default)]
    meeting: i64,
    #[serde(default)]
    case: i64,
    #[serde(default)]
    agreement: i64,
}

/// A staff member as the care team row needs them.
#[derive(Clone)]
struct Staff {
    user: i64,
    org: i64,
    unit: i64,
    role: Role,
    name: String,
}

struct Muni {
    org: i64,
    coordinators: Vec<Staff>,
    social: Vec<Staff>,
    visitators: Vec<Staff>,
}

/// A region's psychiatrists or a practice's doctors.
struct Place {
    org: i64,
    staff: Vec<Staff>,
}

fn pick<T>(items: &[T], i: usize) -> &T {
    &items[i % items.len()]
}

impl Layout {
    fn new(citizens: usize, seed: u64, bases: Bases) -> Result<Layout, String> {
        let munis_n = citizens.div_ceil(1000).clamp(1, MUNICIPALITIES.len());
        let gps_n = citizens.div_ceil(1500).max(1);
        let mut rng = StdRng::seed_from_u64(seed);
        let (mut org, mut unit, mut user) = (bases.org, bases.unit, bases.user);
        let mut person = |org: i64, unit: i64, role: Role, rng: &mut StdRng| {
            user += 1;
            Staff {
                user,
                org,
                unit,
                role,
                name: format!("{} {}", pick(GIVEN, rng.r#gen()), pick(FAMILY, rng.r#gen())),
            }
        };
        let per_muni = citizens.div_ceil(munis_n);
        let mut munis = Vec::new();
        for _ in 0..munis_n {
            org += 1;
            let (abuse, social, authority) = (unit + 1, unit + 2, unit + 3);
            unit += 3;
            let mut many = |n: usize, unit, role, rng: &mut StdRng| {
                (0..n.max(1))
                    .map(|_| person(org, unit, role, rng))
                    .collect::<Vec<_>>()
            };
            let coordinators = many(per_muni.div_ceil(30), abuse, Role::Coordinator, &mut rng);
            let social = many(per_muni.div_ceil(60), social, Role::Professional, &mut rng);
            let visitators = many(per_muni.div_ceil(300), authority, Role::Visitator, &mut rng);
            munis.push(Muni {
                org,
                coordinators,
                social,
                visitators,
            });
        }
        let per_region = citizens.div_ceil(REGIONS.len());
        let mut regions = Vec::new();
        for _ in REGIONS {
            org += 1;
            unit += 1;
            let staff = (0..per_region.div_ceil(80).max(1))
                .map(|_| person(org, unit, Role::Professional, &mut rng))
                .collect();
            regions.push(Place { org, staff });
        }
        let mut gps = Vec::new();
        for _ in 0..gps_n {
            org += 1;
            unit += 1;
            let staff = (0..2)
                .map(|_| person(org, unit, Role::Professional, &mut rng))
                .collect();
            gps.push(Place { org, staff });
        }
        let team_ids = meetings::TeamIds {
            collaboration: bases.collaboration,
            team: bases.team,
            series: bases.series,
            meeting: bases.meeting,
        };
        let teams = munis
            .iter()
            .enumerate()
            .map(|(m, muni)| {
                let leader = &muni.coordinators[0];
                let convener = &muni.social[0];
                let psychiatrist = &pick(&regions, m).staff[0];
                meetings::team_layout(
                    m,
                    MUNICIPALITIES[m],
                    (leader, convener, psychiatrist),
                    &team_ids,
                )
            })
            .collect::<Result<_, _>>()?;
        Ok(Layout {
            citizens,
            seed,
            bases,
            munis,
            regions,
            gps,
            teams,
        })
    }

    /// Organisations, units, staff and their roles: one chunk.
    fn staff_chunk(&self, password_hash: &str) -> BulkChunk {
        let mut orgs = TableRows::new(
            "organisations",
            &["id", "name", "kind", "require_second_factor", "created_ms"],
        );
        let mut units = TableRows::new("units", &["id", "org_id", "name", "kind", "created_ms"]);
        let mut users = TableRows::new(
            "users",
            &[
                "id",
                "org_id",
                "username",
                "display_name",
                "password_hash",
                "kind",
                "created_ms",
            ],
        );
        let mut roles = TableRows::new("role_assignments", &["id", "user_id", "unit_id", "role"]);
        let mut audit = Vec::new();
        let created = ANCHOR_MS - 11 * YEAR_MS;
        let mut org_row = |id: i64, name: String, kind: &str| {
            // Synthetic staff log in with the demo password only: no second factor, as in the demo.
            orgs.push(vec![
                id.into(),
                name.into(),
                kind.into(),
                false.into(),
                created.into(),
            ]);
        };
        let mut role_id = self.bases.role;
        let mut staff_rows =
            |staff: &[Staff], prefix: &str, audit: &mut Vec<(i64, AuditFields)>| {
                for (k, s) in staff.iter().enumerate() {
                    users.push(vec![
                        s.user.into(),
                        Some(s.org).into(),
                        format!("{prefix}-{:04}", k + 1).into(),
                        s.name.clone().into(),
                        password_hash.into(),
                        "staff".into(),
                        created.into(),
                    ]);
                    role_id += 1;
                    roles.push(vec![
                        role_id.into(),
                        s.user.into(),
                        s.unit.into(),
                        s.role.as_str().into(),
                    ]);
                    let ctx = AuditCtx::system(s.org, created, "administration");
                    let event = AuditEvent::allowed(AuditAction::UserCreated)
                        .object(format!("user:{}", s.user));
                    audit.push((s.org, ctx.fields(&event)));
                }
            };
        for (m, muni) in self.munis.iter().enumerate() {
            let town = MUNICIPALITIES[m];
            org_row(muni.org, format!("{town} Kommune"), "municipality");
            let first_unit = muni.coordinators[0].unit;
            for (k, (unit_name, kind)) in [
                (
                    format!("Rusmiddelcenter {town}"),
                    "substance_abuse_treatment",
                ),
                (format!("Socialpsykiatri {town}"), "social_psychiatry"),
                (format!("Myndighed Voksne {town}"), "case_authority"),
            ]
            .into_iter()
            .enumerate()
            {
                units.push(vec![
                    (first_unit + k as i64).into(),
                    muni.org.into(),
                    unit_name.into(),
                    kind.into(),
                    created.into(),
                ]);
            }
            staff_rows(&muni.coordinators, &format!("k{m:02}-koord"), &mut audit);
            staff_rows(&muni.social, &format!("k{m:02}-social"), &mut audit);
            staff_rows(&muni.visitators, &format!("k{m:02}-visitator"), &mut audit);
        }
        for (r, region) in self.regions.iter().enumerate() {
            org_row(region.org, REGIONS[r].to_owned(), "region");
            units.push(vec![
                region.staff[0].unit.into(),
                region.org.into(),
                "Psykiatrisk ambulatorium".into(),
                "outpatient_clinic".into(),
                created.into(),
            ]);
            staff_rows(&region.staff, &format!("r{r}-psykiater"), &mut audit);
        }
        for (g, gp) in self.gps.iter().enumerate() {
            org_row(gp.org, format!("Lægepraksis {:04}", g + 1), "gp_practice");
            units.push(vec![
                gp.staff[0].unit.into(),
                gp.org.into(),
                "Lægepraksis".into(),
                "gp_practice".into(),
                created.into(),
            ]);
            staff_rows(&gp.staff, &format!("g{g:04}-laege"), &mut audit);
        }
        let mut tables = vec![orgs, units, users, roles];
        tables.extend(meetings::team_tables(&self.teams, &mut audit));
        BulkChunk {
            tables,
            audit,
            done: (STAFF_KEY.to_owned(), self.describe()),
        }
    }

    /// What the `meta` marker of a scaled world says: enough to rebuild the layout.
    fn describe(&self) -> String {
        serde_json::json!({
            "citizens": self.citizens,
            "seed": self.seed,
            "bases": self.bases,
        })
        .to_string()
    }
}

const STAFF_KEY: &str = "scale_world";

fn chunk_key(k: usize) -> String {
    format!("scale_chunk_{k}")
}

/// The `i`th generated citizen's CPR replacement number: born 1950–1999 with the sequence digit
/// 4 or 9 (valid for those years), a range the demo's own citizens never use, so no number
/// repeats. A bijection of `i` spreads birthdays over the range.
pub fn cpr_of(i: usize) -> Result<Cpr, String> {
    const SPACE: u64 = 2 * 1000 * 28 * 12 * 50;
    let mut n = (i as u64).wrapping_mul(2_654_435_761) % SPACE;
    let seq = n % 1000;
    n /= 1000;
    let first = if n.is_multiple_of(2) { 4 } else { 9 };
    n /= 2;
    let day = 61 + n % 28;
    n /= 28;
    let month = 1 + n % 12;
    let year = 50 + (n / 12) % 50;
    let text = format!("{day:02}{month:02}{year:02}{first}{seq:03}");
    Cpr::parse(&text).map_err(|e| format!("generated CPR number {i}: {e}"))
}

/// One chunk of citizens with everything they have.
struct ChunkWriter<'a> {
    layout: &'a Layout,
    rng: StdRng,
    citizens: TableRows,
    name_words: TableRows,
    courses: TableRows,
    members: TableRows,
    events: TableRows,
    plans: TableRows,
    consents: TableRows,
    consent_orgs: TableRows,
    cases: meetings::CaseRows,
    audit: Vec<(i64, AuditFields)>,
    ids: Bases,
}

/// A care team member of one course.
struct Member<'a> {
    staff: &'a Staff,
    role: CourseRole,
    coordinator: bool,
}

impl<'a> ChunkWriter<'a> {
    fn new(layout: &'a Layout, k: usize, chunk: usize) -> Self {
        let b = layout.bases;
        let k = k as i64;
        let per = chunk as i64;
        ChunkWriter {
            layout,
            rng: StdRng::seed_from_u64(
                layout.seed ^ (k as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            ),
            citizens: TableRows::new(
                "citizens",
                &[
                    "id",
                    "cpr",
                    "given_name",
                    "family_name",
                    "address",
                    "postal_code",
                    "city",
                    "created_ms",
                    "search_name",
                ],
            ),
            name_words: bro_store::name_word_rows(),
            courses: TableRows::new(
                "courses",
                &[
                    "id",
                    "citizen_id",
                    "phase",
                    "target_groups",
                    "legal_frames",
                    "opened_ms",
                    "closed_ms",
                    "close_reason",
                    "next_step",
                ],
            ),
            members: TableRows::new(
                "care_team_members",
                &[
                    "id",
                    "course_id",
                    "user_id",
                    "org_id",
                    "unit_id",
                    "course_role",
                    "fixed",
                    "is_coordinator",
                    "contact_phone",
                    "contact_mail",
                    "contact_hours",
                    "added_ms",
                ],
            ),
            events: TableRows::new(
                "course_events",
                &[
                    "id",
                    "course_id",
                    "at_ms",
                    "actor_user_id",
                    "kind",
                    "detail",
                ],
            ),
            plans: TableRows::new(
                "plan_versions",
                &[
                    "course_id",
                    "version",
                    "at_ms",
                    "author_user_id",
                    "section",
                    "review_date",
                    "content",
                ],
            ),
            consents: TableRows::new(
                "consents",
                &[
                    "id",
                    "citizen_id",
                    "categories",
                    "purpose",
                    "form",
                    "given_by",
                    "witness",
                    "valid_from_ms",
                    "recorded_by_user_id",
                    "recorded_ms",
                ],
            ),
            consent_orgs: TableRows::new("consent_orgs", &["consent_id", "org_id"]),
            cases: meetings::CaseRows::new(),
            audit: Vec::new(),
            // Each chunk owns a fixed id range per table, whatever the chunks before it hold.
            ids: Bases {
                citizen: b.citizen + k * per,
                course: b.course + k * per * MAX_COURSES,
                member: b.member + k * per * MAX_COURSES * MAX_MEMBERS,
                event: b.event + k * per * MAX_COURSES * MAX_EVENTS,
                consent: b.consent + k * per,
                case: b.case + k * per * MAX_COURSES * meetings::MAX_CASES,
                agreement: b.agreement + k * per * MAX_COURSES * meetings::MAX_CASES,
                ..b
            },
        }
    }

    fn record(&mut self, by: &Staff, at_ms: i64, purpose: &'static str, event: AuditEvent) {
        let ctx = AuditCtx {
            tenant_id: by.org,
            at_ms,
            actor_user_id: Some(bro_domain::UserId(by.user)),
            actor_role: Some(by.role.as_str().to_owned()),
            actor_unit_id: Some(bro_domain::UnitId(by.unit)),
            purpose,
        };
        self.audit.push((by.org, ctx.fields(&event)));
    }

    fn event(&mut self, course: i64, at_ms: i64, by: &Staff, kind: &str, detail: &str) {
        self.ids.event += 1;
        self.events.push(vec![
            self.ids.event.into(),
            course.into(),
            at_ms.into(),
            Some(by.user).into(),
            kind.into(),
            detail.into(),
        ]);
    }

    /// Citizen number `i` (0-based among the generated ones).
    fn citizen(&mut self, i: usize) -> Result<(), String> {
        let layout = self.layout;
        let m = i % layout.munis.len();
        let muni = &layout.munis[m];
        let region = pick(&layout.regions, m);
        let gp = pick(&layout.gps, i / layout.munis.len());
        let rng = &mut self.rng;
        let given = pick(GIVEN, rng.r#gen());
        let family = pick(FAMILY, rng.r#gen());
        let street = pick(STREETS, rng.r#gen());
        let house = rng.gen_range(1..140);
        let first_opened = ANCHOR_MS - rng.gen_range(30 * DAY_MS..10 * YEAR_MS);
        let cpr = cpr_of(i)?;
        self.ids.citizen += 1;
        let citizen = self.ids.citizen;
        self.citizens.push(vec![
            citizen.into(),
            cpr.compact().into(),
            (*given).into(),
            (*family).into(),
            format!("{street} {house}").into(),
            format!("{}", 1000 + (m * 97) % 8900).into(),
            MUNICIPALITIES[m].into(),
            first_opened.into(),
            format!("{given} {family}").to_lowercase().into(),
        ]);
        bro_store::push_name_words(&mut self.name_words, CitizenId(citizen), given, family);
        let coordinator = pick(&muni.coordinators, i / layout.munis.len());
        self.record(
            coordinator,
            first_opened,
            "care-team",
            AuditEvent::allowed(AuditAction::CitizenCreated).subject(CitizenId(citizen)),
        );
        // One course, a readmission for a third, a third course for one in ten.
        let count = 1 + usize::from(self.rng.gen_bool(0.35)) + usize::from(self.rng.gen_bool(0.1));
        let mut opened = first_opened;
        for n in 0..count {
            let last = n + 1 == count;
            let length = self.rng.gen_range(60 * DAY_MS..900 * DAY_MS);
            // Earlier courses end; the last stays open for three in four.
            let closed = if !last || self.rng.gen_bool(0.25) {
                Some((opened + length).min(ANCHOR_MS - DAY_MS))
            } else {
                None
            };
            let team = vec![
                Member {
                    staff: coordinator,
                    role: CourseRole::SubstanceAbuseCounsellor,
                    coordinator: true,
                },
                Member {
                    staff: pick(&region.staff, self.rng.r#gen()),
                    role: CourseRole::Psychiatrist,
                    coordinator: false,
                },
                Member {
                    staff: pick(&gp.staff, self.rng.r#gen()),
                    role: CourseRole::Gp,
                    coordinator: false,
                },
            ];
            let mut team = team;
            if self.rng.gen_bool(0.5) {
                team.push(Member {
                    staff: pick(&muni.social, self.rng.r#gen()),
                    role: CourseRole::SocialPsychiatryContact,
                    coordinator: false,
                });
            }
            if self.rng.gen_bool(0.3) {
                team.push(Member {
                    staff: pick(&muni.visitators, self.rng.r#gen()),
                    role: CourseRole::CaseWorker,
                    coordinator: false,
                });
            }
            let who = (citizen, format!("{given} {family}"));
            self.course(who, i, opened, closed, &team, [region.org, gp.org])?;
            let Some(end) = closed else { break };
            // The next course: a readmission some weeks to two years after the discharge.
            opened = end + self.rng.gen_range(14 * DAY_MS..2 * YEAR_MS);
            if opened >= ANCHOR_MS - 7 * DAY_MS {
                break;
            }
        }
        Ok(())
    }

    fn course(
        &mut self,
        (citizen, citizen_name): (i64, String),
        i: usize,
        opened: i64,
        closed: Option<i64>,
        team: &[Member<'_>],
        shared_with: [i64; 2],
    ) -> Result<(), String> {
        self.ids.course += 1;
        let course = self.ids.course;
        let lead = team[0].staff;
        let phases = [
            "identification",
            "assessment",
            "planning",
            "intervention",
            "follow_up",
        ];
        let end = closed.unwrap_or(ANCHOR_MS);
        let reached = match closed {
            Some(_) => phases.len(),
            None => self.rng.gen_range(1..=phases.len()),
        };
        let phase = if closed.is_some() {
            bro_domain::phases::CLOSURE
        } else {
            phases[reached - 1]
        };
        let frames = if self.rng.gen_bool(0.3) {
            "serviceloven,sundhedsloven,psykiatriloven"
        } else {
            "serviceloven,sundhedsloven"
        };
        let groups = if self.rng.gen_bool(0.2) {
            "dual_diagnosis,frequent_readmissions"
        } else {
            "dual_diagnosis"
        };
        self.courses.push(vec![
            course.into(),
            citizen.into(),
            phase.into(),
            groups.into(),
            frames.into(),
            opened.into(),
            closed.into(),
            closed
                .map(|_| "Forløbet er afsluttet efter planen".to_owned())
                .into(),
            closed.map(|_| "Opfølgning hos egen læge".to_owned()).into(),
        ]);
        let subject = CitizenId(citizen);
        let object = format!("course:{course}");
        self.event(course, opened, lead, "opened", phases[0]);
        self.record(
            lead,
            opened,
            "care-team",
            AuditEvent::allowed(AuditAction::CourseOpened)
                .subject(subject)
                .object(object.clone()),
        );
        for (k, member) in team.iter().enumerate() {
            self.ids.member += 1;
            let added = opened + k as i64 * 60_000;
            self.members.push(vec![
                self.ids.member.into(),
                course.into(),
                member.staff.user.into(),
                member.staff.org.into(),
                member.staff.unit.into(),
                member.role.as_str().into(),
                (k < 3).into(),
                member.coordinator.into(),
                format!(
                    "{:02} {:02} {:02} {:02}",
                    70 + k,
                    i % 100,
                    (i / 100) % 100,
                    k * 11
                )
                .into(),
                String::new().into(),
                "Hverdage 8-15".into(),
                added.into(),
            ]);
            if k > 0 {
                self.event(course, added, lead, "member_added", &member.staff.name);
                self.record(
                    lead,
                    added,
                    "care-team",
                    AuditEvent::allowed(AuditAction::TeamMemberAdded)
                        .subject(subject)
                        .object(object.clone()),
                );
            }
        }
        let span = (end - opened).max(DAY_MS);
        for (p, code) in phases.iter().enumerate().take(reached).skip(1) {
            let at = opened + span * p as i64 / (phases.len() as i64 + 1);
            self.event(course, at, lead, "phase", code);
            self.record(
                lead,
                at,
                "care-team",
                AuditEvent::allowed(AuditAction::CoursePhaseChanged)
                    .subject(subject)
                    .object(object.clone()),
            );
        }
        self.plan(course, i, opened, span, lead, subject)?;
        // Most citizens consented orally to share with the region and their GP. The consent
        // covers the minutes, so the course may come on the Fælles Team's agenda.
        if (closed.is_none() || self.rng.gen_bool(0.5)) && self.rng.gen_bool(0.85) {
            self.consent(citizen, opened, lead, shared_with);
            let on_agenda = meetings::CourseOnAgenda {
                course,
                citizen,
                citizen_name: &citizen_name,
                opened,
                closed,
                coordinator: lead,
            };
            let mut ids = (self.ids.case, self.ids.agreement);
            let team = &self.layout.teams[i % self.layout.teams.len()];
            self.cases
                .course(team, &on_agenda, &mut self.rng, &mut ids, &mut self.audit)?;
            (self.ids.case, self.ids.agreement) = ids;
        }
        // Reads by the team over the course's life: about one a month, at most three years'.
        let months = (span / (30 * DAY_MS)).clamp(1, 36);
        for r in 0..months {
            let reader = team[self.rng.gen_range(0..team.len())].staff;
            let at = opened + span * r / months + self.rng.gen_range(0..DAY_MS);
            let (action, purpose) = match (r % 2, reader.org == lead.org) {
                (0, true) => (AuditAction::CourseRead, "care-team"),
                (0, false) => (AuditAction::CourseRead, "care-team-consent"),
                (_, true) => (AuditAction::PlanRead, "care-team"),
                (_, false) => (AuditAction::PlanRead, "care-team-consent"),
            };
            self.record(
                reader,
                at,
                purpose,
                AuditEvent::allowed(action)
                    .subject(subject)
                    .object(object.clone()),
            );
        }
        if let Some(at) = closed {
            self.event(course, at, lead, "closed", "");
            self.record(
                lead,
                at,
                "care-team",
                AuditEvent::allowed(AuditAction::CourseClosed)
                    .subject(subject)
                    .object(object),
            );
        }
        Ok(())
    }

    /// Plan versions as the team writes them: goals, interventions, crisis plan, review date,
    /// then progress notes on a shared goal.
    fn plan(
        &mut self,
        course: i64,
        i: usize,
        opened: i64,
        span: i64,
        lead: &Staff,
        subject: CitizenId,
    ) -> Result<(), String> {
        let mut plan = bro_domain::plan::PlanContent::default();
        let own = plan.add_goal(
            GoalOwner::Citizen,
            pick(CITIZEN_GOALS, i).to_string(),
            LifeArea::DailyLife,
            None,
        );
        let (team_text, area) = *pick(TEAM_GOALS, i / 3);
        let shared = plan.add_goal(GoalOwner::Team, team_text.to_owned(), area, None);
        let mut version = 0;
        let mut save =
            |w: &mut Self, section: Section, plan: &bro_domain::plan::PlanContent, at: i64| {
                w.plans.push(vec![
                    course.into(),
                    i64::from(version).into(),
                    at.into(),
                    Some(lead.user).into(),
                    section.as_str().into(),
                    plan.review_date.clone().into(),
                    plan.to_json().into(),
                ]);
                w.event(course, at, lead, "plan_version", &version.to_string());
                w.record(
                    lead,
                    at,
                    "care-team",
                    AuditEvent::allowed(AuditAction::PlanSaved)
                        .subject(subject)
                        .object(format!("course:{course}")),
                );
                version += 1;
            };
        let step = (span / 8).max(60_000);
        save(self, Section::Goals, &plan, opened + step);
        plan.add_intervention(Intervention {
            id: 0,
            title: "Bostøtte".to_owned(),
            goal_ids: vec![own, shared],
            responsible_org: "Kommunen".to_owned(),
            responsible_person: lead.name.clone(),
            legal_basis: "Serviceloven § 85".to_owned(),
            frequency: "To gange om ugen".to_owned(),
            start: None,
            end: None,
            status: InterventionStatus::Active,
            next_step: "Opfølgning på næste teammøde".to_owned(),
        })
        .map_err(|e| e.to_string())?;
        save(self, Section::Interventions, &plan, opened + 2 * step);
        plan.crisis = CrisisPlan {
            warning_signs: "Sover dårligt, trækker sig fra familien".to_owned(),
            what_helps: "Ro og at tale med kontaktpersonen".to_owned(),
            what_does_not_help: "Mange mennesker på én gang".to_owned(),
            contacts: "Kontaktperson i dagtid; akutteamet døgnet rundt".to_owned(),
            medication: String::new(),
            wishes: String::new(),
        };
        save(self, Section::Crisis, &plan, opened + 3 * step);
        let review = time::OffsetDateTime::from_unix_timestamp((opened + span) / 1000)
            .map_err(|e| e.to_string())?
            .date();
        plan.review_date = Some(review.to_string());
        save(self, Section::Review, &plan, opened + 4 * step);
        for n in 0..self.rng.gen_range(0..3) {
            let at = opened + (5 + n) * step;
            let day = time::OffsetDateTime::from_unix_timestamp(at / 1000)
                .map_err(|e| e.to_string())?
                .date();
            plan.note_goal(
                shared,
                bro_domain::plan::GoalNote {
                    day: day.to_string(),
                    author: lead.name.clone(),
                    text: pick(GOAL_NOTES, i + n as usize).to_string(),
                },
            )
            .map_err(|e| e.to_string())?;
            save(self, Section::Goals, &plan, at);
        }
        Ok(())
    }

    fn consent(&mut self, citizen: i64, at: i64, lead: &Staff, orgs: [i64; 2]) {
        self.ids.consent += 1;
        let id = self.ids.consent;
        let categories = [
            ShareCategory::Health,
            ShareCategory::Plan,
            ShareCategory::CrisisPlan,
            ShareCategory::Minutes,
        ]
        .map(ShareCategory::as_str)
        .join(",");
        self.consents.push(vec![
            id.into(),
            citizen.into(),
            categories.into(),
            bro_domain::consent::PURPOSE.into(),
            "oral".into(),
            "citizen".into(),
            lead.name.clone().into(),
            at.into(),
            lead.user.into(),
            at.into(),
        ]);
        for org in orgs {
            self.consent_orgs.push(vec![id.into(), org.into()]);
        }
        self.record(
            lead,
            at,
            "care-team",
            AuditEvent::allowed(AuditAction::ConsentRecorded)
                .subject(CitizenId(citizen))
                .object(format!("consent:{id}")),
        );
    }

    fn finish(self, k: usize) -> BulkChunk {
        BulkChunk {
            tables: vec![
                self.citizens,
                self.name_words,
                self.courses,
                self.members,
                self.events,
                self.plans,
                self.consents,
                self.consent_orgs,
            ]
            .into_iter()
            .chain(self.cases.tables())
            .collect(),
            audit: self.audit,
            done: (chunk_key(k), "1".to_owned()),
        }
    }
}

/// Grows the world to `total` citizens (the demo's own included) with `seed`. Resumes an
/// interrupted run; refuses a database already grown with another size or seed.
pub async fn grow(store: &DynStore, total: usize, seed: u64) -> Result<(), String> {
    grow_chunks(store, total, seed, CHUNK, usize::MAX).await
}

/// [`grow`] with `chunk` citizens per transaction, writing at most `budget` chunks now (the
/// tests interrupt a run this way).
async fn grow_chunks(
    store: &DynStore,
    total: usize,
    seed: u64,
    chunk: usize,
    budget: usize,
) -> Result<(), String> {
    let generated = total.saturating_sub(super::CITIZENS);
    if generated == 0 {
        return Ok(());
    }
    let layout = match store.meta(STAFF_KEY).await.map_err(|e| e.to_string())? {
        Some(described) => {
            let v: serde_json::Value =
                serde_json::from_str(&described).map_err(|e| e.to_string())?;
            let (citizens, old_seed) = (v["citizens"].as_u64(), v["seed"].as_u64());
            if citizens != Some(generated as u64) || old_seed != Some(seed) {
                return Err(format!(
                    "this database already holds a world grown to {} citizens with seed {}; \
                     use a fresh database for --scale {total} --seed {seed}",
                    citizens.unwrap_or(0) as usize + super::CITIZENS,
                    old_seed.unwrap_or(0)
                ));
            }
            let bases = serde_json::from_value(v["bases"].clone()).map_err(|e| e.to_string())?;
            Layout::new(generated, seed, bases)?
        }
        None => {
            let max = |table: &'static str| {
                let store = store.clone();
                async move { store.max_id(table).await.map_err(|e| e.to_string()) }
            };
            let bases = Bases {
                org: max("organisations").await?,
                unit: max("units").await?,
                user: max("users").await?,
                role: max("role_assignments").await?,
                citizen: max("citizens").await?,
                course: max("courses").await?,
                member: max("care_team_members").await?,
                event: max("course_events").await?,
                consent: max("consents").await?,
                collaboration: max("collaborations").await?,
                team: max("teams").await?,
                series: max("meeting_series").await?,
                meeting: max("meetings").await?,
                case: max("meeting_cases").await?,
                agreement: max("case_agreements").await?,
            };
            let layout = Layout::new(generated, seed, bases)?;
            let hash = bro_auth::password::hash_password(DEMO_PASSWORD.into())
                .await
                .map_err(|e| e.to_string())?;
            store
                .bulk_write(layout.staff_chunk(&hash))
                .await
                .map_err(|e| format!("writing the staff: {e}"))?;
            layout
        }
    };
    let chunks = generated.div_ceil(chunk);
    let started = std::time::Instant::now();
    let mut written = 0;
    for k in 0..chunks {
        if written == budget {
            break;
        }
        if store
            .meta(&chunk_key(k))
            .await
            .map_err(|e| e.to_string())?
            .is_some()
        {
            continue;
        }
        let mut w = ChunkWriter::new(&layout, k, chunk);
        let (first, end) = (k * chunk, ((k + 1) * chunk).min(generated));
        for i in first..end {
            w.citizen(i)?;
        }
        store
            .bulk_write(w.finish(k))
            .await
            .map_err(|e| format!("writing citizens {}–{end}: {e}", first + 1))?;
        written += 1;
        let done = end;
        let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
        eprint!(
            "\rgenerating citizens: {done}/{generated} ({:.0} %), {rate:.0}/s   ",
            100.0 * done as f64 / generated as f64
        );
        let _ = std::io::stderr().flush();
    }
    eprintln!();
    if written > 0 {
        store.analyze().await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bro_audit::ChainVerifier;
    use bro_store::WorldFacts;
    use bro_testkit::{Backend, TestStore};

    const GENERATED: usize = 200;

    async fn chain_records(store: &DynStore) -> i64 {
        let mut total = 0;
        for tenant in store.audit_tenants().await.expect("tenants") {
            let mut v = ChainVerifier::new(tenant);
            for r in store
                .audit_records(tenant, 0, 10_000_000)
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

    fn rows(facts: &WorldFacts, table: &str) -> i64 {
        facts
            .rows
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, n)| *n)
    }

    /// A world of 200 generated citizens on an empty store, written 50 per transaction.
    async fn grown(backend: Backend, name: &str, seed: u64) -> Option<(TestStore, WorldFacts)> {
        let db = TestStore::new(backend, name).await?;
        let total = super::super::CITIZENS + GENERATED;
        grow_chunks(&db.store, total, seed, 50, usize::MAX)
            .await
            .expect("grow");
        let facts = db.store.world_facts().await.expect("facts");
        Some((db, facts))
    }

    async fn a_generated_world_keeps_its_invariants(backend: Backend) {
        let Some((db, facts)) = grown(backend, "scale_world", 7).await else {
            return; // PostgreSQL unreachable: reported as skipped
        };
        assert_eq!(rows(&facts, "citizens"), GENERATED as i64);
        let courses = rows(&facts, "courses");
        assert!(
            (GENERATED as i64 + 20..=3 * GENERATED as i64).contains(&courses),
            "{courses}"
        );
        assert!(rows(&facts, "audit_log") > 30 * GENERATED as i64);
        assert!(rows(&facts, "plan_versions") >= 4 * courses);
        // Every course has one coordinator; a readmission opens after the discharge.
        assert_eq!(facts.courses_without_one_coordinator, 0);
        assert_eq!(facts.overlapping_courses, 0);
        // Fælles Team: cases only on meetings while their course is open; approved ones frozen.
        let cases = rows(&facts, "meeting_cases");
        assert!(cases > GENERATED as i64, "{cases}");
        assert_eq!(facts.cases_outside_their_course, 0);
        assert_eq!(facts.approved_cases_without_minutes, 0);
        assert!(rows(&facts, "minutes") > cases / 2);
        assert!(rows(&facts, "case_evaluations") > 0);
        let mut citizens: Vec<&str> = facts
            .courses
            .iter()
            .filter_map(|c| c.split(' ').next())
            .collect();
        let all = citizens.len();
        citizens.dedup();
        assert!(citizens.len() < all, "some citizens were readmitted");
        // CPR numbers: valid replacement numbers, none twice.
        for cpr in &facts.cprs {
            let parsed = Cpr::parse(cpr).unwrap_or_else(|e| panic!("{cpr}: {e}"));
            assert!(parsed.is_replacement(), "{cpr}");
        }
        let mut unique = facts.cprs.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), facts.cprs.len());
        // Every record is on an intact chain.
        assert_eq!(chain_records(&db.store).await, rows(&facts, "audit_log"));

        // Run again: nothing is added. Another size or seed on this database: refused.
        let total = super::super::CITIZENS + GENERATED;
        grow_chunks(&db.store, total, 7, 50, usize::MAX)
            .await
            .expect("rerun");
        assert_eq!(db.store.world_facts().await.expect("facts"), facts);
        let refused = grow(&db.store, total + 1000, 7)
            .await
            .expect_err("other size");
        assert!(refused.contains("fresh database"), "{refused}");

        // The same seed on SQLite, interrupted after two chunks and resumed: the same world,
        // whichever backend made the first. Another seed: another world.
        let again = TestStore::new(Backend::Sqlite, "scale_world_again")
            .await
            .expect("sqlite");
        grow_chunks(&again.store, total, 7, 50, 2)
            .await
            .expect("first part");
        let part = again.store.world_facts().await.expect("facts");
        assert!(rows(&part, "citizens") == 100 && part.cprs.len() == 100);
        grow_chunks(&again.store, total, 7, 50, usize::MAX)
            .await
            .expect("resumed");
        assert_eq!(again.store.world_facts().await.expect("facts"), facts);
        let (other, different) = grown(Backend::Sqlite, "scale_world_other", 8)
            .await
            .expect("SQLite is always there");
        assert_ne!(different.courses, facts.courses);
        assert_ne!(different.audit_fingerprint, facts.audit_fingerprint);
        for s in [db, again, other] {
            s.cleanup().await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_generated_world_keeps_its_invariants_on_sqlite() {
        a_generated_world_keeps_its_invariants(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_generated_world_keeps_its_invariants_on_postgres() {
        a_generated_world_keeps_its_invariants(Backend::Postgres).await;
    }

    #[test]
    fn cpr_numbers_follow_from_the_index_and_never_repeat() -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for i in 0..200_000 {
            assert!(seen.insert(cpr_of(i)?.compact()), "repeat at {i}");
        }
        Ok(())
    }
}
