//! Emergency access ("break the glass"): a professional outside the care team states why and
//! reads the course for a limited time (at most four hours). Everything they see is audited as
//! emergency access; the citizen sees it afterwards on their own page, and the professional's
//! organisation's privacy contact (its administrator) reviews each one with a comment.

use super::super::forms::{EmergencyForm, ReviewForm};
use super::super::views::{EmergencyPage, EmergencyReviewsPage};
use crate::access::AdminScope;
use crate::access::AuditedAccess;
use crate::access::CourseScope;
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::EmergencyReviewRow;
use crate::ui::page::Page;
use crate::ui::{FormErrors, respond as html};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::consent::EmergencyReasonKind;
use bro_domain::plan;
use bro_store::{NewEmergencyAccess, StoreError};

pub async fn form(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    CourseScope::start_emergency(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/citizens/search");
    let view = emergency_page(
        &state,
        chrome,
        id,
        FormErrors::default(),
        EmergencyForm::default(),
    );
    html(StatusCode::OK, view)
}

fn emergency_page(
    state: &AppState,
    chrome: crate::ui::Chrome,
    course_id: i64,
    errors: FormErrors,
    form: EmergencyForm,
) -> EmergencyPage {
    EmergencyPage {
        course_id,
        minutes: state.config.emergency_access_ms / 60_000,
        errors,
        kinds: EmergencyReasonKind::ALL,
        kind: form.kind,
        reason: form.reason,
        chrome,
    }
}

pub async fn start(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<EmergencyForm>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::start_emergency(&state, &access, id).await?;
    let org = access
        .viewer
        .active_role()
        .map(|r| r.org_id)
        .ok_or(AppError::NotFound)?;
    let chrome = page.chrome(&state, &access.viewer, "/citizens/search");
    let mut errors = FormErrors::default();
    let Some((kind, reason)) = form.check(&chrome, &mut errors) else {
        let view = emergency_page(&state, chrome, id, errors, form);
        return html(StatusCode::UNPROCESSABLE_ENTITY, view);
    };
    let new = NewEmergencyAccess {
        citizen_id: a.citizen_id,
        course_id: a.course_id,
        org_id: org,
        kind,
        reason,
        ends_ms: state.clock.now_ms() + state.config.emergency_access_ms,
    };
    state.store.start_emergency_access(&ctx, new).await?;
    let now = state.clock.now_ms();
    let user = access.viewer.user.id;
    if !state.store.emergency_active(a.course_id, user, now).await? {
        // A second renewal: recorded, and waiting for the administrator.
        return Ok(redirect_with_flash(
            &state,
            "/citizens/search",
            "flash-emergency-awaiting",
        ));
    }
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}"),
        "flash-emergency-started",
    ))
}

/// The administrator approves a renewal beyond the first; its time runs from now.
pub async fn approve(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    // Another organisation's access, or one not waiting, is not found.
    state.store.approve_emergency_access(&ctx, org, id).await?;
    Ok(redirect_with_flash(
        &state,
        "/admin/emergency-access",
        "flash-emergency-approved",
    ))
}

pub async fn reviews(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/emergency-access");
    let rows = state
        .store
        .emergency_reviews(&ctx, org)
        .await?
        .iter()
        .map(|e| EmergencyReviewRow::of(&chrome, e, true))
        .collect();
    let view = EmergencyReviewsPage {
        flash: page.flash(&chrome),
        rows,
        chrome,
    };
    html(StatusCode::OK, view)
}

pub async fn review(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let Ok(comment) = plan::required_text(&form.comment) else {
        return Ok(redirect_with_flash(
            &state,
            "/admin/emergency-access",
            "flash-emergency-comment-required",
        ));
    };
    match state
        .store
        .review_emergency_access(&ctx, org, id, comment)
        .await
    {
        Ok(()) | Err(StoreError::Conflict(_)) => Ok(redirect_with_flash(
            &state,
            "/admin/emergency-access",
            "flash-emergency-reviewed",
        )),
        Err(e) => Err(e.into()),
    }
}
