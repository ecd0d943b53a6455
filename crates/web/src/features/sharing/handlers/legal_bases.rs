//! Legal bases for sharing without consent (e.g. the Mental Health Act), recorded and ended
//! by the course's coordinator on the team's consent page.

use super::super::forms::{ConsentInput, LegalBasisInput};
use super::consents::{known_orgs, staff_page};
use crate::access::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::http::forms::{form_pairs, redirect_with_flash};
use crate::state::AppState;
use crate::ui::FormErrors;
use crate::ui::page::Page;
use axum::extract::{Path, RawForm, State};
use axum::response::Response;
use bro_store::StoreError;

/// The coordinator records a legal basis for sharing without consent.
pub async fn record(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let input = LegalBasisInput::from_pairs(form_pairs(&body));
    let known = known_orgs(&state).await?;
    let mut errors = FormErrors::default();
    let Some(new) = input.check(&chrome, &mut errors, &a, &known) else {
        let inputs = (ConsentInput::default(), input);
        return staff_page(&state, chrome, &ctx, &a, None, errors, inputs).await;
    };
    state.store.record_legal_basis(&ctx, new).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}/consents"),
        "flash-legal-basis-recorded",
    ))
}

/// The coordinator ends a legal basis before its end date.
pub async fn end(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, basis)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    match state.store.end_legal_basis(&ctx, a.citizen_id, basis).await {
        Ok(()) | Err(StoreError::Conflict(_)) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}/consents"),
            "flash-legal-basis-ended",
        )),
        Err(e) => Err(e.into()),
    }
}
