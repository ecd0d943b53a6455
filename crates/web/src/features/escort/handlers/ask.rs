//! Asking for escort to an appointment: a team member from the appointment's page on the
//! course, or the citizen from their own calendar. The request goes to an escort service of a
//! municipality on the course's care team.

use super::super::forms::AskForm;
use super::super::views::AskPage;
use crate::access::{AuditedAccess, EscortAsk};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html, spoken_when};
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::UnitId;
use bro_store::{Conflict, StoreError};

/// Where a request is asked from: its form's address and where it leads back to.
struct Origin {
    action: String,
    back: String,
    nav: &'static str,
}

fn on_course(course: i64, id: i64) -> Origin {
    Origin {
        action: format!("/courses/{course}/appointments/{id}/escort"),
        back: format!("/courses/{course}/appointments/{id}"),
        nav: "/courses",
    }
}

fn own(id: i64) -> Origin {
    Origin {
        action: format!("/me/appointments/{id}/escort"),
        back: "/me/appointments".to_owned(),
        nav: "/me",
    }
}

fn render(
    chrome: Chrome,
    (ask, origin, services): (&EscortAsk, Origin, &[(UnitId, String)]),
    form: AskForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let slot = &ask.appointment.slot;
    let view = AskPage {
        when: spoken_when(&chrome, slot.starts_ms),
        place: slot.place.clone(),
        action: origin.action,
        back: origin.back,
        services: services
            .iter()
            .map(|(u, name)| (u.0.to_string(), name.clone()))
            .collect(),
        form,
        errors,
        chrome,
    };
    html(status, view)
}

async fn show(
    state: &AppState,
    page: Page,
    access: &AuditedAccess,
    (ask, origin): (EscortAsk, Origin),
) -> Result<Response, AppError> {
    let chrome = page.chrome(state, &access.viewer, origin.nav);
    let services = state
        .store
        .escort_services(ask.appointment.course_id)
        .await?;
    let form = AskForm {
        unit: services
            .first()
            .map(|(u, _)| u.0.to_string())
            .unwrap_or_default(),
        ..AskForm::default()
    };
    let parts = (&ask, origin, services.as_slice());
    render(chrome, parts, form, FormErrors::default(), StatusCode::OK)
}

async fn submit(
    state: &AppState,
    page: Page,
    access: &AuditedAccess,
    (ask, origin): (EscortAsk, Origin),
    form: AskForm,
) -> Result<Response, AppError> {
    let chrome = page.chrome(state, &access.viewer, origin.nav);
    let services = state
        .store
        .escort_services(ask.appointment.course_id)
        .await?;
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let (unit, note) = match form.parse(&chrome, &services) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let parts = (&ask, origin, services.as_slice());
            return render(chrome, parts, form, errors, refused);
        }
    };
    let asked = state
        .store
        .request_escort(&ask.ctx, ask.appointment.id, unit, &note)
        .await;
    let key = match asked {
        Ok(_) => {
            return Ok(redirect_with_flash(
                state,
                &origin.back,
                "flash-escort-asked",
            ));
        }
        Err(StoreError::Conflict(Conflict::Begun)) => "escort-too-late",
        Err(StoreError::Conflict(Conflict::Escort)) => "escort-asked-already",
        Err(e) => return Err(e.into()),
    };
    let mut errors = FormErrors::default();
    errors.add(&chrome, "unit", key);
    let parts = (&ask, origin, services.as_slice());
    render(chrome, parts, form, errors, refused)
}

pub async fn course_form(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((course, id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let ask = EscortAsk::on_course(&state, &access, (course, id)).await?;
    show(&state, page, &access, (ask, on_course(course, id))).await
}

pub async fn course_ask(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((course, id)): Path<(i64, i64)>,
    Form(form): Form<AskForm>,
) -> Result<Response, AppError> {
    let ask = EscortAsk::on_course(&state, &access, (course, id)).await?;
    submit(&state, page, &access, (ask, on_course(course, id)), form).await
}

pub async fn own_form(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let ask = EscortAsk::own(&state, &access, id).await?;
    show(&state, page, &access, (ask, own(id))).await
}

pub async fn own_ask(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<AskForm>,
) -> Result<Response, AppError> {
    let ask = EscortAsk::own(&state, &access, id).await?;
    submit(&state, page, &access, (ask, own(id)), form).await
}
