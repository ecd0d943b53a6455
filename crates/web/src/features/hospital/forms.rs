//! What the hospital admin forms take: an API client's name and the organisation's SOR id.

use crate::ui::{Chrome, FormErrors};
use serde::Deserialize;

/// A client's name says which system it is ("Region Midtjyllands beskedformidler").
const MAX_CLIENT_NAME: usize = 100;

#[derive(Deserialize, Default)]
pub(super) struct ClientForm {
    #[serde(default)]
    pub(super) name: String,
}

impl ClientForm {
    pub(super) fn parse(&self, chrome: &Chrome, errors: &mut FormErrors) -> Option<String> {
        let name = self.name.trim();
        if name.is_empty() {
            errors.add(chrome, "name", "field-required");
            None
        } else if name.chars().count() > MAX_CLIENT_NAME {
            errors.add(chrome, "name", "hospital-client-name-too-long");
            None
        } else {
            Some(name.to_owned())
        }
    }
}

#[derive(Deserialize, Default)]
pub(super) struct SorForm {
    #[serde(default)]
    pub(super) sor: String,
}

impl SorForm {
    /// The SOR id (digits, as the SOR register gives them), `Some(None)` to clear it, or `None`
    /// with an error.
    pub(super) fn parse(&self, chrome: &Chrome, errors: &mut FormErrors) -> Option<Option<String>> {
        let sor = self.sor.trim();
        if sor.is_empty() {
            return Some(None);
        }
        if (6..=20).contains(&sor.len()) && sor.bytes().all(|b| b.is_ascii_digit()) {
            Some(Some(sor.to_owned()))
        } else {
            errors.add(chrome, "sor", "hospital-sor-invalid");
            None
        }
    }
}
