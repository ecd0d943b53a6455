//! Bro's own address, for links that leave the browser: calendar feeds, e-mails, the API a
//! message broker is pointed at.

use crate::state::AppState;
use axum::http::{HeaderMap, header};

/// Bro's address as the browser reached it, for links in feeds and e-mails.
pub(crate) fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    if !state.config.public_url.is_empty() {
        return state.config.public_url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}
