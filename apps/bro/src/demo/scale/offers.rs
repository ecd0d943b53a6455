//! The generated world's directory: about 30 offers for every generated municipality and
//! region, the kinds a Danish municipality and regional psychiatry publish, each run from
//! three districts (Nord, Midt, Syd). Written with the staff, one version each, audited on the
//! publishing organisation's chain as a published offer is. A few have not been confirmed for
//! more than six months, so the directory's flag shows at scale too.

use super::layout::{Layout, MUNICIPALITIES, REGIONS};
use super::{ANCHOR_MS, DAY_MS, YEAR_MS};
use bro_audit::{AuditAction, AuditFields};
use bro_domain::offer::{
    OfferCategory as C, OfferContent, OfferLaw as L, OfferStatus, Opening, ReferrerKind as R,
};
use bro_store::{AuditCtx, AuditEvent, TableRows};

const DISTRICTS: [&str; 3] = ["Nord", "Midt", "Syd"];

/// One kind of offer: its name (before the place), category, which of the organisation's units
/// publishes it (a municipality's 0 substance abuse, 1 social psychiatry, 2 case authority; a
/// region has one), what it is, its laws and who may refer.
struct Kind {
    name: &'static str,
    category: C,
    unit: i64,
    summary: &'static str,
    laws: &'static [L],
    referrers: &'static [R],
    self_referral: bool,
}

const MUNICIPAL: [Kind; 10] = [
    Kind {
        name: "Rusmiddelbehandling",
        category: C::SubstanceTreatment,
        unit: 0,
        summary: "Ambulant behandling for alkohol, hash og andre stoffer",
        laws: &[L::Serviceloven101, L::Sundhedsloven],
        referrers: &[
            R::Gp,
            R::RegionalPsychiatry,
            R::FaellesTeam,
            R::OwnMunicipality,
        ],
        self_referral: true,
    },
    Kind {
        name: "Ungeindsats rusmidler",
        category: C::SubstanceTreatment,
        unit: 0,
        summary: "Samtaler og gruppeforløb for unge under 25 med rusproblemer",
        laws: &[L::Serviceloven101],
        referrers: &[R::Gp, R::OwnMunicipality],
        self_referral: true,
    },
    Kind {
        name: "Bostøtte",
        category: C::HousingSupport,
        unit: 1,
        summary: "Socialpædagogisk støtte i eget hjem",
        laws: &[L::Serviceloven85],
        referrers: &[R::CaseAuthority],
        self_referral: false,
    },
    Kind {
        name: "Botilbud",
        category: C::HousingSupport,
        unit: 1,
        summary: "Midlertidigt botilbud med personale døgnet rundt",
        laws: &[L::Serviceloven107],
        referrers: &[R::CaseAuthority],
        self_referral: false,
    },
    Kind {
        name: "Værested",
        category: C::DropInCentre,
        unit: 1,
        summary: "Et sted at komme, få en kop kaffe og et fællesskab",
        laws: &[L::Serviceloven85],
        referrers: &[],
        self_referral: true,
    },
    Kind {
        name: "Socialpsykiatrisk team",
        category: C::SocialPsychiatry,
        unit: 1,
        summary: "Opsøgende støtte til borgere med svær psykisk sygdom",
        laws: &[L::Serviceloven85, L::Serviceloven101],
        referrers: &[R::FaellesTeam, R::RegionalPsychiatry, R::OwnMunicipality],
        self_referral: false,
    },
    Kind {
        name: "Peerstøtte",
        category: C::PeerSupport,
        unit: 1,
        summary: "Samtaler med en peer-medarbejder, der selv har levet med psykisk sygdom",
        laws: &[L::Serviceloven85],
        referrers: &[R::OwnMunicipality, R::FaellesTeam],
        self_referral: true,
    },
    Kind {
        name: "Jobcenter, mentorstøtte",
        category: C::Employment,
        unit: 2,
        summary: "En mentor, der hjælper på vej mod job eller uddannelse",
        laws: &[L::Beskaeftigelsesloven],
        referrers: &[R::CaseAuthority, R::OwnMunicipality],
        self_referral: false,
    },
    Kind {
        name: "Beskyttet beskæftigelse",
        category: C::Employment,
        unit: 2,
        summary: "Arbejde på særlige vilkår i et værksted",
        laws: &[L::Serviceloven85],
        referrers: &[R::CaseAuthority],
        self_referral: false,
    },
    Kind {
        name: "STU og voksenundervisning",
        category: C::Education,
        unit: 2,
        summary: "Særligt tilrettelagt uddannelse og undervisning",
        laws: &[L::Serviceloven85],
        referrers: &[R::CaseAuthority],
        self_referral: false,
    },
];

const REGIONAL: [Kind; 10] = [
    Kind {
        name: "Psykiatrisk ambulatorium",
        category: C::OutpatientPsychiatry,
        unit: 0,
        summary: "Udredning og behandling af psykisk sygdom",
        laws: &[L::Sundhedsloven],
        referrers: &[R::Gp, R::Hospital],
        self_referral: false,
    },
    Kind {
        name: "Ambulant Akut Team",
        category: C::AcutePsychiatry,
        unit: 0,
        summary: "Akut hjælp i hjemmet ved forværring af psykisk sygdom",
        laws: &[L::Sundhedsloven],
        referrers: &[R::Gp, R::RegionalPsychiatry],
        self_referral: false,
    },
    Kind {
        name: "Klinik for rusmiddelpsykiatri",
        category: C::SubstanceTreatment,
        unit: 0,
        summary: "Behandling af samtidig psykisk sygdom og misbrug",
        laws: &[L::Sundhedsloven],
        referrers: &[R::Gp, R::RegionalPsychiatry, R::FaellesTeam],
        self_referral: false,
    },
    Kind {
        name: "Midlertidige psykiatriske omsorgspladser",
        category: C::TemporaryCarePlace,
        unit: 0,
        summary: "Korte ophold i en seng med personale, når hjemmet ikke slår til",
        laws: &[L::Serviceloven107, L::Sundhedsloven],
        referrers: bro_domain::offer::MPO_REFERRERS,
        self_referral: false,
    },
    Kind {
        name: "Psykiatrisk forebyggelsesteam",
        category: C::OutpatientPsychiatry,
        unit: 0,
        summary: "Forebyggelse af genindlæggelser sammen med kommunen",
        laws: &[L::Sundhedsloven],
        referrers: &[R::RegionalPsychiatry, R::FaellesTeam],
        self_referral: false,
    },
    Kind {
        name: "OPUS-team",
        category: C::OutpatientPsychiatry,
        unit: 0,
        summary: "Tidlig indsats ved første psykose for unge",
        laws: &[L::Sundhedsloven],
        referrers: &[R::Gp, R::Hospital],
        self_referral: false,
    },
    Kind {
        name: "Psykiatrisk akutmodtagelse",
        category: C::AcutePsychiatry,
        unit: 0,
        summary: "Åben døgnet rundt ved akut psykisk krise",
        laws: &[L::Psykiatriloven, L::Sundhedsloven],
        referrers: &[],
        self_referral: true,
    },
    Kind {
        name: "Recoveryskole",
        category: C::Education,
        unit: 0,
        summary: "Kurser om at leve med psykisk sygdom, for borgere og pårørende",
        laws: &[L::Sundhedsloven],
        referrers: &[],
        self_referral: true,
    },
    Kind {
        name: "Pårørendecafé",
        category: C::PeerSupport,
        unit: 0,
        summary: "Samtaler og fællesskab for pårørende",
        laws: &[L::Sundhedsloven],
        referrers: &[],
        self_referral: true,
    },
    Kind {
        name: "IPS-beskæftigelse",
        category: C::Employment,
        unit: 0,
        summary: "Individuel job-støtte sideløbende med behandlingen",
        laws: &[L::Sundhedsloven, L::Beskaeftigelsesloven],
        referrers: &[R::RegionalPsychiatry],
        self_referral: false,
    },
];

/// The temporary care places (MPO) each generated municipality runs in its own unit.
const MPO: Kind = Kind {
    name: "MPO",
    category: C::TemporaryCarePlace,
    unit: 0,
    summary: "Et midlertidigt ophold med personale døgnet rundt, når hjemmet ikke slår til",
    laws: &[L::Serviceloven107, L::Sundhedsloven],
    referrers: bro_domain::offer::MPO_REFERRERS,
    self_referral: false,
};

/// The offer of municipality `m`'s MPO unit: after the municipalities' and regions' 30 each.
pub(super) fn mpo_offer_id(layout: &Layout, m: usize) -> i64 {
    let published = (layout.munis.len() + layout.regions.len()) * MUNICIPAL.len() * DISTRICTS.len();
    layout.bases.offer + (published + m) as i64 + 1
}

/// Weekdays 8–15 (Friday to 13), or every day around the clock for acute offers.
fn hours(category: C) -> Vec<Opening> {
    let days = if category == C::AcutePsychiatry { 7 } else { 5 };
    (0..days)
        .map(|day| Opening {
            day,
            from_min: if days == 7 { 0 } else { 8 * 60 },
            to_min: match (days, day) {
                (7, _) => 24 * 60,
                (_, 4) => 13 * 60,
                _ => 15 * 60,
            },
        })
        .collect()
}

fn content(kind: &Kind, district: &str, area: &str, n: i64) -> OfferContent {
    OfferContent {
        name: format!("{} {area} {district}", kind.name),
        category: Some(kind.category),
        summary: kind.summary.to_owned(),
        target_group: "Voksne med psykisk sygdom, ofte med samtidigt misbrug".to_owned(),
        age_min: Some(18),
        laws: kind.laws.to_vec(),
        referrers: kind.referrers.to_vec(),
        self_referral: kind.self_referral,
        capacity: (kind.category == C::TemporaryCarePlace).then_some(4 + (n % 5) as u32),
        waiting_weeks: Some((n % 9) as u32),
        address: format!("{district}vej {}, {area}", 1 + n % 40),
        municipality: area.to_owned(),
        hours: hours(kind.category),
        phone: format!("70 {:02} {:02} {:02}", 10 + n % 90, n % 100, (n / 7) % 100),
        ..OfferContent::default()
    }
}

/// The offers and their first versions, and an audit record each for `audit`.
pub(super) fn offer_tables(layout: &Layout, audit: &mut Vec<(i64, AuditFields)>) -> Vec<TableRows> {
    let mut offers = TableRows::new(
        "offers",
        &[
            "id",
            "org_id",
            "unit_id",
            "status",
            "version",
            "content",
            "name",
            "category",
            "municipality",
            "search_text",
            "created_ms",
            "updated_ms",
            "confirmed_ms",
        ],
    );
    let mut versions = TableRows::new(
        "offer_versions",
        &["offer_id", "version", "status", "content", "changed_ms"],
    );
    let mut publishers: Vec<(i64, i64, String, &[Kind])> = Vec::new();
    for (m, muni) in layout.munis.iter().enumerate() {
        let first_unit = muni.coordinators[0].unit;
        let area = format!("{} Kommune", MUNICIPALITIES[m]);
        publishers.push((muni.org, first_unit, area, &MUNICIPAL));
    }
    for (r, region) in layout.regions.iter().enumerate() {
        publishers.push((
            region.org,
            region.staff[0].unit,
            REGIONS[r].to_owned(),
            &REGIONAL,
        ));
    }
    // (id, organisation, unit, municipality, content) of every offer.
    let mut entries = Vec::new();
    let mut id = layout.bases.offer;
    for (org, first_unit, area, kinds) in publishers {
        for kind in kinds {
            for district in DISTRICTS {
                id += 1;
                let c = content(kind, district, &area, id);
                entries.push((id, org, first_unit + kind.unit, area.clone(), c));
            }
        }
    }
    for (m, leader) in layout.mpo.iter().enumerate() {
        let area = format!("{} Kommune", MUNICIPALITIES[m]);
        let id = mpo_offer_id(layout, m);
        let c = OfferContent {
            name: format!("MPO {}", MUNICIPALITIES[m]),
            capacity: Some(layout.beds as u32),
            ..content(&MPO, "Skov", &area, id)
        };
        entries.push((id, leader.org, leader.unit, area, c));
    }
    for (id, org, unit, area, c) in entries {
        let published = ANCHOR_MS - YEAR_MS + (id % 180) * DAY_MS;
        // One in ten has gone unconfirmed for more than six months.
        let confirmed = if id % 10 == 0 {
            published
        } else {
            ANCHOR_MS - (id % 60) * DAY_MS
        };
        let body = c.to_json();
        let status = OfferStatus::Active.as_str();
        offers.push(vec![
            id.into(),
            org.into(),
            unit.into(),
            status.into(),
            1i64.into(),
            body.clone().into(),
            c.name.clone().into(),
            c.category.map_or("", C::as_str).into(),
            area.to_lowercase().into(),
            c.search_text().into(),
            published.into(),
            published.into(),
            confirmed.into(),
        ]);
        versions.push(vec![
            id.into(),
            1i64.into(),
            status.into(),
            body.into(),
            published.into(),
        ]);
        let ctx = AuditCtx::system(org, published, "administration");
        let event = AuditEvent::allowed(AuditAction::OfferChanged).object(format!("offer:{id}"));
        audit.push((org, ctx.fields(&event)));
    }
    vec![offers, versions]
}
