//! What the offer forms take: the offer itself (every field, the weekly hours as one text per
//! day), and the directory's search.

use crate::ui::{Chrome, FormErrors};
use bro_domain::offer::{OfferCategory, OfferContent, OfferLaw, Opening, ReferrerKind};
use serde::Deserialize;

/// The form's field for each weekday's opening hours, Monday first (as `WEEKDAYS`).
pub(super) const HOUR_FIELDS: [&str; 7] = [
    "hours_mon",
    "hours_tue",
    "hours_wed",
    "hours_thu",
    "hours_fri",
    "hours_sat",
    "hours_sun",
];

/// What the offer form sent, as typed; kept on screen when it is refused.
#[derive(Default, Clone)]
pub(super) struct OfferInput {
    pub(super) fields: Vec<(String, String)>,
}

impl OfferInput {
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self { fields: pairs }
    }

    /// The typed value of `name` ("" when absent).
    pub(super) fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Whether a checkbox or a multiple choice has `value` ticked.
    pub(super) fn has(&self, name: &str, value: &str) -> bool {
        self.fields.iter().any(|(k, v)| k == name && v == value)
    }

    /// The form a stored offer fills in.
    pub(super) fn of(c: &OfferContent) -> Self {
        let mut f: Vec<(String, String)> = [
            ("name", c.name.clone()),
            (
                "category",
                c.category
                    .map(|c| c.as_str())
                    .unwrap_or_default()
                    .to_owned(),
            ),
            ("summary", c.summary.clone()),
            ("description", c.description.clone()),
            ("target_group", c.target_group.clone()),
            (
                "age_min",
                c.age_min.map(|n| n.to_string()).unwrap_or_default(),
            ),
            (
                "age_max",
                c.age_max.map(|n| n.to_string()).unwrap_or_default(),
            ),
            ("provides", c.provides.clone()),
            ("eligibility", c.eligibility.clone()),
            (
                "capacity",
                c.capacity.map(|n| n.to_string()).unwrap_or_default(),
            ),
            (
                "waiting_weeks",
                c.waiting_weeks.map(|n| n.to_string()).unwrap_or_default(),
            ),
            ("address", c.address.clone()),
            ("municipality", c.municipality.clone()),
            ("directions", c.directions.clone()),
            ("hours_exceptions", c.hours_exceptions.clone()),
            ("phone", c.phone.clone()),
            ("secure_mail", c.secure_mail.clone()),
            ("contact_hours", c.contact_hours.clone()),
            ("languages", c.languages.clone()),
            ("accessibility", c.accessibility.clone()),
            ("cost", c.cost.clone()),
            ("link", c.link.clone()),
            ("internal_note", c.internal_note.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        f.extend(
            c.laws
                .iter()
                .map(|l| ("laws".to_owned(), l.as_str().to_owned())),
        );
        f.extend(
            c.referrers
                .iter()
                .map(|r| ("referrers".to_owned(), r.as_str().to_owned())),
        );
        if c.self_referral {
            f.push(("self_referral".to_owned(), "on".to_owned()));
        }
        for (day, field) in HOUR_FIELDS.iter().enumerate() {
            let spans: Vec<String> = c
                .hours
                .iter()
                .filter(|o| usize::from(o.day) == day)
                .map(|o| o.span().replace('–', "-"))
                .collect();
            f.push(((*field).to_owned(), spans.join(", ")));
        }
        Self { fields: f }
    }

    /// The offer the form describes, or each fault by its field.
    pub(super) fn check(&self, chrome: &Chrome, errors: &mut FormErrors) -> Option<OfferContent> {
        let text = |name: &str| self.get(name).trim().to_owned();
        let mut number = |name: &'static str, max: u32| -> Option<u32> {
            let t = text(name);
            if t.is_empty() {
                return None;
            }
            match t.parse::<u32>() {
                Ok(n) if n <= max => Some(n),
                _ => {
                    errors.add(chrome, name, "offer-error-number");
                    None
                }
            }
        };
        let age_min = number("age_min", 120).map(|n| n as u8);
        let age_max = number("age_max", 120).map(|n| n as u8);
        let capacity = number("capacity", 100_000);
        let waiting_weeks = number("waiting_weeks", 520);
        let category = OfferCategory::parse(&text("category"));
        if category.is_none() && !text("category").is_empty() {
            errors.add(chrome, "category", "field-choose");
        }
        let mut hours = Vec::new();
        for (day, field) in HOUR_FIELDS.iter().enumerate() {
            match parse_spans(&text(field), day as u8) {
                Some(spans) => hours.extend(spans),
                None => errors.add(chrome, field, "offer-error-hours-format"),
            }
        }
        let content = OfferContent {
            name: text("name"),
            category,
            summary: text("summary"),
            description: text("description"),
            target_group: text("target_group"),
            age_min,
            age_max,
            provides: text("provides"),
            eligibility: text("eligibility"),
            laws: self.codes("laws", OfferLaw::parse),
            referrers: self.codes("referrers", ReferrerKind::parse),
            self_referral: self.has("self_referral", "on"),
            capacity,
            waiting_weeks,
            address: text("address"),
            municipality: text("municipality"),
            directions: text("directions"),
            hours,
            hours_exceptions: text("hours_exceptions"),
            phone: text("phone"),
            secure_mail: text("secure_mail"),
            contact_hours: text("contact_hours"),
            languages: text("languages"),
            accessibility: text("accessibility"),
            cost: text("cost"),
            link: text("link"),
            internal_note: text("internal_note"),
        };
        for e in content.check() {
            // Overlapping or backwards hours are named on the first day's field.
            let field = match e.field() {
                "hours" => "hours_mon",
                f => f,
            };
            errors.add(chrome, field, e.message_key());
        }
        errors.is_empty().then_some(content)
    }

    fn codes<T: PartialEq>(&self, name: &str, parse: fn(&str) -> Option<T>) -> Vec<T> {
        let mut out = Vec::new();
        for (_, v) in self.fields.iter().filter(|(k, _)| k == name) {
            if let Some(t) = parse(v)
                && !out.contains(&t)
            {
                out.push(t);
            }
        }
        out
    }
}

/// "08:00-15:00, 16:00-18:00" (or "8-15") as openings on `day`; `None` when it does not read.
fn parse_spans(text: &str, day: u8) -> Option<Vec<Opening>> {
    let mut out = Vec::new();
    for span in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (from, to) = span.split_once(['-', '–'])?;
        out.push(Opening {
            day,
            from_min: clock(from.trim())?,
            to_min: clock(to.trim())?,
        });
    }
    Some(out)
}

/// "8", "08:30" or "8.30" as minutes after midnight (24:00 allowed as the end of a day).
fn clock(s: &str) -> Option<u16> {
    let (h, m) = match s.split_once([':', '.']) {
        Some((h, m)) => (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?),
        None => (s.parse::<u16>().ok()?, 0),
    };
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

/// The directory's search, by GET: offers are public, so the query may be in the URL.
#[derive(Deserialize, Default, Clone)]
pub(super) struct DirectoryQuery {
    #[serde(default)]
    pub(super) q: String,
    #[serde(default)]
    pub(super) category: String,
    #[serde(default)]
    pub(super) municipality: String,
    #[serde(default)]
    pub(super) age: String,
    #[serde(default)]
    pub(super) referrer: String,
    #[serde(default)]
    pub(super) open_now: String,
    /// From a course: the course whose citizen the search is for (by POST only).
    #[serde(default)]
    pub(super) course: Option<i64>,
}

/// Which two versions to compare (`from` older, `to` newer); the latest change by default.
#[derive(Deserialize, Default)]
pub(super) struct CompareQuery {
    pub(super) from: Option<i64>,
    pub(super) to: Option<i64>,
}

/// Following an offer, its unit, or a category (optionally in a municipality).
#[derive(Deserialize)]
pub(super) struct FollowForm {
    pub(super) what: String,
    #[serde(default)]
    pub(super) id: i64,
    #[serde(default)]
    pub(super) category: String,
    #[serde(default)]
    pub(super) municipality: String,
    #[serde(default)]
    pub(super) on: String,
    #[serde(default)]
    pub(super) back: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_hours_are_typed_as_spans_per_day() {
        let spans = parse_spans("8-15, 16:00–18.30", 2).expect("spans");
        assert_eq!(
            spans,
            [
                Opening {
                    day: 2,
                    from_min: 480,
                    to_min: 900
                },
                Opening {
                    day: 2,
                    from_min: 960,
                    to_min: 1110
                }
            ]
        );
        assert_eq!(parse_spans("", 0), Some(vec![]));
        assert_eq!(parse_spans("8 til 15", 0), None);
        assert_eq!(parse_spans("25-26", 0), None);
        assert_eq!(parse_spans("20-24", 0).map(|s| s[0].to_min), Some(1440));
    }
}
