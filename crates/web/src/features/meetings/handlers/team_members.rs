//! Who is on a team: its members and their functions, and the citizens in its target group.

use super::super::forms::{MemberForm, chosen_course};
use super::teams::{Refused, back, render};
use crate::access::AuditedAccess;
use crate::access::{TeamScope, uncovered_orgs};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::FormErrors;
use crate::ui::page::Page;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::{CourseId, OrgId, TeamId, UserId};
use bro_store::{Conflict, StoreError};

pub async fn add_member(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    let form = MemberForm::parse(&body);
    let orgs: Vec<OrgId> = view.team.orgs.iter().map(|(o, _)| *o).collect();
    let staff = state.store.staff_options(&orgs).await?;
    let Some(member) = form.member(&staff) else {
        return Err(AppError::Conflict(Conflict::Member));
    };
    state
        .store
        .set_team_member(&ctx, view.team.id, member)
        .await?;
    Ok(back(&state, id, "flash-saved"))
}

pub async fn remove_member(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, user)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    state
        .store
        .remove_team_member(&ctx, view.team.id, UserId(user))
        .await?;
    Ok(back(&state, id, "flash-saved"))
}

/// Puts one of the viewer's courses on the team's list of citizens in the target group:
/// only when the citizen's consent or a legal basis covers every organisation of the team.
pub async fn add_citizen(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let course = chosen_course(&body).ok_or(AppError::NotFound)?;
    // Only a course the viewer works on may be listed.
    let a = state
        .store
        .course_access(course, access.viewer.user.id)
        .await?;
    if a.membership.is_none() {
        return Err(AppError::NotFound);
    }
    let uncovered = uncovered_orgs(&state, &view.team, &a).await?;
    if !uncovered.is_empty() {
        let mut errors = FormErrors::default();
        errors.0.push((
            "course",
            chrome.t1("team-error-no-consent", "orgs", &uncovered.join(", ")),
        ));
        let refused = Refused {
            errors,
            ..Refused::default()
        };
        return render(
            &state,
            &access,
            chrome,
            None,
            view,
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .store
        .add_team_citizen(&view.ctx, view.team.id, course)
        .await
    {
        Ok(()) | Err(StoreError::Conflict(Conflict::Listed)) => Ok(back(&state, id, "flash-saved")),
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_citizen(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, course)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    state
        .store
        .remove_team_citizen(&view.ctx, view.team.id, CourseId(course))
        .await?;
    Ok(back(&state, id, "flash-saved"))
}
