//! Collaborations of organisations (e.g. Holstebro municipality and the regional psychiatry)
//! and the phases their courses move through. An organisation's admin starts a collaboration
//! with partner organisations and names its phases; any member organisation's admin may change
//! them later. Running courses keep the phases they were opened under.

use super::super::forms::CollaborationForm;
use super::super::views::CollaborationsPage;
use crate::access::AdminScope;
use crate::access::AuditedAccess;
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::{CollaborationId, OrgId, PhaseScheme};
use bro_store::StoreError;

async fn render(
    state: &AppState,
    chrome: Chrome,
    org: OrgId,
    flash: Option<String>,
    errors: FormErrors,
    form: CollaborationForm,
    status: StatusCode,
) -> Result<Response, AppError> {
    let collaborations = state.store.collaborations_of(org).await?;
    let partners = state
        .store
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.id != org)
        .collect();
    html(
        status,
        CollaborationsPage {
            flash,
            errors,
            collaborations,
            partners,
            form,
            chrome,
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let AdminScope { org, .. } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/collaborations");
    let flash = page.flash(&chrome);
    let form = CollaborationForm::default();
    render(
        &state,
        chrome,
        org,
        flash,
        FormErrors::default(),
        form,
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/collaborations");
    let form = CollaborationForm::parse(&body);
    let known: Vec<OrgId> = state
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| o.id)
        .filter(|id| *id != org)
        .collect();
    let mut errors = FormErrors::default();
    let Some(new) = form.new_collaboration(&chrome, &mut errors, org, &known) else {
        return render(
            &state,
            chrome,
            org,
            None,
            errors,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match state.store.create_collaboration(&ctx, new).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/admin/collaborations",
            "flash-saved",
        )),
        Err(StoreError::Conflict(_)) => {
            errors.add(&chrome, "name", "collaboration-error-name-taken");
            render(
                &state,
                chrome,
                org,
                None,
                errors,
                form,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Changes the phases new courses of a collaboration follow.
pub async fn set_phases(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/collaborations");
    let mut form = CollaborationForm::parse(&body);
    let id = CollaborationId(id);
    match PhaseScheme::parse_lines(&form.phases) {
        Ok(phases) => {
            state
                .store
                .set_collaboration_phases(&ctx, id, org, phases)
                .await?;
            Ok(redirect_with_flash(
                &state,
                "/admin/collaborations",
                "flash-saved",
            ))
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.add(&chrome, "phases-edit", e.message_key());
            form.editing = Some(id);
            render(
                &state,
                chrome,
                org,
                None,
                errors,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
