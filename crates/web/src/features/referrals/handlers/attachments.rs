//! A referral's attachments (a discharge letter, a statement): added by the referring team on
//! an open course or by the receiving unit while the referral is open, downloaded by whoever
//! may read the referral, each download audited. A file is a PDF, JPEG or PNG by its content.

use super::work::render;
use crate::access::{AuditedAccess, ReferralScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::http::upload::{document_type, download, shown_name};
use crate::state::AppState;
use crate::ui::page::Page;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use bro_domain::referral::Side;
use bro_store::{Attachment, Conflict};

/// The file the form sent, or the message key of what is wrong with it.
async fn uploaded(mut multipart: Multipart) -> Result<Result<Attachment, &'static str>, AppError> {
    let bad_form = |_| AppError::Conflict(Conflict::Form);
    while let Some(field) = multipart.next_field().await.map_err(bad_form)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = shown_name(field.file_name().unwrap_or_default(), "bilag");
        let bytes = field.bytes().await.map_err(bad_form)?;
        if bytes.is_empty() {
            return Ok(Err("referral-attachment-error-empty"));
        }
        return Ok(match document_type(&bytes) {
            Some(kind) => Ok(Attachment {
                name,
                content_type: kind.to_owned(),
                bytes: bytes.to_vec(),
            }),
            None => Err("referral-attachment-error-type"),
        });
    }
    Ok(Err("referral-attachment-error-empty"))
}

pub async fn add(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let read = ReferralScope::read(&state, &access, id).await?;
    // Adding is writing: the team needs its write permission on the course.
    let scope = match read.side {
        Side::Team => ReferralScope::team_step(&state, &access, id).await?,
        Side::Receiver | Side::Decider => read,
        Side::Citizen => return Err(AppError::NotFound),
    };
    let chrome = page.chrome(&state, &access.viewer, "/referrals");
    let file = if scope.facts.status.is_final() {
        Err("referral-error-not-now")
    } else {
        uploaded(multipart).await?
    };
    match file {
        Ok(file) => {
            state.store.add_attachment(&scope.ctx, id, &file).await?;
            Ok(redirect_with_flash(
                &state,
                &format!("/referrals/{id}"),
                "flash-attachment-added",
            ))
        }
        Err(key) => {
            let error = Some(chrome.t(key));
            render(&state, &access, chrome, &scope, None, error, None).await
        }
    }
}

pub async fn download_one(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, attachment)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let scope = ReferralScope::read(&state, &access, id).await?;
    let file = state.store.attachment(&scope.ctx, id, attachment).await?;
    download(&file.content_type, file.bytes, "bilag")
}
