//! Booking an appointment: a member of the open course's care team, for a unit they work in.

use super::super::forms::BookForm;
use super::super::views::BookPage;
use crate::access::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::appointment::AppointmentKind;
use bro_store::{NewAppointment, RoleAssignment};

/// The units the viewer books for: those they work with citizens in, in the organisation of
/// their active role (whose membership of the team they act in).
fn booking_units(access: &AuditedAccess) -> Vec<RoleAssignment> {
    let Some(active) = access.viewer.active_role() else {
        return Vec::new();
    };
    let mut units: Vec<RoleAssignment> = access
        .viewer
        .user
        .roles
        .iter()
        .filter(|r| r.org_id == active.org_id && bro_authz::works_with_citizens(r.role))
        .cloned()
        .collect();
    units.sort_by_key(|r| (r.unit_id != active.unit_id, r.unit_id.0));
    units.dedup_by_key(|r| r.unit_id);
    units
}

fn render(
    chrome: Chrome,
    (id, units): (i64, &[RoleAssignment]),
    form: BookForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let kinds = AppointmentKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), chrome.t(k.label_key())))
        .collect();
    let units = units
        .iter()
        .map(|r| (r.unit_id.0.to_string(), r.unit_name.clone()))
        .collect();
    let view = BookPage {
        course_id: id,
        kinds,
        units,
        form,
        errors,
        chrome,
    };
    html(status, view)
}

pub async fn new(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    CourseScope::write(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let units = booking_units(&access);
    let form = BookForm {
        unit: units
            .first()
            .map(|r| r.unit_id.0.to_string())
            .unwrap_or_default(),
        ..BookForm::default()
    };
    let parts = (id, units.as_slice());
    render(chrome, parts, form, FormErrors::default(), StatusCode::OK)
}

pub async fn create(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<BookForm>,
) -> Result<Response, AppError> {
    let scope = CourseScope::write(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let units = booking_units(&access);
    let booking = match form.parse(&chrome, &units) {
        Ok(b) => b,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(chrome, (id, units.as_slice()), form, errors, status);
        }
    };
    let new = NewAppointment {
        course: scope.course.course_id,
        citizen: scope.course.citizen_id,
        org: booking.org,
        unit: booking.unit,
        kind: booking.kind,
        slot: booking.slot,
        remind: booking.remind,
    };
    let appointment = state.store.book_appointment(&scope.ctx, &new).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}/appointments/{appointment}"),
        "flash-appointment-booked",
    ))
}
