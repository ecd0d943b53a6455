//! Publishing and changing offers: the editor's list of their units' offers, the form, new
//! versions (refused when someone saved in between), pausing, closing and confirming.

use super::super::forms::{HOUR_FIELDS, OfferInput};
use super::super::views::{MyOffersPage, OfferFormPage, OfferRow, UnitOffers};
use crate::access::{AdminScope, AuditedAccess, OfferEditScope};
use crate::http::error::AppError;
use crate::http::forms::{form_pairs, redirect_with_flash};
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::UnitId;
use bro_domain::offer::{OfferCategory, OfferLaw, OfferStatus, ReferrerKind};
use bro_store::{Conflict, StoreError};
use serde::Deserialize;

pub async fn mine(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/offers");
    let now = state.clock.now_ms();
    let mut units = Vec::new();
    for unit in OfferEditScope::units(&state, &access).await? {
        let offers = state.store.offers_of_units(&[unit.id]).await?;
        let offers = offers
            .iter()
            .map(|o| OfferRow::new(&chrome, o, now))
            .collect();
        units.push(UnitOffers { unit, offers });
    }
    // The administrator names editors among their organisation's staff.
    let staff = match access.viewer.active_role() {
        Some(r) if r.role == bro_domain::Role::Admin => state
            .store
            .staff_options(&[r.org_id])
            .await?
            .into_iter()
            .map(|s| (s.user_id.0, format!("{}, {}", s.name, s.unit_name)))
            .collect(),
        _ => Vec::new(),
    };
    let view = MyOffersPage {
        flash: page.flash(&chrome),
        units,
        staff,
        chrome,
    };
    html(StatusCode::OK, view)
}

#[derive(Deserialize)]
pub(crate) struct EditorForm {
    unit: i64,
    user: i64,
    #[serde(default)]
    on: String,
}

/// The administrator names (or removes) an editor of one of their organisation's units: a
/// member of staff of that organisation.
pub async fn set_editor(
    State(state): State<AppState>,
    access: AuditedAccess,
    axum::Form(form): axum::Form<EditorForm>,
) -> Result<Response, AppError> {
    let unit = state.store.unit(UnitId(form.unit)).await?;
    let AdminScope { ctx, .. } = AdminScope::of(&state, &access, unit.org_id).await?;
    let user = bro_domain::UserId(form.user);
    let user = state.store.user(&ctx, Some(unit.org_id), user).await?;
    state
        .store
        .set_offer_editor(&ctx, unit.id, user.id, form.on == "on")
        .await?;
    Ok(redirect_with_flash(&state, "/offers", "flash-offer-editor"))
}

#[derive(Deserialize)]
pub(crate) struct NewQuery {
    unit: i64,
}

/// The form, empty for a new offer of `unit_id` or filled in from `input`.
fn form_page(
    chrome: Chrome,
    errors: FormErrors,
    input: OfferInput,
    target: (Option<i64>, i64, String),
    base_version: i64,
) -> OfferFormPage {
    let (offer, unit_id, unit_name) = target;
    OfferFormPage {
        chrome,
        errors,
        input,
        action: offer.map_or_else(|| "/offers".to_owned(), |id| format!("/offers/{id}")),
        unit_id,
        unit_name,
        base_version,
        new: offer.is_none(),
        categories: OfferCategory::ALL,
        laws: OfferLaw::ALL,
        referrers: ReferrerKind::ALL,
        hour_fields: std::array::from_fn(|d| (HOUR_FIELDS[d], bro_domain::offer::WEEKDAYS[d])),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let scope = OfferEditScope::unit(&state, &access, UnitId(q.unit)).await?;
    let chrome = page.chrome(&state, &access.viewer, "/offers");
    let target = (None, scope.unit.id.0, scope.unit.name);
    let view = form_page(
        chrome,
        FormErrors::default(),
        OfferInput::default(),
        target,
        0,
    );
    html(StatusCode::OK, view)
}

pub async fn create(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let input = OfferInput::from_pairs(form_pairs(&body));
    let unit = UnitId(input.get("unit").parse().map_err(|_| AppError::NotFound)?);
    let scope = OfferEditScope::unit(&state, &access, unit).await?;
    let chrome = page.chrome(&state, &access.viewer, "/offers");
    let mut errors = FormErrors::default();
    let Some(content) = input.check(&chrome, &mut errors) else {
        let target = (None, scope.unit.id.0, scope.unit.name);
        let view = form_page(chrome, errors, input, target, 0);
        return html(StatusCode::UNPROCESSABLE_ENTITY, view);
    };
    let id = state
        .store
        .create_offer(&scope.ctx, scope.unit.id, &content)
        .await?;
    crate::services::delivery::wake(&state);
    Ok(redirect_with_flash(
        &state,
        &format!("/tilbud/{id}"),
        "flash-offer-published",
    ))
}

pub async fn edit_form(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (scope, offer) = OfferEditScope::offer(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/offers");
    let input = OfferInput::of(&offer.content);
    let target = (Some(id), scope.unit.id.0, scope.unit.name);
    let view = form_page(chrome, FormErrors::default(), input, target, offer.version);
    html(StatusCode::OK, view)
}

pub async fn change(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let (scope, offer) = OfferEditScope::offer(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/offers");
    let input = OfferInput::from_pairs(form_pairs(&body));
    let base: i64 = input.get("base_version").parse().unwrap_or(0);
    let mut errors = FormErrors::default();
    let target = (Some(id), scope.unit.id.0, scope.unit.name.clone());
    let Some(content) = input.check(&chrome, &mut errors) else {
        let view = form_page(chrome, errors, input, target, base);
        return html(StatusCode::UNPROCESSABLE_ENTITY, view);
    };
    let important = input.has("important", "on");
    match state
        .store
        .change_offer(&scope.ctx, id, base, &content, important)
        .await
    {
        Ok(_) => {
            // Followers who chose e-mail get theirs from the delivery worker.
            crate::services::delivery::wake(&state);
            Ok(redirect_with_flash(
                &state,
                &format!("/tilbud/{id}"),
                "flash-offer-changed",
            ))
        }
        Err(StoreError::Conflict(Conflict::Offer)) => {
            // Someone saved in between: what was typed stays, against the newer version.
            errors.add(&chrome, "name", "offer-error-changed");
            let view = form_page(chrome, errors, input, target, offer.version);
            html(StatusCode::CONFLICT, view)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct StatusForm {
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<StatusForm>,
) -> Result<Response, AppError> {
    let (scope, _) = OfferEditScope::offer(&state, &access, id).await?;
    let status = OfferStatus::parse(&form.status).ok_or(AppError::NotFound)?;
    state.store.set_offer_status(&scope.ctx, id, status).await?;
    crate::services::delivery::wake(&state);
    Ok(redirect_with_flash(
        &state,
        &format!("/tilbud/{id}"),
        "flash-offer-status",
    ))
}

pub async fn confirm(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (scope, _) = OfferEditScope::offer(&state, &access, id).await?;
    state.store.confirm_offer(&scope.ctx, id).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/tilbud/{id}"),
        "flash-offer-confirmed",
    ))
}
