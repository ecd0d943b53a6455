//! A team's meeting series, made from the form on the team's page.

use super::super::forms::SeriesForm;
use super::teams::{Refused, back, render};
use crate::access::AuditedAccess;
use crate::access::TeamScope;
use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors};
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::TeamId;
use bro_store::{Conflict, StoreError};

/// Makes a meeting series: every N weeks at a fixed local time, up to a last date.
pub async fn create_series(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let form = SeriesForm::parse(&body);
    let new = match form.validate(&chrome, &view.team) {
        Ok(new) => new,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return refuse(&state, &access, chrome, view, errors, form, status).await;
        }
    };
    match state.store.create_series(&ctx, new).await {
        Ok(_) => Ok(back(&state, id, "flash-series-created")),
        Err(StoreError::Conflict(Conflict::Overlap)) => {
            let mut errors = FormErrors::default();
            errors.add(&chrome, "first_date", "meeting-error-overlap");
            refuse(
                &state,
                &access,
                chrome,
                view,
                errors,
                form,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Re-shows the team's page with the series form as it was sent.
async fn refuse(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    view: TeamScope,
    errors: FormErrors,
    series: SeriesForm,
    status: StatusCode,
) -> Result<Response, AppError> {
    let refused = Refused {
        errors,
        series,
        ..Refused::default()
    };
    render(state, access, chrome, None, view, refused, status).await
}
