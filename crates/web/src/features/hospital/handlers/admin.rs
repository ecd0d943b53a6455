//! The receiving organisation's admin: the SOR id hospitals address it by, the API clients
//! that deliver its messages (a token is shown once, only its keyed digest kept; revoked at
//! once), and the messages that reached no citizen, newest first.

use super::super::API_PATH;
use super::super::forms::{ClientForm, SorForm};
use super::super::views::{ClientRow, HospitalAdminPage, MessageRow, NewToken};
use crate::access::{AdminScope, AuditedAccess};
use crate::http::address::public_base;
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::hospital_intake;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bro_domain::OrgId;
use bro_store::StoreError;

const PAGE: &str = "/admin/hospital";
/// The unresolved messages the page shows.
const MESSAGES: i64 = 100;

/// What the page shows besides the stored lists: the forms as typed, their errors, a new token.
#[derive(Default)]
struct Shown {
    errors: FormErrors,
    sor: Option<SorForm>,
    client: ClientForm,
    new_token: Option<NewToken>,
}

async fn render(
    state: &AppState,
    (chrome, flash): (Chrome, Option<String>),
    org: OrgId,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, AppError> {
    let sor = match shown.sor {
        Some(typed) => typed,
        None => SorForm {
            sor: state.store.sor_of(org).await?.unwrap_or_default(),
        },
    };
    let clients = state.store.hospital_clients(org).await?;
    let messages = state
        .store
        .unresolved_hospital_messages(org, MESSAGES)
        .await?;
    html(
        status,
        HospitalAdminPage {
            flash,
            errors: shown.errors,
            org_name: state.store.organisation(org).await?.name,
            sor,
            client: shown.client,
            new_token: shown.new_token,
            clients: clients
                .into_iter()
                .map(|c| ClientRow::of(&chrome, c))
                .collect(),
            messages: messages
                .into_iter()
                .map(|m| MessageRow::of(&chrome, m))
                .collect(),
            chrome,
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let AdminScope { org, .. } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, PAGE);
    let flash = page.flash(&chrome);
    render(
        &state,
        (chrome, flash),
        org,
        Shown::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn set_sor(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Form(form): Form<SorForm>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, PAGE);
    let mut errors = FormErrors::default();
    if let Some(sor) = form.parse(&chrome, &mut errors) {
        match state.store.set_org_sor(&ctx, org, sor.as_deref()).await {
            Ok(()) => {
                return Ok(redirect_with_flash(
                    &state,
                    PAGE,
                    "flash-hospital-sor-saved",
                ));
            }
            Err(StoreError::Conflict(_)) => errors.add(&chrome, "sor", "hospital-sor-taken"),
            Err(e) => return Err(e.into()),
        }
    }
    let shown = Shown {
        errors,
        sor: Some(form),
        ..Shown::default()
    };
    render(
        &state,
        (chrome, None),
        org,
        shown,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn create_client(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    headers: HeaderMap,
    Form(form): Form<ClientForm>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, PAGE);
    let mut errors = FormErrors::default();
    let Some(name) = form.parse(&chrome, &mut errors) else {
        let shown = Shown {
            errors,
            client: form,
            ..Shown::default()
        };
        return render(
            &state,
            (chrome, None),
            org,
            shown,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let token = bro_auth::token::random_token();
    let digest = state.config.session_digest(&token);
    state
        .store
        .create_hospital_client(&ctx, org, &name, &digest)
        .await?;
    let new_token = NewToken {
        name,
        token,
        endpoint: format!("{}{API_PATH}", public_base(&state, &headers)),
    };
    let flash = Some(chrome.t("flash-hospital-client-created"));
    let shown = Shown {
        new_token: Some(new_token),
        ..Shown::default()
    };
    render(&state, (chrome, flash), org, shown, StatusCode::OK).await
}

pub async fn revoke_client(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    state.store.revoke_hospital_client(&ctx, org, id).await?;
    Ok(redirect_with_flash(
        &state,
        PAGE,
        "flash-hospital-client-revoked",
    ))
}

/// Matches the waiting messages again, now that their citizens may be in Bro.
pub async fn rematch(
    State(state): State<AppState>,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let matched = hospital_intake::rematch(&state.store, &ctx, org).await?;
    let key = if matched > 0 {
        "flash-hospital-rematched"
    } else {
        "flash-hospital-rematched-none"
    };
    Ok(redirect_with_flash(&state, PAGE, key))
}
