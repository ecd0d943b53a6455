//! The hospital admin page.

use super::forms::{ClientForm, SorForm};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_store::{HospitalClient, ReceivedMessage};

pub(super) struct ClientRow {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) created: String,
    pub(super) created_by: String,
    /// When it was revoked, in words; `None` while it works.
    pub(super) revoked: Option<String>,
}

impl ClientRow {
    pub(super) fn of(chrome: &Chrome, c: HospitalClient) -> Self {
        Self {
            id: c.id,
            name: c.name,
            created: chrome.when(&c.created_ms),
            created_by: c.created_by,
            revoked: c.revoked_ms.map(|ms| chrome.when(&ms)),
        }
    }
}

pub(super) struct MessageRow {
    pub(super) received: String,
    pub(super) channel: String,
    pub(super) message_id: String,
    pub(super) outcome: String,
    pub(super) reason: String,
}

impl MessageRow {
    pub(super) fn of(chrome: &Chrome, m: ReceivedMessage) -> Self {
        let channel = match m.channel.as_str() {
            "api" => chrome.t("hospital-channel-api"),
            "manual" => chrome.t("hospital-channel-manual"),
            _ => chrome.t("hospital-channel-file"),
        };
        let outcome = match m.outcome.as_str() {
            "unmatched" => chrome.t("hospital-outcome-unmatched"),
            _ => chrome.t("hospital-outcome-rejected"),
        };
        Self {
            received: chrome.when(&m.received_ms),
            channel,
            message_id: m.message_id.unwrap_or_default(),
            outcome,
            reason: m.reason,
        }
    }
}

/// A token just made: shown this once, with where to use it.
pub(super) struct NewToken {
    pub(super) name: String,
    pub(super) token: String,
    pub(super) endpoint: String,
}

#[derive(Template)]
#[template(path = "hospital/admin.html")]
pub(super) struct HospitalAdminPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) org_name: String,
    pub(super) sor: SorForm,
    pub(super) client: ClientForm,
    pub(super) new_token: Option<NewToken>,
    pub(super) clients: Vec<ClientRow>,
    pub(super) messages: Vec<MessageRow>,
}
