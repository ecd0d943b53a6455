//! Where a generated world's people work: the regions, the municipalities and their GP
//! practices, each with units and staff sized to its citizens, and the id ranges each chunk
//! writes into.

use super::{ANCHOR_MS, STAFF_KEY, YEAR_MS, meetings};
use crate::demo::people::{FAMILY, GIVEN};
use bro_audit::{AuditAction, AuditFields};
use bro_domain::Role;
use bro_store::{AuditCtx, AuditEvent, BulkChunk, TableRows};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub(super) const REGIONS: &[&str] = &[
    "Region Nordjylland",
    "Region Syddanmark",
    "Region Sjælland",
    "Region Hovedstaden",
];
pub(super) const MUNICIPALITIES: &[&str] = &[
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
    pub(super) bases: Bases,
    pub(super) munis: Vec<Muni>,
    pub(super) regions: Vec<Place>,
    pub(super) gps: Vec<Place>,
    /// One Fælles Team per municipality, in the same order.
    pub(super) teams: Vec<meetings::TeamLayout>,
    /// One MPO unit per municipality, in the same order: its function leader (whose unit is
    /// the MPO unit) and how many beds it has.
    pub(super) mpo: Vec<Staff>,
    pub(super) beds: i64,
}

/// What a generated world's layout is derived by; a world grown by another version of the
/// generator cannot be resumed.
const LAYOUT_VERSION: u64 = 3;

/// The made-up SOR id of generated municipality `m` (not a real one; the demo's own are
/// another range).
pub(super) fn municipality_sor(m: usize) -> String {
    format!("95000{m:010}")
}

/// The id of MPO unit `m`'s `b`th bed.
pub(super) fn bed_id(layout: &Layout, m: usize, b: i64) -> i64 {
    layout.bases.bed + m as i64 * layout.beds + b + 1
}

/// The largest id of each table before the world grew; generated ids follow them.
#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
pub(super) struct Bases {
    pub(super) org: i64,
    pub(super) unit: i64,
    pub(super) user: i64,
    pub(super) role: i64,
    pub(super) citizen: i64,
    pub(super) course: i64,
    pub(super) member: i64,
    pub(super) event: i64,
    pub(super) consent: i64,
    // Fælles Team.
    pub(super) collaboration: i64,
    pub(super) team: i64,
    pub(super) series: i64,
    pub(super) meeting: i64,
    pub(super) case: i64,
    pub(super) agreement: i64,
    /// Offers of the directory.
    pub(super) offer: i64,
    /// Referrals and their steps.
    pub(super) referral: i64,
    pub(super) referral_event: i64,
    /// Care places: beds of the MPO units, stays and their history.
    pub(super) bed: i64,
    pub(super) stay: i64,
    pub(super) stay_event: i64,
}

/// A staff member as the care team row needs them.
#[derive(Clone)]
pub(super) struct Staff {
    pub(super) user: i64,
    pub(super) org: i64,
    pub(super) unit: i64,
    pub(super) role: Role,
    pub(super) name: String,
}

pub(super) struct Muni {
    pub(super) org: i64,
    pub(super) coordinators: Vec<Staff>,
    pub(super) social: Vec<Staff>,
    pub(super) visitators: Vec<Staff>,
}

/// A region's psychiatrists or a practice's doctors.
pub(super) struct Place {
    pub(super) org: i64,
    pub(super) staff: Vec<Staff>,
}

pub(super) fn pick<T>(items: &[T], i: usize) -> &T {
    &items[i % items.len()]
}

impl Layout {
    pub(super) fn new(citizens: usize, seed: u64, bases: Bases) -> Result<Layout, String> {
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
        // The MPO units come after everything else, so the ids above keep their places.
        let mpo = munis
            .iter()
            .map(|muni| {
                unit += 1;
                person(muni.org, unit, Role::FunctionLeader, &mut rng)
            })
            .collect();
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
            mpo,
            beds: (per_muni as i64 / 125).clamp(2, 12),
        })
    }

    /// Refuses a `describe`d world that another version of the generator laid out.
    pub(super) fn check_version(described: &serde_json::Value) -> Result<(), String> {
        if described["layout"].as_u64() == Some(LAYOUT_VERSION) {
            Ok(())
        } else {
            Err(
                "this database holds a world grown by an earlier version of Bro; \
                 use a fresh database"
                    .to_owned(),
            )
        }
    }

    /// Organisations, units, staff and their roles: one chunk.
    pub(super) fn staff_chunk(&self, password_hash: &str) -> BulkChunk {
        let mut orgs = TableRows::new(
            "organisations",
            &[
                "id",
                "name",
                "kind",
                "require_second_factor",
                "created_ms",
                "sor_id",
            ],
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
        let mut org_row = |id: i64, name: String, kind: &str, sor: Option<String>| {
            // Synthetic staff log in with the demo password only: no second factor, as in the demo.
            orgs.push(vec![
                id.into(),
                name.into(),
                kind.into(),
                false.into(),
                created.into(),
                sor.into(),
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
            org_row(
                muni.org,
                format!("{town} Kommune"),
                "municipality",
                Some(municipality_sor(m)),
            );
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
            org_row(region.org, REGIONS[r].to_owned(), "region", None);
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
            org_row(
                gp.org,
                format!("Lægepraksis {:04}", g + 1),
                "gp_practice",
                None,
            );
            units.push(vec![
                gp.staff[0].unit.into(),
                gp.org.into(),
                "Lægepraksis".into(),
                "gp_practice".into(),
                created.into(),
            ]);
            staff_rows(&gp.staff, &format!("g{g:04}-laege"), &mut audit);
        }
        for (m, leader) in self.mpo.iter().enumerate() {
            units.push(vec![
                leader.unit.into(),
                leader.org.into(),
                format!("MPO {}", MUNICIPALITIES[m]).into(),
                "mpo_unit".into(),
                created.into(),
            ]);
            staff_rows(
                std::slice::from_ref(leader),
                &format!("k{m:02}-funktionsleder"),
                &mut audit,
            );
        }
        let mut beds = TableRows::new("care_beds", &["id", "unit_id", "name", "created_ms"]);
        for (m, leader) in self.mpo.iter().enumerate() {
            for b in 0..self.beds {
                beds.push(vec![
                    bed_id(self, m, b).into(),
                    leader.unit.into(),
                    format!("Seng {}", b + 1).into(),
                    created.into(),
                ]);
            }
        }
        let mut tables = vec![orgs, units, users, roles, beds];
        tables.extend(meetings::team_tables(&self.teams, &mut audit));
        BulkChunk {
            tables,
            audit,
            done: (STAFF_KEY.to_owned(), self.describe()),
        }
    }

    /// What the `meta` marker of a scaled world says: enough to rebuild the layout.
    pub(super) fn describe(&self) -> String {
        serde_json::json!({
            "layout": LAYOUT_VERSION,
            "citizens": self.citizens,
            "seed": self.seed,
            "bases": self.bases,
        })
        .to_string()
    }
}
