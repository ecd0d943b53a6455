//! The interface language of a request: the `bro_lang` cookie, Danish when absent.

use crate::http::session::cookie_value;
use axum::http::HeaderMap;
use bro_domain::Language;

pub const LANG_COOKIE: &str = "bro_lang";

pub fn language(headers: &HeaderMap) -> Language {
    cookie_value(headers, LANG_COOKIE)
        .and_then(|v| Language::parse(&v))
        .unwrap_or_default()
}
