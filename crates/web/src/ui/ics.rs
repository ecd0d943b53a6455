//! An iCalendar answer: a feed that calendar programs poll, or one entry as a download.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// `body` as `text/calendar`, never cached; with `download`, as a file of that name.
pub(crate) fn ics(body: String, download: Option<&str>) -> Response {
    let mut res = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        body,
    )
        .into_response();
    if let Some(name) = download
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
