//! One appointment: its page (for whoever may see it on the course), and moving, cancelling
//! and recording what happened (for its booking unit). A no-show tells the coordinator and
//! the team members whose sharing covers it.

use super::super::forms::{AttendanceForm, CancelForm, MoveForm, SlotFields, version};
use super::super::views::{AppointmentPage, AppointmentRow};
use crate::access::{AuditedAccess, CourseScope, UnitAppointmentScope, course_appointments};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::team_readers::readers;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::appointment::{Attendance, share_category};
use bro_store::{Appointment, Conflict, StoreError};

/// The forms of a page shown again after a refusal.
#[derive(Default)]
struct Typed {
    flash: Option<String>,
    move_form: Option<MoveForm>,
    cancel: CancelForm,
    attendance: AttendanceForm,
}

/// The appointment as the viewer may see it on its course (one they may not is not found),
/// and whether they write on the course (a team member, the course open, not by emergency).
async fn seen(
    state: &AppState,
    access: &AuditedAccess,
    (course, id): (i64, i64),
) -> Result<(Appointment, bool), AppError> {
    let scope = CourseScope::read(state, access, course).await?;
    let c = &scope.course;
    let writes = c.membership.is_some() && !c.closed && !c.emergency;
    let seen = course_appointments(state, access, &scope).await?;
    let a = seen
        .shown
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)?;
    Ok((a, writes))
}

async fn render(
    state: &AppState,
    access: &AuditedAccess,
    (chrome, course, id): (Chrome, i64, i64),
    typed: Typed,
    (errors, status): (FormErrors, StatusCode),
) -> Result<Response, AppError> {
    let (a, may_ask) = seen(state, access, (course, id)).await?;
    let now = state.clock.now_ms();
    let row = AppointmentRow {
        mine: access.viewer.active_role().map(|r| r.unit_id) == Some(a.unit_id),
        ..AppointmentRow::of(&chrome, &a, now)
    };
    let outcomes = Attendance::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), chrome.t(k.label_key())))
        .collect();
    let move_form = typed.move_form.unwrap_or_else(|| MoveForm {
        slot: SlotFields::of(&a.slot),
        ..MoveForm::default()
    });
    let view = AppointmentPage {
        flash: typed.flash,
        row,
        version: a.version,
        may_ask,
        outcomes,
        move_form,
        cancel: typed.cancel,
        attendance: typed.attendance,
        errors,
        chrome,
    };
    html(status, view)
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((course, id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let typed = Typed {
        flash: page.flash(&chrome),
        ..Typed::default()
    };
    let errors = (FormErrors::default(), StatusCode::OK);
    render(&state, &access, (chrome, course, id), typed, errors).await
}

/// What a store refusal means for the form that asked.
fn refusal(chrome: &Chrome, e: StoreError, field: &'static str) -> Result<FormErrors, AppError> {
    let key = match e {
        StoreError::Conflict(Conflict::Appointment) => "appointment-changed-meanwhile",
        StoreError::Conflict(Conflict::Cancelled) => "appointment-is-cancelled",
        StoreError::Conflict(Conflict::Recorded) => "appointment-is-recorded",
        StoreError::Conflict(Conflict::NotYet) => "appointment-not-yet",
        other => return Err(other.into()),
    };
    let mut errors = FormErrors::default();
    errors.add(chrome, field, key);
    Ok(errors)
}

fn back(state: &AppState, course: i64, id: i64, flash: &'static str) -> Response {
    redirect_with_flash(
        state,
        &format!("/courses/{course}/appointments/{id}"),
        flash,
    )
}

const REFUSED: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

pub async fn move_to(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((course, id)): Path<(i64, i64)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let scope = UnitAppointmentScope::booking_unit(&state, &access, course, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let errors = match form.parse(&chrome) {
        Ok(slot) => {
            let base = version(&form.base_version);
            let reason = form.reason.trim();
            match state
                .store
                .move_appointment(&scope.ctx, id, base, &slot, reason)
                .await
            {
                Ok(()) => return Ok(back(&state, course, id, "flash-appointment-moved")),
                Err(e) => refusal(&chrome, e, "day")?,
            }
        }
        Err(errors) => errors,
    };
    let typed = Typed {
        move_form: Some(form),
        ..Typed::default()
    };
    render(
        &state,
        &access,
        (chrome, course, id),
        typed,
        (errors, REFUSED),
    )
    .await
}

pub async fn cancel(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((course, id)): Path<(i64, i64)>,
    Form(form): Form<CancelForm>,
) -> Result<Response, AppError> {
    let scope = UnitAppointmentScope::booking_unit(&state, &access, course, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let errors = match form.parse(&chrome) {
        Ok(reason) => {
            let base = version(&form.base_version);
            match state
                .store
                .cancel_appointment(&scope.ctx, id, base, &reason)
                .await
            {
                Ok(()) => return Ok(back(&state, course, id, "flash-appointment-cancelled")),
                Err(e) => refusal(&chrome, e, "cancel_reason")?,
            }
        }
        Err(errors) => errors,
    };
    let typed = Typed {
        cancel: form,
        ..Typed::default()
    };
    render(
        &state,
        &access,
        (chrome, course, id),
        typed,
        (errors, REFUSED),
    )
    .await
}

pub async fn attendance(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((course, id)): Path<(i64, i64)>,
    Form(form): Form<AttendanceForm>,
) -> Result<Response, AppError> {
    let scope = UnitAppointmentScope::booking_unit(&state, &access, course, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let errors = match form.parse(&chrome) {
        Ok((outcome, note)) => {
            let a = &scope.appointment;
            let category = share_category(a.kind);
            let citizens = [a.citizen_id];
            let now = scope.ctx.at_ms;
            let mut told = readers(&state.store, &citizens, category, Some(a.org_id), now).await?;
            let tell = told.remove(&a.citizen_id).unwrap_or_default();
            let store = &state.store;
            match store
                .record_attendance(&scope.ctx, id, outcome, &note, &tell)
                .await
            {
                Ok(()) if form.from == "list" => {
                    let to = "/appointments/to-record";
                    return Ok(redirect_with_flash(
                        &state,
                        to,
                        "flash-appointment-recorded",
                    ));
                }
                Ok(()) => return Ok(back(&state, course, id, "flash-appointment-recorded")),
                Err(e) => refusal(&chrome, e, "outcome")?,
            }
        }
        Err(errors) => errors,
    };
    if form.from == "list" {
        return super::unit::render(&state, &access, chrome, (None, errors)).await;
    }
    let typed = Typed {
        attendance: form,
        ..Typed::default()
    };
    render(
        &state,
        &access,
        (chrome, course, id),
        typed,
        (errors, REFUSED),
    )
    .await
}
