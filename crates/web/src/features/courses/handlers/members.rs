//! A course's care team: the coordinator adds members (from their own organisation, the
//! organisations on the team, or their partners in a collaboration), removes them, and hands
//! the coordination on.

use super::super::forms::{CourseForms, MemberForm};
use super::courses::render_course;
use crate::access::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::FormErrors;
use crate::ui::page::Page;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::MemberId;
use bro_store::StoreError;

pub async fn add(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    let CourseScope { course: a, ctx } = &scope;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    // Anyone active in one of their units: the list on the page is a convenience, not a limit.
    let chosen = match form.staff_ids() {
        Some((user, unit)) => state.store.staff_member(user, unit).await?,
        None => None,
    };
    let chosen = chosen.as_ref();
    if let Some(new) = form.check(&chrome, &mut errors, chosen) {
        match state.store.add_member(ctx, a.course_id, new).await {
            Ok(_) => {
                return Ok(redirect_with_flash(
                    &state,
                    &format!("/courses/{id}"),
                    "flash-member-added",
                ));
            }
            Err(StoreError::Conflict(_)) => errors.add(&chrome, "staff", "member-already"),
            Err(e) => return Err(e.into()),
        }
    }
    let forms = CourseForms {
        // The chosen person stays in the list, whichever organisation they are from.
        staff_org: chosen.map(|s| s.org_id),
        errors,
        member: form,
        ..CourseForms::default()
    };
    render_course(
        &state,
        &access,
        chrome,
        &scope,
        None,
        forms,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn remove(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, member)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    let CourseScope { course: a, ctx } = &scope;
    match state
        .store
        .remove_member(ctx, a.course_id, MemberId(member))
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}"),
            "flash-member-removed",
        )),
        Err(StoreError::Conflict(_)) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}"),
            "flash-coordinator-stays",
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn make_coordinator(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, member)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    let CourseScope { course: a, ctx } = &scope;
    state
        .store
        .set_coordinator(ctx, a.course_id, MemberId(member))
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}"),
        "flash-coordinator-changed",
    ))
}
