//! The demo's directory of offers: the real kinds of offers the source documents name for
//! Holstebro, Ringkøbing-Skjern and Regionspsykiatrien Vest, each published by its
//! organisation, with a history of changes, and staff who follow them.

use super::DemoStaff;
use bro_domain::offer::{
    OfferCategory as C, OfferContent, OfferLaw as L, Opening, ReferrerKind as R,
};
use bro_domain::{OrgId, UnitId};
use bro_store::{AuditCtx, DynStore, Follow};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// One demo offer: its unit, name, category, summary, laws, referrers, capacity and the
/// waiting times it has had (weeks, oldest first).
struct Spec {
    unit: &'static str,
    name: &'static str,
    category: C,
    summary: &'static str,
    provides: &'static str,
    laws: &'static [L],
    referrers: &'static [R],
    self_referral: bool,
    capacity: Option<u32>,
    waits: &'static [u32],
    address: &'static str,
    municipality: &'static str,
}

const SPECS: &[Spec] = &[
    Spec {
        unit: "Rusmiddelcenter Holstebro",
        name: "Rusmiddelcenter Holstebro, ambulant behandling",
        category: C::SubstanceTreatment,
        summary: "Ambulant behandling for alkohol, hash og andre stoffer, også med psykisk sygdom",
        provides: "Samtaler, gruppeforløb, medicinsk behandling og hjælp til at holde aftaler",
        laws: &[L::Serviceloven101, L::Sundhedsloven],
        referrers: &[
            R::Gp,
            R::RegionalPsychiatry,
            R::FaellesTeam,
            R::OwnMunicipality,
        ],
        self_referral: true,
        capacity: None,
        waits: &[3, 2],
        address: "Nørregade 2, 7500 Holstebro",
        municipality: "Holstebro Kommune",
    },
    Spec {
        unit: "Socialpsykiatri Holstebro",
        name: "Bostøtte i eget hjem",
        category: C::HousingSupport,
        summary: "Socialpædagogisk støtte i hverdagen for borgere med psykisk sygdom",
        provides: "Faste besøg, hjælp til økonomi, indkøb, aftaler og kontakt til andre",
        laws: &[L::Serviceloven85],
        referrers: &[R::CaseAuthority],
        self_referral: false,
        capacity: Some(120),
        waits: &[8, 6],
        address: "Skolegade 5, 7500 Holstebro",
        municipality: "Holstebro Kommune",
    },
    Spec {
        unit: "Socialpsykiatri Holstebro",
        name: "Værestedet Møllen",
        category: C::DropInCentre,
        summary: "Et sted at komme, spise og være sammen med andre, uden visitation",
        provides: "Fællesskab, et varmt måltid og samtale med en medarbejder",
        laws: &[L::Serviceloven85],
        referrers: &[],
        self_referral: true,
        capacity: None,
        waits: &[],
        address: "Møllegade 12, 7500 Holstebro",
        municipality: "Holstebro Kommune",
    },
    Spec {
        unit: "MPO Holstebro",
        name: "Midlertidige psykiatriske omsorgspladser, Skovvang",
        category: C::TemporaryCarePlace,
        summary: "Kortvarigt ophold døgnet rundt i stedet for indlæggelse, med psykiatrisk støtte",
        provides: "En seng i op til 14 dage, personale hele døgnet og plan for tiden efter",
        laws: &[L::Serviceloven107, L::Sundhedsloven],
        referrers: bro_domain::offer::MPO_REFERRERS,
        self_referral: false,
        capacity: Some(4),
        waits: &[1, 0],
        address: "Skovvang 3, 7500 Holstebro",
        municipality: "Holstebro Kommune",
    },
    Spec {
        unit: "Jobcenter Holstebro",
        name: "IPS: job og uddannelse med støtte",
        category: C::Employment,
        summary: "En jobkonsulent hjælper med at finde og holde et job eller en uddannelse",
        provides: "Individuel job- og uddannelsesstøtte, også efter ansættelsen",
        laws: &[L::Beskaeftigelsesloven],
        referrers: &[R::OwnMunicipality, R::RegionalPsychiatry],
        self_referral: true,
        capacity: Some(30),
        waits: &[4],
        address: "Nygade 1, 7500 Holstebro",
        municipality: "Holstebro Kommune",
    },
    Spec {
        unit: "Regionspsykiatrien Vest, Ambulatorium",
        name: "Psykiatrisk ambulatorium, Gødstrup",
        category: C::OutpatientPsychiatry,
        summary: "Udredning og ambulant behandling af psykisk sygdom for voksne",
        provides: "Udredning, samtaler, medicin og psykoedukation",
        laws: &[L::Sundhedsloven, L::Psykiatriloven],
        referrers: &[R::Gp, R::Hospital],
        self_referral: false,
        capacity: None,
        waits: &[10, 8],
        address: "Hospitalsparken 15, 7400 Herning",
        municipality: "Region Midtjylland",
    },
    Spec {
        unit: "Klinik for rusmiddelpsykiatri",
        name: "Klinik for rusmiddelpsykiatri",
        category: C::SubstanceTreatment,
        summary: "Behandling af psykisk sygdom og samtidigt misbrug (dobbeltdiagnose)",
        provides: "Integreret psykiatrisk og rusmiddelbehandling",
        laws: &[L::Sundhedsloven],
        referrers: &[R::Gp, R::RegionalPsychiatry, R::FaellesTeam],
        self_referral: false,
        capacity: None,
        waits: &[6],
        address: "Hospitalsparken 15, 7400 Herning",
        municipality: "Region Midtjylland",
    },
    Spec {
        unit: "Ambulant Akut Team",
        name: "Ambulant Akut Team",
        category: C::AcutePsychiatry,
        summary: "Akut psykiatrisk hjælp døgnet rundt, også i hjemmet",
        provides: "Vurdering samme dag og opfølgende besøg i de første uger",
        laws: &[L::Sundhedsloven, L::Psykiatriloven],
        referrers: &[R::Gp, R::Hospital, R::OwnMunicipality],
        self_referral: true,
        capacity: None,
        waits: &[0],
        address: "Hospitalsparken 15, 7400 Herning",
        municipality: "Region Midtjylland",
    },
    Spec {
        unit: "Rusmiddelcenter Ringkøbing-Skjern",
        name: "Rusmiddelcenter Ringkøbing-Skjern",
        category: C::SubstanceTreatment,
        summary: "Ambulant behandling for alkohol og stoffer i Ringkøbing og Skjern",
        provides: "Samtaler, grupper og medicinsk behandling",
        laws: &[L::Serviceloven101, L::Sundhedsloven],
        referrers: &[R::Gp, R::RegionalPsychiatry, R::OwnMunicipality],
        self_referral: true,
        capacity: None,
        waits: &[2],
        address: "Torvet 8, 6950 Ringkøbing",
        municipality: "Ringkøbing-Skjern Kommune",
    },
    Spec {
        unit: "Socialpsykiatri Ringkøbing-Skjern",
        name: "Bostøtte Ringkøbing-Skjern",
        category: C::HousingSupport,
        summary: "Støtte i eget hjem til borgere med psykiske vanskeligheder",
        provides: "Faste besøg og hjælp til hverdagens opgaver",
        laws: &[L::Serviceloven85],
        referrers: &[R::CaseAuthority],
        self_referral: false,
        capacity: Some(60),
        waits: &[5],
        address: "Vestergade 20, 6900 Skjern",
        municipality: "Ringkøbing-Skjern Kommune",
    },
];

/// Weekdays 8–15, Friday 8–13.
fn office_hours() -> Vec<Opening> {
    (0..5u8)
        .map(|day| Opening {
            day,
            from_min: 8 * 60,
            to_min: if day == 4 { 13 * 60 } else { 15 * 60 },
        })
        .collect()
}

/// The audit context of an organisation's administrator (where the demo has one) at `at_ms`.
fn admin_ctx(staff: &[DemoStaff], org: OrgId, at_ms: i64) -> AuditCtx {
    let admin = staff
        .iter()
        .find(|s| s.org == org && s.role == bro_domain::Role::Admin);
    AuditCtx {
        actor_user_id: admin.map(|a| a.user),
        actor_role: Some("admin".to_owned()),
        ..AuditCtx::system(org.0, at_ms, "demo-setup")
    }
}

/// The first version of a spec's offer.
fn content_of(spec: &Spec) -> OfferContent {
    OfferContent {
        name: spec.name.to_owned(),
        category: Some(spec.category),
        summary: spec.summary.to_owned(),
        provides: spec.provides.to_owned(),
        target_group: "Voksne med psykisk sygdom, ofte med samtidigt misbrug".to_owned(),
        age_min: Some(18),
        laws: spec.laws.to_vec(),
        referrers: spec.referrers.to_vec(),
        self_referral: spec.self_referral,
        capacity: spec.capacity,
        waiting_weeks: spec.waits.first().copied(),
        address: spec.address.to_owned(),
        municipality: spec.municipality.to_owned(),
        hours: office_hours(),
        phone: "96 11 50 00".to_owned(),
        ..OfferContent::default()
    }
}

/// Publishes the demo's offers four months ago; `koordinator` follows the MPO places and
/// `fagperson` the Rusmiddelcenter's offers; then the waiting times change month by month, so
/// the followers have notices and the offers a history.
pub(super) async fn seed_offers(
    store: &DynStore,
    staff: &[DemoStaff],
    units: &[(String, OrgId, String, UnitId)],
    now: i64,
) -> Result<(), String> {
    let e = |e: bro_store::StoreError| e.to_string();
    let start = now - 120 * DAY_MS;
    let mut published = Vec::new();
    for spec in SPECS {
        let (_, org, _, unit) = units
            .iter()
            .find(|(_, _, u, _)| u == spec.unit)
            .ok_or_else(|| format!("demo unit {} missing", spec.unit))?;
        let ctx = admin_ctx(staff, *org, start);
        let id = store
            .create_offer(&ctx, *unit, &content_of(spec))
            .await
            .map_err(e)?;
        published.push((spec, *org, *unit, id));
    }
    for (login, what) in [
        ("koordinator", C::TemporaryCarePlace),
        ("fagperson", C::SubstanceTreatment),
    ] {
        let Some(s) = staff.iter().find(|s| s.username == login) else {
            continue;
        };
        let ctx = AuditCtx {
            actor_user_id: Some(s.user),
            ..AuditCtx::system(s.org.0, start, "demo-setup")
        };
        for (spec, _, unit, id) in &published {
            let follow = match what {
                C::TemporaryCarePlace => Follow::Offer(*id),
                _ => Follow::Unit(*unit),
            };
            if spec.category == what && spec.municipality == "Holstebro Kommune" {
                store
                    .set_follow(&ctx, s.user, &follow, true)
                    .await
                    .map_err(e)?;
            }
        }
    }
    for (spec, org, _, id) in &published {
        let mut content = content_of(spec);
        for (k, wait) in spec.waits.iter().enumerate().skip(1) {
            content.waiting_weeks = Some(*wait);
            let k = i64::try_from(k).unwrap_or(0);
            let ctx = admin_ctx(staff, *org, start + k * 30 * DAY_MS);
            store
                .change_offer(&ctx, *id, k, &content, false)
                .await
                .map_err(e)?;
        }
    }
    Ok(())
}
