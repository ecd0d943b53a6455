//! What the course forms take: search, opening a course, phase, closing, members.

use crate::ui::{Chrome, FormErrors};
use bro_domain::Cpr;
use bro_store::CitizenQuery;
use serde::Deserialize;

/// Longest free text in these forms (reasons, next steps, contact hours).
pub(super) const MAX_TEXT: usize = 1000;

#[derive(Deserialize, Default)]
pub(super) struct SearchForm {
    #[serde(default)]
    pub(super) q: String,
}

/// What was typed: a CPR number when it has digits, else part of a name.
pub(super) fn parse_query(q: &str) -> Result<CitizenQuery, &'static str> {
    let q = q.trim();
    if q.chars().any(|c| c.is_ascii_digit()) {
        return Cpr::parse(q)
            .map(CitizenQuery::Cpr)
            .map_err(|e| e.message_key());
    }
    match q.chars().count() {
        0 => Err("search-required"),
        1 => Err("search-too-short"),
        n if n > 100 => Err("field-too-long"),
        _ => Ok(CitizenQuery::Name(q.to_owned())),
    }
}

/// How many citizens a search shows; with as many, the page asks for a narrower search.
pub(super) const SEARCH_HITS: i64 = 50;

#[derive(Deserialize)]
pub(super) struct OpenForm {
    pub(super) citizen: i64,
    /// A collaboration's id, or empty for the default phases.
    #[serde(default)]
    pub(super) collaboration: String,
}

/// `?staff_org=N`: show that organisation's staff in the member form too.
#[derive(Deserialize)]
pub(super) struct ShowQuery {
    pub(super) staff_org: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct PhaseForm {
    pub(super) from: String,
    pub(super) to: String,
}

#[derive(Deserialize, Default)]
pub(super) struct CloseForm {
    #[serde(default)]
    pub(super) reason: String,
    #[serde(default)]
    pub(super) next_step: String,
}

pub(super) fn required_text(
    chrome: &Chrome,
    errors: &mut FormErrors,
    field: &'static str,
    value: &str,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        errors.add(chrome, field, "field-required");
        None
    } else if v.chars().count() > MAX_TEXT {
        errors.add(chrome, field, "field-too-long");
        None
    } else {
        Some(v.to_owned())
    }
}

#[derive(Deserialize, Default)]
pub(super) struct MemberForm {
    /// "user id:unit id" of a staff option.
    #[serde(default)]
    pub(super) staff: String,
    #[serde(default)]
    pub(super) role: String,
    #[serde(default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) phone: String,
    #[serde(default)]
    pub(super) mail: String,
    #[serde(default)]
    pub(super) hours: String,
}

pub(super) fn valid_phone(p: &str) -> bool {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    (8..=15).contains(&digits)
        && p.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-'))
}
