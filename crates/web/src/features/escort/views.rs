//! The escort pages: asking for escort, the escort service's list, and one request there.

use super::forms::{AcceptForm, AskForm, DeclineForm, TimeForm};
use crate::ui::escort::escort_status;
use crate::ui::{Chrome, FormErrors, spoken_when, spoken_when_within};
use askama::Template;
use bro_domain::Timestamp;
use bro_domain::escort::{EscortStatus, answer_due, is_late};
use bro_store::EscortListItem;

#[derive(Template)]
#[template(path = "escort/ask.html")]
pub(super) struct AskPage {
    pub(super) chrome: Chrome,
    /// "Tirsdag 3. marts kl. 10.00" and where.
    pub(super) when: String,
    pub(super) place: String,
    /// Where the form is sent, and where "back" leads.
    pub(super) action: String,
    pub(super) back: String,
    pub(super) services: Vec<(String, String)>,
    pub(super) form: AskForm,
    pub(super) errors: FormErrors,
}

/// A request on the escort service's list, in words.
pub(super) struct ServiceRow {
    pub(super) id: i64,
    pub(super) citizen: String,
    /// The appointment: when and where.
    pub(super) when: String,
    pub(super) place: String,
    pub(super) video: bool,
    /// "Anmodet 1. marts kl. 9.12 af Mette Holm".
    pub(super) asked: String,
    pub(super) note: String,
    /// "Svar senest torsdag 4. marts kl. 10.00".
    pub(super) due: String,
    /// Open, and its answer is due: flagged.
    pub(super) late: bool,
    /// The answer in words.
    pub(super) status: String,
    pub(super) open: bool,
    /// Accepted, begun, no time recorded yet.
    pub(super) to_record: bool,
}

impl ServiceRow {
    pub(super) fn of(chrome: &Chrome, item: &EscortListItem, now: Timestamp) -> Self {
        let r = &item.request;
        let asker = if r.by_citizen {
            chrome.t("escort-asked-by-citizen")
        } else {
            r.requested_by.clone()
        };
        ServiceRow {
            id: r.id,
            citizen: item.citizen_name.clone(),
            when: spoken_when(chrome, item.starts_ms),
            place: item.place.clone(),
            video: item.video,
            asked: chrome.tn(
                "escort-asked",
                &[("when", crate::ui::when(r.requested_ms)), ("by", asker)],
            ),
            note: r.note.clone(),
            due: chrome.t1(
                "escort-due",
                "when",
                &spoken_when_within(chrome, answer_due(item.starts_ms)),
            ),
            late: is_late(r.status, item.starts_ms, now),
            status: if item.cancelled {
                chrome.t("escort-appointment-cancelled")
            } else {
                escort_status(chrome, r, item.version)
            },
            open: r.status == EscortStatus::Open && !item.cancelled,
            to_record: r.status == EscortStatus::Accepted
                && !item.cancelled
                && r.minutes_spent.is_none()
                && item.starts_ms <= now,
        }
    }
}

#[derive(Template)]
#[template(path = "escort/service.html")]
pub(super) struct ServicePage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) unit: String,
    pub(super) open: Vec<ServiceRow>,
    pub(super) accepted: Vec<ServiceRow>,
    pub(super) late: usize,
}

#[derive(Template)]
#[template(path = "escort/request.html")]
pub(super) struct RequestPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) row: ServiceRow,
    pub(super) accept: AcceptForm,
    pub(super) decline: DeclineForm,
    pub(super) time: TimeForm,
    pub(super) errors: FormErrors,
}
