//! Where the unit's fortnightly reviews are held: the function leader chooses the meeting
//! series, among those of the unit's organisation's teams.

use super::page::render;
use crate::access::{AuditedAccess, manage_beds};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub(crate) struct SeriesForm {
    #[serde(default)]
    series: i64,
}

/// Chooses the series whose meetings are the unit's reviews: one of its organisation's teams'.
pub async fn set_series(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<SeriesForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = manage_beds(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let org = state.store.unit(unit).await?.org_id;
    let choices = state.store.series_choices(org).await?;
    if !choices.iter().any(|s| s.id == form.series) {
        let error = Some(chrome.t("care-error-review-series"));
        return render(&state, &access, chrome, None, error).await;
    }
    state
        .store
        .set_review_series(&ctx, unit, form.series)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/care-places",
        "flash-review-series-saved",
    ))
}
