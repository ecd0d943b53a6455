//! PDF responses. Typesetting is CPU work: it runs on the blocking pool, at most two at a time,
//! so a burst of downloads cannot starve the pages or pile up memory.

use crate::http::error::AppError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bro_render::Document;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

static TYPESETTERS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

/// Typesets `doc` and answers with it as a download named `filename` (which must carry no
/// personal data: it ends up in browser histories and download folders).
pub async fn response(doc: Document, filename: &str) -> Result<Response, AppError> {
    let _permit = TYPESETTERS
        .acquire()
        .await
        .map_err(|_| AppError::Internal("typesetting closed".into()))?;
    let bytes = tokio::task::spawn_blocking(move || bro_render::pdf(&doc))
        .await
        .map_err(|_| AppError::Internal("typesetting task failed".into()))?
        // The typesetter's message may quote the document's text: keep it out of the log.
        .map_err(|_| AppError::Internal("typesetting failed".into()))?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .map_err(|_| AppError::Internal("bad file name".into()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
