//! The directory's pages: search, one offer, its versions and changes, the editor's list and
//! the offer form.

use super::forms::{DirectoryQuery, OfferInput};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_domain::offer::{
    Change, OfferCategory, OfferContent, OfferLaw, OfferStatus, ReferrerKind, WEEKDAYS,
};
use bro_store::{ExternalOffer, Offer, Unit};

/// An offer unconfirmed for this long is flagged to its editors.
pub(super) const STALE_MS: i64 = 182 * 24 * 3_600_000;

/// One offer in a list.
pub(super) struct OfferRow {
    pub(super) id: i64,
    /// Its page: Bro's own offers at `/tilbud/{id}`, other directories' apart.
    pub(super) href: String,
    pub(super) name: String,
    pub(super) by: String,
    pub(super) category: String,
    pub(super) summary: String,
    pub(super) waiting: Option<String>,
    pub(super) capacity: Option<String>,
    pub(super) open_now: bool,
    pub(super) status: String,
    pub(super) active: bool,
    /// Not confirmed by its unit for half a year.
    pub(super) stale: bool,
}

impl OfferRow {
    pub(super) fn new(chrome: &Chrome, o: &Offer, now: i64) -> Self {
        OfferRow {
            id: o.id,
            href: format!("/tilbud/{}", o.id),
            by: format!("{}, {}", o.unit_name, o.org_name),
            stale: now - o.confirmed_ms > STALE_MS,
            ..Self::of_content(chrome, &o.content, o.status, now)
        }
    }

    /// Another directory's offer: never flagged stale, since Bro does not ask its unit.
    pub(super) fn external(chrome: &Chrome, o: &ExternalOffer, now: i64) -> Self {
        OfferRow {
            id: o.id,
            href: format!("/tilbud/ekstern/{}", o.id),
            by: o.org_name.clone(),
            ..Self::of_content(chrome, &o.content, o.status, now)
        }
    }

    fn of_content(chrome: &Chrome, c: &OfferContent, status: OfferStatus, now: i64) -> Self {
        let (day, minute) = crate::ui::weekday_minute(now);
        OfferRow {
            id: 0,
            href: String::new(),
            by: String::new(),
            name: c.name.clone(),
            category: c
                .category
                .map(|k| chrome.t(k.label_key()))
                .unwrap_or_default(),
            summary: c.summary.clone(),
            waiting: c
                .waiting_weeks
                .map(|w| chrome.t1("offer-waiting-weeks", "weeks", &w.to_string())),
            capacity: c.capacity.map(|n| n.to_string()),
            open_now: c.open_at(day, minute),
            status: chrome.t(status.label_key()),
            active: status == OfferStatus::Active,
            stale: false,
        }
    }
}

#[derive(Template)]
#[template(path = "offers/directory.html")]
pub(super) struct DirectoryPage {
    pub(super) chrome: Chrome,
    /// For a course's citizen the search goes by POST, so their age and municipality never
    /// reach a URL.
    pub(super) for_course: Option<i64>,
    /// A member of staff: the page links to the offers they edit.
    pub(super) staff: bool,
    pub(super) query: DirectoryQuery,
    pub(super) rows: Option<Vec<OfferRow>>,
    /// Other directories' offers that match, shown apart.
    pub(super) external_rows: Vec<OfferRow>,
    pub(super) categories: &'static [OfferCategory],
    pub(super) referrers: &'static [ReferrerKind],
}

/// Another directory's offer, read-only: what Bro read from its source.
#[derive(Template)]
#[template(path = "offers/external.html")]
pub(super) struct ExternalPage {
    pub(super) chrome: Chrome,
    pub(super) offer: ExternalOffer,
    pub(super) row: OfferRow,
    pub(super) hours: Vec<HoursRow>,
    /// Whose offer it is, when they last changed it and when Bro read it.
    pub(super) note: String,
}

/// One day's opening hours in words.
pub(super) struct HoursRow {
    pub(super) day: String,
    pub(super) spans: String,
}

#[derive(Template)]
#[template(path = "offers/offer.html")]
pub(super) struct OfferPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) offer: Offer,
    pub(super) row: OfferRow,
    pub(super) laws: Vec<String>,
    pub(super) referrers: Vec<String>,
    pub(super) hours: Vec<HoursRow>,
    pub(super) confirmed: String,
    /// A member of staff: sees the internal note and may follow the offer.
    pub(super) staff: bool,
    pub(super) following: bool,
    pub(super) following_unit: bool,
    pub(super) editor: bool,
    /// The latest change its editor marked important: when, and what changed, in words.
    pub(super) important: Option<(String, Vec<String>)>,
    /// When outreach staff are at the centre, in words.
    pub(super) attendance: Vec<String>,
}

impl OfferPage {
    pub(super) fn hours_of(chrome: &Chrome, content: &OfferContent) -> Vec<HoursRow> {
        (0..7u8)
            .filter_map(|d| {
                let spans: Vec<String> = content
                    .hours
                    .iter()
                    .filter(|o| o.day == d)
                    .map(|o| o.span())
                    .collect();
                (!spans.is_empty()).then(|| HoursRow {
                    day: chrome.t(&format!("weekday-{}", WEEKDAYS[usize::from(d)])),
                    spans: spans.join(", "),
                })
            })
            .collect()
    }

    /// The follow buttons: (what, its id, whether pressing follows, the label's key).
    pub(super) fn follow_buttons(&self) -> [(&'static str, i64, bool, &'static str); 2] {
        [
            ("offer", self.offer.id, !self.following, "offer-follow"),
            (
                "unit",
                self.offer.unit_id.0,
                !self.following_unit,
                "offer-follow-unit",
            ),
        ]
    }

    /// The status changes the offer can make now: (status code, button's key).
    pub(super) fn status_moves(&self) -> Vec<(&'static str, &'static str)> {
        [
            (OfferStatus::Active, "offer-reopen"),
            (OfferStatus::Paused, "offer-pause"),
            (OfferStatus::Closed, "offer-close"),
        ]
        .into_iter()
        .filter(|(s, _)| *s != self.offer.status)
        .map(|(s, key)| (s.as_str(), key))
        .collect()
    }

    pub(super) fn labels_of_laws(chrome: &Chrome, laws: &[OfferLaw]) -> Vec<String> {
        laws.iter().map(|l| chrome.t(l.label_key())).collect()
    }
}

/// One version in the history.
pub(super) struct VersionRow {
    pub(super) version: i64,
    pub(super) who: String,
    pub(super) when: String,
    pub(super) status: String,
    pub(super) important: bool,
}

#[derive(Template)]
#[template(path = "offers/versions.html")]
pub(super) struct VersionsPage {
    pub(super) chrome: Chrome,
    pub(super) offer_id: i64,
    pub(super) name: String,
    pub(super) versions: Vec<VersionRow>,
    /// The changes from `from` to `to`, in plain words.
    pub(super) changes: Vec<String>,
    pub(super) from: i64,
    pub(super) to: i64,
}

/// A change in plain words: "Ventetid i uger ændret fra 4 til 6".
pub(super) fn change_words(chrome: &Chrome, c: &Change) -> String {
    let field = chrome.t(&format!("offer-field-{}", c.field));
    let words = |v: &str| value_words(chrome, c.field, v);
    match (c.from.is_empty(), c.to.is_empty()) {
        (true, _) => chrome.tn(
            "offer-change-set",
            &[("field", field), ("to", words(&c.to))],
        ),
        (_, true) => chrome.tn(
            "offer-change-removed",
            &[("field", field), ("from", words(&c.from))],
        ),
        _ => chrome.tn(
            "offer-change",
            &[
                ("field", field),
                ("from", words(&c.from)),
                ("to", words(&c.to)),
            ],
        ),
    }
}

/// A value of `field` as text: codes by their names, yes and no, weekdays by name.
fn value_words(chrome: &Chrome, field: &str, v: &str) -> String {
    let list = |parse: &dyn Fn(&str) -> Option<String>| {
        v.split(", ")
            .map(|code| parse(code).unwrap_or_else(|| code.to_owned()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match field {
        "category" => list(&|c| OfferCategory::parse(c).map(|k| chrome.t(k.label_key()))),
        "laws" => list(&|c| OfferLaw::parse(c).map(|k| chrome.t(k.label_key()))),
        "referrers" => list(&|c| ReferrerKind::parse(c).map(|k| chrome.t(k.label_key()))),
        "self_referral" => chrome.t(if v == "true" { "yes" } else { "no" }),
        "hours" => WEEKDAYS.iter().fold(v.to_owned(), |acc, d| {
            acc.replace(
                &format!("{d} "),
                &format!("{} ", chrome.t(&format!("weekday-{d}"))),
            )
        }),
        _ => v.to_owned(),
    }
}

/// One unit's offers on the editor's page.
pub(super) struct UnitOffers {
    pub(super) unit: Unit,
    pub(super) offers: Vec<OfferRow>,
}

#[derive(Template)]
#[template(path = "offers/mine.html")]
pub(super) struct MyOffersPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) units: Vec<UnitOffers>,
    /// For the administrator: the staff they may name editors, (user id, label).
    pub(super) staff: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "offers/form.html")]
pub(super) struct OfferFormPage {
    pub(super) chrome: Chrome,
    pub(super) errors: FormErrors,
    pub(super) input: OfferInput,
    /// Where the form posts: `/offers` for a new offer, `/offers/{id}` for a change.
    pub(super) action: String,
    pub(super) unit_id: i64,
    pub(super) unit_name: String,
    pub(super) base_version: i64,
    pub(super) new: bool,
    pub(super) categories: &'static [OfferCategory],
    pub(super) laws: &'static [OfferLaw],
    pub(super) referrers: &'static [ReferrerKind],
    pub(super) hour_fields: [(&'static str, &'static str); 7],
}

impl OfferFormPage {
    /// The label key of a field of the form.
    pub(super) fn label(&self, field: &str) -> String {
        format!("offer-field-{field}")
    }

    /// The label key of a weekday's opening hours.
    pub(super) fn weekday(&self, day: &str) -> String {
        format!("weekday-{day}")
    }
}
