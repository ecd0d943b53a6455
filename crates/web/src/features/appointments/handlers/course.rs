//! The course's calendar: every appointment across the sectors that the viewer may see, the
//! no-show flag, and the coordinator's follow-up.

use super::super::forms::FollowUpForm;
use super::super::views::{AppointmentRow, CourseAppointmentsPage};
use crate::access::{AuditedAccess, CourseScope, course_appointments};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::appointment::{FollowUpAction, NO_SHOWS_FLAGGED};

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = CourseScope::read(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let flash = page.flash(&chrome);
    let parts = (flash, FollowUpForm::default(), FormErrors::default());
    render(&state, &access, &scope, chrome, parts, StatusCode::OK).await
}

async fn render(
    state: &AppState,
    access: &AuditedAccess,
    scope: &CourseScope,
    chrome: Chrome,
    (flash, follow_up, errors): (Option<String>, FollowUpForm, FormErrors),
    status: StatusCode,
) -> Result<Response, AppError> {
    let seen = course_appointments(state, access, scope).await?;
    let now = state.clock.now_ms();
    let a = &scope.course;
    let unit = access.viewer.active_role().map(|r| r.unit_id);
    let rows = seen
        .shown
        .iter()
        .map(|ap| AppointmentRow {
            mine: Some(ap.unit_id) == unit,
            ..AppointmentRow::of(&chrome, ap, now)
        })
        .collect();
    let flag = (seen.unanswered_no_shows >= NO_SHOWS_FLAGGED).then(|| {
        chrome.tn(
            "appointment-no-show-flag",
            &[("count", seen.unanswered_no_shows.to_string())],
        )
    });
    let follow_ups = seen
        .follow_ups
        .iter()
        .map(|f| {
            chrome.tn(
                "appointment-follow-up-row",
                &[
                    ("when", crate::ui::when(f.recorded_ms)),
                    ("action", chrome.t(f.action.label_key())),
                    ("note", f.note.clone()),
                    ("by", f.by.clone()),
                ],
            )
        })
        .collect();
    let on_team = a.membership.is_some() && !a.closed && !a.emergency;
    let actions = FollowUpAction::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), chrome.t(k.label_key())))
        .collect();
    let view = CourseAppointmentsPage {
        flash,
        course_id: a.course_id.0,
        rows,
        withheld: seen.withheld,
        flag,
        follow_ups,
        may_book: on_team,
        coordinates: on_team && a.membership.is_some_and(|(_, c)| c),
        actions,
        follow_up,
        errors,
        chrome,
    };
    html(status, view)
}

/// The coordinator records what was done after a no-show; it answers the no-shows before it.
pub async fn follow_up(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    match form.parse(&chrome) {
        Ok((action, note)) => {
            state
                .store
                .record_no_show_follow_up(&scope.ctx, scope.course.course_id, action, &note)
                .await?;
            Ok(redirect_with_flash(
                &state,
                &format!("/courses/{id}/appointments"),
                "flash-appointment-follow-up",
            ))
        }
        Err(errors) => {
            let parts = (None, form, errors);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &access, &scope, chrome, parts, status).await
        }
    }
}
