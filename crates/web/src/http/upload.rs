//! Uploaded documents (a signed consent, a referral's attachment): what kind a file is, by its
//! first bytes and never by its name or the browser's word; a name fit to show back; and the
//! download answer, which never names the file after a person.

use crate::http::error::AppError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The kinds of document accepted: PDF, JPEG and PNG.
pub(crate) fn document_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// The uploaded file's name as it is shown back: short and printable, or `fallback`.
pub(crate) fn shown_name(file_name: &str, fallback: &str) -> String {
    let clean: String = file_name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .take(120)
        .collect();
    if clean.trim().is_empty() {
        fallback.to_owned()
    } else {
        clean
    }
}

/// A stored document as a download named `file_name` (a fixed word, not the upload's name).
pub(crate) fn download(
    content_type: &str,
    bytes: Vec<u8>,
    file_name: &'static str,
) -> Result<Response, AppError> {
    let content_type = HeaderValue::from_str(content_type)
        .map_err(|_| AppError::Internal("bad content type".into()))?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .map_err(|_| AppError::Internal("bad file name".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
