//! The directory of offers (tilbud): what each unit offers citizens, who may refer to it, when
//! it is open and how long the wait is. An offer is kept as versions of its whole content, and
//! a change is told in plain words (see [`changes`]). Offers are not personal data.

use crate::coded::coded;
use serde::{Deserialize, Serialize};

coded!(
    /// The small fixed taxonomy offers are found by.
    OfferCategory, "offer-category-" {
        HousingSupport => "housing_support",
        SubstanceTreatment => "substance_treatment",
        OutpatientPsychiatry => "outpatient_psychiatry",
        AcutePsychiatry => "acute_psychiatry",
        TemporaryCarePlace => "temporary_care_place",
        DropInCentre => "drop_in_centre",
        SocialPsychiatry => "social_psychiatry",
        Employment => "employment",
        Education => "education",
        PeerSupport => "peer_support",
    }
);

coded!(
    /// Whether an offer takes citizens now. Nothing is deleted: a closed offer stays, closed.
    OfferStatus, "offer-status-" {
        Active => "active",
        Paused => "paused",
        Closed => "closed",
    }
);

coded!(
    /// Who may refer a citizen to an offer.
    ReferrerKind, "referrer-" {
        Gp => "gp",
        RegionalPsychiatry => "regional_psychiatry",
        FaellesTeam => "faelles_team",
        OwnMunicipality => "own_municipality",
        CaseAuthority => "case_authority",
        Hospital => "hospital",
    }
);

/// Who may refer to temporary psychiatric care places (MPO), by the agreement behind them:
/// the GP, the region's psychiatry, the Fælles Team and the municipality's own units.
pub const MPO_REFERRERS: &[ReferrerKind] = &[
    ReferrerKind::Gp,
    ReferrerKind::RegionalPsychiatry,
    ReferrerKind::FaellesTeam,
    ReferrerKind::OwnMunicipality,
];

coded!(
    /// The law an offer is given under, as the directory names it.
    OfferLaw, "offer-law-" {
        Serviceloven85 => "serviceloven_85",
        Serviceloven101 => "serviceloven_101",
        Serviceloven107 => "serviceloven_107",
        Serviceloven108 => "serviceloven_108",
        Serviceloven110 => "serviceloven_110",
        Sundhedsloven => "sundhedsloven",
        Psykiatriloven => "psykiatriloven",
        Beskaeftigelsesloven => "beskaeftigelsesloven",
    }
);

/// The fields of an offer, in the order of its form (each has a label `offer-field-<name>`).
pub const FIELDS: [&str; 27] = [
    "name",
    "category",
    "summary",
    "description",
    "target_group",
    "age_min",
    "age_max",
    "provides",
    "eligibility",
    "laws",
    "referrers",
    "self_referral",
    "capacity",
    "waiting_weeks",
    "address",
    "municipality",
    "directions",
    "hours",
    "hours_exceptions",
    "phone",
    "secure_mail",
    "contact_hours",
    "languages",
    "accessibility",
    "cost",
    "link",
    "internal_note",
];

/// The weekdays of an opening-hours schedule, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// One opening interval: a weekday (0 = Monday) and minutes after midnight, `from < to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    pub day: u8,
    pub from_min: u16,
    pub to_min: u16,
}

impl Opening {
    /// "08:00–15:30".
    pub fn span(&self) -> String {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        format!("{}–{}", hm(self.from_min), hm(self.to_min))
    }
}

/// Everything an offer says, as one version holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferContent {
    pub name: String,
    pub category: Option<OfferCategory>,
    pub summary: String,
    pub description: String,
    pub target_group: String,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
    /// What the citizen gets.
    pub provides: String,
    /// Who decides on admission, and how.
    pub eligibility: String,
    pub laws: Vec<OfferLaw>,
    pub referrers: Vec<ReferrerKind>,
    pub self_referral: bool,
    /// Places or beds; `None` when not counted.
    pub capacity: Option<u32>,
    /// The current waiting time in weeks; `None` when not known.
    pub waiting_weeks: Option<u32>,
    pub address: String,
    pub municipality: String,
    pub directions: String,
    pub hours: Vec<Opening>,
    /// Exceptions to the weekly hours ("24.–26. december lukket").
    pub hours_exceptions: String,
    pub phone: String,
    pub secure_mail: String,
    pub contact_hours: String,
    pub languages: String,
    pub accessibility: String,
    pub cost: String,
    /// A web page about the offer: https only.
    pub link: String,
    /// For staff only: never on the public pages or in the open data.
    pub internal_note: String,
}

/// Why a field of an offer was refused; the field is named by [`OfferError::field`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferError {
    Required(&'static str),
    TooLong(&'static str),
    AgeRange,
    Hours,
    Link,
    Mail,
}

impl OfferError {
    pub fn field(self) -> &'static str {
        match self {
            OfferError::Required(f) | OfferError::TooLong(f) => f,
            OfferError::AgeRange => "age_max",
            OfferError::Hours => "hours",
            OfferError::Link => "link",
            OfferError::Mail => "secure_mail",
        }
    }

    pub fn message_key(self) -> &'static str {
        match self {
            OfferError::Required(_) => "field-required",
            OfferError::TooLong(_) => "field-too-long",
            OfferError::AgeRange => "offer-error-age-range",
            OfferError::Hours => "offer-error-hours",
            OfferError::Link => "offer-error-link",
            OfferError::Mail => "offer-error-mail",
        }
    }
}

/// The longest a short text (name, summary, contact fields) and a long one may be.
pub const SHORT_TEXT: usize = 200;
pub const LONG_TEXT: usize = 5_000;

impl OfferContent {
    /// What search reads: the offer's words in lower case, hyphens as spaces, with a space first
    /// so that `LIKE '% word%'` finds the beginning of any word.
    pub fn search_text(&self) -> String {
        let words = [
            self.name.as_str(),
            &self.summary,
            &self.description,
            &self.target_group,
            &self.provides,
            &self.address,
            &self.municipality,
        ];
        format!(" {}", words.join(" ").to_lowercase().replace('-', " "))
    }

    /// The content as stored (a version's JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Result<Self, String> {
        serde_json::from_str(s).map_err(|e| e.to_string())
    }

    /// Every reason the content cannot be published, by field.
    pub fn check(&self) -> Vec<OfferError> {
        let mut out = Vec::new();
        for (field, value) in [("name", &self.name), ("summary", &self.summary)] {
            if value.trim().is_empty() {
                out.push(OfferError::Required(field));
            }
        }
        if self.category.is_none() {
            out.push(OfferError::Required("category"));
        }
        let short = [
            ("name", &self.name),
            ("summary", &self.summary),
            ("address", &self.address),
            ("municipality", &self.municipality),
            ("phone", &self.phone),
            ("secure_mail", &self.secure_mail),
            ("contact_hours", &self.contact_hours),
            ("languages", &self.languages),
            ("cost", &self.cost),
            ("link", &self.link),
        ];
        let long = [
            ("description", &self.description),
            ("target_group", &self.target_group),
            ("provides", &self.provides),
            ("eligibility", &self.eligibility),
            ("directions", &self.directions),
            ("hours_exceptions", &self.hours_exceptions),
            ("accessibility", &self.accessibility),
            ("internal_note", &self.internal_note),
        ];
        for (fields, max) in [(&short[..], SHORT_TEXT), (&long[..], LONG_TEXT)] {
            for (field, value) in fields {
                if value.chars().count() > max {
                    out.push(OfferError::TooLong(field));
                }
            }
        }
        if let (Some(min), Some(max)) = (self.age_min, self.age_max)
            && min > max
        {
            out.push(OfferError::AgeRange);
        }
        if !hours_valid(&self.hours) {
            out.push(OfferError::Hours);
        }
        let link = self.link.trim();
        let https = link
            .strip_prefix("https://")
            .is_some_and(|rest| !rest.is_empty());
        if !link.is_empty() && !https {
            out.push(OfferError::Link);
        }
        let mail = self.secure_mail.trim();
        if !mail.is_empty() && !plausible_mail(mail) {
            out.push(OfferError::Mail);
        }
        out
    }

    /// Whether the offer is open at `day` (0 = Monday) and `minute` after midnight.
    pub fn open_at(&self, day: u8, minute: u16) -> bool {
        self.hours
            .iter()
            .any(|o| o.day == day && o.from_min <= minute && minute < o.to_min)
    }
}

/// Each interval starts before it ends, within the day, and no two on a day overlap.
fn hours_valid(hours: &[Opening]) -> bool {
    let sane = hours
        .iter()
        .all(|o| o.day < 7 && o.from_min < o.to_min && o.to_min <= 24 * 60);
    sane && hours.iter().enumerate().all(|(i, a)| {
        hours[i + 1..]
            .iter()
            .all(|b| a.day != b.day || a.to_min <= b.from_min || b.to_min <= a.from_min)
    })
}

fn plausible_mail(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// One change between two versions, in words a caseworker reads: the field's label key and
/// its old and new value as text ("" when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

/// What changed from `a` to `b`, field by field, in the order of the form. Lists and codes are
/// given as their codes joined by ", " (the page puts them in words), opening hours by day.
pub fn changes(a: &OfferContent, b: &OfferContent) -> Vec<Change> {
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let age = |v: Option<u8>| v.map(|n| n.to_string()).unwrap_or_default();
    let codes = |v: Vec<&'static str>| v.join(", ");
    let fields: [(&'static str, String, String); 26] = [
        ("name", a.name.clone(), b.name.clone()),
        (
            "category",
            a.category
                .map(|c| c.as_str())
                .unwrap_or_default()
                .to_owned(),
            b.category
                .map(|c| c.as_str())
                .unwrap_or_default()
                .to_owned(),
        ),
        ("summary", a.summary.clone(), b.summary.clone()),
        ("description", a.description.clone(), b.description.clone()),
        (
            "target_group",
            a.target_group.clone(),
            b.target_group.clone(),
        ),
        ("age_min", age(a.age_min), age(b.age_min)),
        ("age_max", age(a.age_max), age(b.age_max)),
        ("provides", a.provides.clone(), b.provides.clone()),
        ("eligibility", a.eligibility.clone(), b.eligibility.clone()),
        (
            "laws",
            codes(a.laws.iter().map(|l| l.as_str()).collect()),
            codes(b.laws.iter().map(|l| l.as_str()).collect()),
        ),
        (
            "referrers",
            codes(a.referrers.iter().map(|r| r.as_str()).collect()),
            codes(b.referrers.iter().map(|r| r.as_str()).collect()),
        ),
        (
            "self_referral",
            a.self_referral.to_string(),
            b.self_referral.to_string(),
        ),
        ("capacity", num(a.capacity), num(b.capacity)),
        ("waiting_weeks", num(a.waiting_weeks), num(b.waiting_weeks)),
        ("address", a.address.clone(), b.address.clone()),
        (
            "municipality",
            a.municipality.clone(),
            b.municipality.clone(),
        ),
        ("directions", a.directions.clone(), b.directions.clone()),
        ("hours", hours_text(&a.hours), hours_text(&b.hours)),
        (
            "hours_exceptions",
            a.hours_exceptions.clone(),
            b.hours_exceptions.clone(),
        ),
        ("phone", a.phone.clone(), b.phone.clone()),
        ("secure_mail", a.secure_mail.clone(), b.secure_mail.clone()),
        (
            "contact_hours",
            a.contact_hours.clone(),
            b.contact_hours.clone(),
        ),
        ("languages", a.languages.clone(), b.languages.clone()),
        (
            "accessibility",
            a.accessibility.clone(),
            b.accessibility.clone(),
        ),
        ("cost", a.cost.clone(), b.cost.clone()),
        ("link", a.link.clone(), b.link.clone()),
    ];
    fields
        .into_iter()
        .filter(|(_, from, to)| from != to)
        .map(|(field, from, to)| Change { field, from, to })
        .collect()
}

/// Opening hours as "mon 08:00–15:00, tue 08:00–15:00" (day codes; the page names the days).
pub fn hours_text(hours: &[Opening]) -> String {
    let mut sorted = hours.to_vec();
    sorted.sort_by_key(|o| (o.day, o.from_min));
    sorted
        .iter()
        .map(|o| format!("{} {}", WEEKDAYS[usize::from(o.day.min(6))], o.span()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> OfferContent {
        OfferContent {
            name: "Rusmiddelcenter Holstebro".into(),
            category: Some(OfferCategory::SubstanceTreatment),
            summary: "Ambulant behandling for alkohol og stoffer".into(),
            hours: vec![
                Opening {
                    day: 0,
                    from_min: 8 * 60,
                    to_min: 15 * 60,
                },
                Opening {
                    day: 0,
                    from_min: 16 * 60,
                    to_min: 18 * 60,
                },
            ],
            ..OfferContent::default()
        }
    }

    #[test]
    fn a_complete_offer_passes_and_each_fault_is_named_by_its_field() {
        assert!(offer().check().is_empty());
        let bad = OfferContent {
            name: " ".into(),
            category: None,
            age_min: Some(30),
            age_max: Some(18),
            link: "http://example.dk".into(),
            secure_mail: "post.example.dk".into(),
            description: "x".repeat(LONG_TEXT + 1),
            hours: vec![
                Opening {
                    day: 1,
                    from_min: 600,
                    to_min: 540,
                },
                Opening {
                    day: 2,
                    from_min: 480,
                    to_min: 720,
                },
                Opening {
                    day: 2,
                    from_min: 700,
                    to_min: 800,
                },
            ],
            ..offer()
        };
        let fields: Vec<_> = bad.check().iter().map(|e| e.field()).collect();
        for field in [
            "name",
            "category",
            "description",
            "age_max",
            "hours",
            "link",
            "secure_mail",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn changes_are_told_field_by_field() {
        let a = offer();
        let b = OfferContent {
            waiting_weeks: Some(6),
            hours: vec![Opening {
                day: 0,
                from_min: 9 * 60,
                to_min: 15 * 60,
            }],
            ..a.clone()
        };
        let changes = changes(&a, &b);
        assert_eq!(
            changes,
            [
                Change {
                    field: "waiting_weeks",
                    from: String::new(),
                    to: "6".into()
                },
                Change {
                    field: "hours",
                    from: "mon 08:00–15:00, mon 16:00–18:00".into(),
                    to: "mon 09:00–15:00".into()
                },
            ]
        );
        assert!(super::changes(&a, &a).is_empty());
    }

    #[test]
    fn open_now_follows_the_weekly_hours() {
        let o = offer();
        assert!(o.open_at(0, 8 * 60));
        assert!(!o.open_at(0, 15 * 60), "the end is not open");
        assert!(o.open_at(0, 17 * 60));
        assert!(!o.open_at(1, 10 * 60));
    }
}
