//! The citizen's own consent page: their consents and the legal bases that apply to them, a
//! consent given digitally in Bro, and a withdrawal at any time, which takes effect on the
//! very next request.

use super::super::forms::ConsentInput;
use super::super::views::{ConsentRow, LegalBasisRow, MeConsentsPage};
use super::consents::{confirmed, document_response, known_orgs, withdrawn};
use crate::access::{AuditedAccess, CitizenScope};
use crate::http::error::AppError;
use crate::http::forms::{form_pairs, redirect_with_flash};
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::consent::{ConsentForm, GivenBy};
use bro_domain::{OrgId, ShareCategory};

/// The citizen's consent page; `errors` and `input` say what a refused form sent.
async fn me_page(
    state: &AppState,
    chrome: Chrome,
    access: &AuditedAccess,
    flash: Option<String>,
    errors: FormErrors,
    input: ConsentInput,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(state, access).await?;
    let now = state.clock.now_ms();
    let consents = state.store.consents(&ctx, citizen).await?;
    // The citizen gives consent to the organisations of their team.
    let mut orgs: Vec<(OrgId, String)> = Vec::new();
    if let Some(course) = state.store.open_course_of(citizen).await? {
        for m in state.store.course(&ctx, course).await?.team {
            if !orgs.iter().any(|(id, _)| *id == m.org_id) {
                orgs.push((m.org_id, m.org_name));
            }
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let rows: Vec<ConsentRow> = consents
        .iter()
        .map(|c| ConsentRow::new(&chrome, c, now))
        .collect();
    let bases = state
        .store
        .legal_bases(&ctx, citizen)
        .await?
        .iter()
        .map(|b| LegalBasisRow::new(&chrome, b, now))
        .collect();
    html(
        status,
        MeConsentsPage {
            flash,
            rows,
            bases,
            orgs,
            categories: ShareCategory::ALL,
            errors,
            input,
            chrome,
        },
    )
}

pub async fn mine(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/me");
    let flash = page.flash(&chrome);
    me_page(
        &state,
        chrome,
        &access,
        flash,
        FormErrors::default(),
        ConsentInput::default(),
    )
    .await
}

/// The citizen gives a consent in Bro: digital, by themselves, from today.
pub async fn give(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me");
    let now = state.clock.now_ms();
    let today = crate::ui::danish_date(now);
    let mut input = ConsentInput::from_pairs(form_pairs(&body));
    input.form = ConsentForm::Digital.as_str().to_owned();
    input.given_by = GivenBy::Citizen.as_str().to_owned();
    input.valid_from = today.to_string();
    let age = state.store.citizen(&ctx, citizen).await?.cpr.age_on(today);
    let known = known_orgs(&state).await?;
    let mut errors = FormErrors::default();
    let Some(mut new) = input.check(&chrome, &mut errors, citizen, age, &known, None) else {
        return me_page(&state, chrome, &access, None, errors, input).await;
    };
    new.course_id = state.store.open_course_of(citizen).await?;
    // A digital consent starts the moment it is given.
    new.valid_from_ms = now;
    state.store.record_consent(&ctx, new).await?;
    Ok(redirect_with_flash(
        &state,
        "/me/consents",
        "flash-consent-recorded",
    ))
}

pub async fn withdraw(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(consent): Path<i64>,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(&state, &access).await?;
    withdrawn(
        &state,
        state.store.withdraw_consent(&ctx, citizen, consent).await,
        "/me/consents",
    )
}

/// The citizen confirms a consent staff recorded that waits for their word.
pub async fn confirm(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(consent): Path<i64>,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(&state, &access).await?;
    confirmed(
        &state,
        state.store.confirm_consent(&ctx, citizen, consent).await,
        "/me/consents",
    )
}

pub async fn document(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(consent): Path<i64>,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(&state, &access).await?;
    document_response(state.store.consent_document(&ctx, citizen, consent).await?)
}
