//! The referral pages: the new referral form, one referral with its history and the steps the
//! viewer may take, the receiving unit's queue, a course's referrals and the citizen's own.

use super::forms::NewReferralForm;
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_domain::care_place::{AgreementText, NextStep};
use bro_domain::offer::OfferLaw;
use bro_domain::referral::{ReferralAction, Side, Urgency, step};
use bro_store::{Bed, Offer, Referral, ReferralEvent, Stay, StayEvent};

/// One referral in a list or on its page, in words.
pub(super) struct ReferralRow {
    pub(super) id: i64,
    pub(super) citizen: String,
    pub(super) offer_id: i64,
    pub(super) offer: String,
    pub(super) to: String,
    pub(super) from: String,
    pub(super) status: String,
    /// In plain words, for the citizen.
    pub(super) status_plain: String,
    pub(super) urgency: String,
    pub(super) urgent: bool,
    pub(super) created: String,
    /// Days from reaching the receiving unit to its decision, or until now.
    pub(super) waited_days: i64,
    pub(super) decision: Option<String>,
    pub(super) decision_reason: String,
}

impl ReferralRow {
    pub(super) fn new(chrome: &Chrome, r: &Referral, now: i64) -> Self {
        let f = &r.facts;
        let since = r.requested_ms.unwrap_or(r.created_ms);
        let decision = r.decided_ms.map(|at| {
            let law = r
                .decision_law
                .map(|l| format!(" ({})", chrome.t(l.label_key())))
                .unwrap_or_default();
            let by = r.decided_by.clone().unwrap_or_default();
            format!(
                "{}{law}",
                chrome.tn(
                    "referral-decided-by",
                    &[("who", by), ("date", crate::ui::local_date(at))]
                )
            )
        });
        ReferralRow {
            id: f.id,
            citizen: r.citizen_name.clone(),
            offer_id: r.offer_id,
            offer: r.offer_name.clone(),
            to: format!("{}, {}", r.receiving_unit, r.receiving_org),
            from: format!(
                "{}, {} ({})",
                r.referrer_name,
                r.referrer_org,
                chrome.t(r.referrer_kind.label_key())
            ),
            status: chrome.t(f.status.label_key()),
            status_plain: chrome.t1(
                &format!("referral-plain-{}", f.status.as_str()),
                "unit",
                &r.receiving_unit,
            ),
            urgency: chrome.t(r.urgency.label_key()),
            urgent: r.urgency != Urgency::Routine,
            created: crate::ui::local_date(r.created_ms),
            waited_days: (r.decided_ms.unwrap_or(now) - since).max(0) / (24 * 3_600_000),
            decision,
            decision_reason: r.decision_reason.clone(),
        }
    }
}

/// One step of the history, in words.
pub(super) struct EventRow {
    pub(super) when: String,
    pub(super) who: String,
    pub(super) what: String,
    pub(super) note: String,
}

impl EventRow {
    pub(super) fn new(chrome: &Chrome, e: &ReferralEvent) -> Self {
        let who = match (e.who.is_empty(), e.org.is_empty()) {
            (true, _) => chrome.t("referral-by-citizen"),
            (false, true) => e.who.clone(),
            (false, false) => format!("{}, {}", e.who, e.org),
        };
        EventRow {
            when: crate::ui::local_time(e.at_ms),
            who,
            what: format!(
                "{} → {}",
                chrome.t(e.action.label_key()),
                chrome.t(e.to.label_key())
            ),
            note: e.note.clone(),
        }
    }
}

/// The steps `side` may take on `r` now, in the order they are offered.
pub(super) fn actions_for(r: &Referral, side: Side) -> Vec<ReferralAction> {
    ReferralAction::ALL
        .iter()
        .copied()
        .filter(|a| *a != ReferralAction::Create)
        .filter(|a| step(r.facts.status, r.facts.held_from, *a, side, "x").is_ok())
        .collect()
}

#[derive(Template)]
#[template(path = "referrals/new.html")]
pub(super) struct NewReferralPage {
    pub(super) chrome: Chrome,
    pub(super) course_id: i64,
    pub(super) offer: Offer,
    /// Who may refer to the offer, in words, when the viewer may not.
    pub(super) refused: Option<String>,
    pub(super) form: NewReferralForm,
    pub(super) errors: FormErrors,
    pub(super) urgencies: &'static [Urgency],
}

#[derive(Template)]
#[template(path = "referrals/show.html")]
pub(super) struct ReferralPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) row: ReferralRow,
    pub(super) referral: Referral,
    pub(super) events: Vec<EventRow>,
    pub(super) actions: Vec<ReferralAction>,
    /// Who decides, in words; shown to those who can only recommend.
    pub(super) decider: String,
    pub(super) laws: &'static [OfferLaw],
    /// Other offers a rejection may name: id and name.
    pub(super) alternatives: Vec<(i64, String)>,
    /// Named on the decision.
    pub(super) named: Vec<(i64, String)>,
    pub(super) error: Option<String>,
    /// (id, name, size, who and when) of each attachment.
    pub(super) attachments: Vec<(i64, String, String, String)>,
    pub(super) can_attach: bool,
    pub(super) show_course: bool,
    /// The viewer is of the receiving unit without the deciding role.
    pub(super) recommend_only: bool,
    /// The stay booked on it, and what the viewer may do with care places.
    pub(super) stay: Option<StayView>,
    pub(super) booking: Option<BookingForm>,
    pub(super) can_change_stay: bool,
    pub(super) next_steps: &'static [NextStep],
    pub(super) agreement: Option<AgreementView>,
}

/// The stay's extended collaboration agreement: its latest text, its versions, the next review,
/// and the form for the next version.
pub(super) struct AgreementView {
    pub(super) latest: Option<AgreementText>,
    pub(super) base_version: i64,
    /// (version, day or "drafted", who and when, principles in words).
    pub(super) versions: Vec<(i64, String, String, String)>,
    /// The next review meeting's day, once one is planned.
    pub(super) next_review: Option<String>,
    /// The review meetings a review may be written for: (day, in words, chosen).
    pub(super) review_days: Vec<(String, String, bool)>,
    pub(super) overdue: bool,
    /// The form's text: the latest, or the proposal for a first draft.
    pub(super) form: AgreementText,
    /// The seven principles: (field, label, score chosen).
    pub(super) principles: Vec<(String, String, u8)>,
    pub(super) can_write: bool,
    /// The course plan's goals, when the viewer may read the plan: the stay's goals are these.
    pub(super) plan_goals: Option<Vec<String>>,
    pub(super) course_id: i64,
}

/// A booked stay in words.
pub(super) struct StayView {
    pub(super) version: i64,
    pub(super) bed: String,
    pub(super) start: String,
    pub(super) end: String,
    pub(super) end_iso: String,
    pub(super) arrived: bool,
    pub(super) next_step: Option<String>,
    pub(super) history: Vec<(String, String, String)>,
}

impl StayView {
    pub(super) fn new(chrome: &Chrome, stay: &Stay, events: &[StayEvent]) -> Self {
        StayView {
            version: stay.version,
            bed: stay.bed.clone(),
            start: crate::ui::day_text(stay.start),
            end: crate::ui::day_text(stay.end),
            end_iso: stay.end.to_string(),
            arrived: stay.arrived_ms.is_some(),
            next_step: stay.next_step.map(|n| chrome.t(n.label_key())),
            history: events
                .iter()
                .map(|e| {
                    (
                        crate::ui::local_time(e.at_ms),
                        chrome.t(e.action.label_key()),
                        if e.note.is_empty() {
                            e.who.clone()
                        } else {
                            format!("{}: {}", e.who, e.note)
                        },
                    )
                })
                .collect(),
        }
    }
}

/// The booking form of an accepted referral: the unit's beds and the days, as typed.
pub(super) struct BookingForm {
    pub(super) beds: Vec<Bed>,
    pub(super) bed: i64,
    pub(super) start: String,
    pub(super) end: String,
}

impl ReferralPage {
    pub(super) fn is_decision(&self, a: &ReferralAction) -> bool {
        matches!(a, ReferralAction::Accept | ReferralAction::Reject)
    }
}

#[derive(Template)]
#[template(path = "referrals/queue.html")]
pub(super) struct QueuePage {
    pub(super) chrome: Chrome,
    pub(super) unit: String,
    pub(super) rows: Vec<ReferralRow>,
}

#[derive(Template)]
#[template(path = "referrals/course.html")]
pub(super) struct CourseReferralsPage {
    pub(super) chrome: Chrome,
    pub(super) course_id: i64,
    pub(super) rows: Vec<ReferralRow>,
}

/// One of the citizen's referrals, with its history and whether it waits for their word.
pub(super) struct OwnReferral {
    pub(super) row: ReferralRow,
    pub(super) version: i64,
    pub(super) wishes: String,
    pub(super) can_confirm: bool,
    /// The days of the place booked for them, in words.
    pub(super) stay: Option<String>,
}

#[derive(Template)]
#[template(path = "referrals/own.html")]
pub(super) struct OwnReferralsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) referrals: Vec<OwnReferral>,
}
