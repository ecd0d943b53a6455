//! Showing the care place unit's page; adding and closing beds and setting the longest stay
//! (its function leader).

use super::page::render;
use crate::access::{AuditedAccess, manage_beds};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use axum::extract::State;
use axum::response::Response;
use bro_store::{BedClosure, Conflict, StoreError};
use serde::Deserialize;

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let flash = page.flash(&chrome);
    render(&state, &access, chrome, flash, None).await
}

#[derive(Deserialize)]
pub(crate) struct BedForm {
    #[serde(default)]
    name: String,
}

pub async fn add_bed(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<BedForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = manage_beds(&state, &access).await?;
    let name = form.name.trim();
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    if name.is_empty() || name.chars().count() > 100 {
        let error = Some(chrome.t("care-error-bed-name"));
        return render(&state, &access, chrome, None, error).await;
    }
    match state.store.add_bed(&ctx, unit, name).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/care-places",
            "flash-bed-added",
        )),
        Err(StoreError::Conflict(Conflict::Name)) => {
            let error = Some(chrome.t("care-error-bed-exists"));
            render(&state, &access, chrome, None, error).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct LimitForm {
    #[serde(default)]
    days: String,
}

/// The unit's longest stay, in days (1 to 365): bookings and extensions keep within it.
pub async fn set_limit(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<LimitForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = manage_beds(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let Some(days) = form
        .days
        .trim()
        .parse()
        .ok()
        .filter(|d| (1..=365).contains(d))
    else {
        let error = Some(chrome.t("care-error-limit"));
        return render(&state, &access, chrome, None, error).await;
    };
    state.store.set_max_stay_days(&ctx, unit, days).await?;
    Ok(redirect_with_flash(
        &state,
        "/care-places",
        "flash-limit-saved",
    ))
}

#[derive(Deserialize)]
pub(crate) struct CloseForm {
    #[serde(default)]
    bed: i64,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

pub async fn close_bed(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<CloseForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = manage_beds(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let parse = |s: &str| bro_domain::plan::parse_day(s).ok();
    let closure = match (parse(&form.from), parse(&form.to)) {
        (Some(from), Some(to)) if from < to && !form.reason.trim().is_empty() => BedClosure {
            bed_id: form.bed,
            from,
            to,
            reason: form.reason.chars().take(500).collect(),
        },
        _ => {
            let error = Some(chrome.t("care-error-closure"));
            return render(&state, &access, chrome, None, error).await;
        }
    };
    match state.store.close_bed(&ctx, unit, &closure).await {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            "/care-places",
            "flash-bed-closed",
        )),
        Err(StoreError::Conflict(Conflict::BedTaken)) => {
            let error = Some(chrome.t("care-error-bed-taken"));
            render(&state, &access, chrome, None, error).await
        }
        Err(e) => Err(e.into()),
    }
}
