//! The course's outreach contacts page.

use crate::ui::{Chrome, FormErrors};
use askama::Template;

/// One contact in words.
pub(super) struct ContactRow {
    pub(super) id: i64,
    pub(super) when: String,
    pub(super) place: String,
    pub(super) offer: Option<(i64, String)>,
    pub(super) what: String,
    pub(super) next_step: String,
    pub(super) worsening: bool,
    pub(super) by: String,
}

/// The form as typed.
#[derive(Default, serde::Deserialize)]
pub(super) struct ContactForm {
    #[serde(default)]
    pub(super) place: String,
    #[serde(default)]
    pub(super) offer: String,
    #[serde(default)]
    pub(super) what: String,
    #[serde(default)]
    pub(super) next_step: String,
    #[serde(default)]
    pub(super) worsening: String,
}

#[derive(Template)]
#[template(path = "outreach/contacts.html")]
pub(super) struct ContactsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) course_id: i64,
    pub(super) rows: Vec<ContactRow>,
    pub(super) can_write: bool,
    /// On the course's care team (not only through a target-group list).
    pub(super) on_team: bool,
    /// Drop-in centres of the directory in the citizen's municipality: id and name.
    pub(super) drop_ins: Vec<(i64, String)>,
    /// The care place offer a worsening is referred to, if the area has one.
    pub(super) care_place: Option<i64>,
    pub(super) places: &'static [&'static str],
    pub(super) form: ContactForm,
    pub(super) errors: FormErrors,
}
