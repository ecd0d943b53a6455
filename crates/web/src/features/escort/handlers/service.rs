//! The escort service's work: its list (open requests oldest first, flagged when their answer
//! is due; accepted escorts until their time is recorded), and one request: accept, decline,
//! and afterwards the time the escort took.

use super::super::forms::{AcceptForm, DeclineForm, TimeForm};
use super::super::views::{RequestPage, ServicePage, ServiceRow};
use crate::access::{AuditedAccess, EscortScope, escort_service_list};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_store::{Conflict, EscortAnswer, StoreError};

/// The most each part of the list shows at once.
const SHOWN: i64 = 200;

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let (unit, ctx) = escort_service_list(&state, &access).await?;
    let listed = state.store.escort_list(&ctx, unit, SHOWN).await?;
    let chrome = page.chrome(&state, &access.viewer, "/escort");
    let now = state.clock.now_ms();
    let rows = |items: &[bro_store::EscortListItem]| -> Vec<ServiceRow> {
        items
            .iter()
            .map(|i| ServiceRow::of(&chrome, i, now))
            .collect()
    };
    let (open, accepted) = (rows(&listed.open), rows(&listed.accepted));
    let view = ServicePage {
        flash: page.flash(&chrome),
        unit: state.store.unit(unit).await?.name,
        late: open.iter().filter(|r| r.late).count(),
        open,
        accepted,
        chrome,
    };
    html(StatusCode::OK, view)
}

/// The forms of the request's page, as typed.
#[derive(Default)]
struct Typed {
    flash: Option<String>,
    accept: AcceptForm,
    decline: DeclineForm,
    time: TimeForm,
}

async fn render(
    state: &AppState,
    scope: &EscortScope,
    chrome: Chrome,
    typed: Typed,
    (errors, status): (FormErrors, StatusCode),
) -> Result<Response, AppError> {
    let item = state
        .store
        .escort_request(&scope.ctx, scope.facts.id)
        .await?;
    let now = state.clock.now_ms();
    // Suggested: the appointment's day, 45 minutes before it.
    let meet = item.starts_ms - 45 * 60 * 1000;
    let accept = AcceptForm {
        meeting_day: Some(typed.accept.meeting_day)
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| crate::ui::local_day(meet)),
        meeting_time: Some(typed.accept.meeting_time)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| crate::ui::clock(meet)),
        ..typed.accept
    };
    let view = RequestPage {
        flash: typed.flash,
        row: ServiceRow::of(&chrome, &item, now),
        accept,
        decline: typed.decline,
        time: typed.time,
        errors,
        chrome,
    };
    html(status, view)
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = EscortScope::service(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/escort");
    let typed = Typed {
        flash: page.flash(&chrome),
        ..Typed::default()
    };
    let ok = (FormErrors::default(), StatusCode::OK);
    render(&state, &scope, chrome, typed, ok).await
}

const REFUSED: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

/// Gives the answer, or says by `field` why the store refused it.
async fn answer(
    state: &AppState,
    (scope, chrome): (&EscortScope, Chrome),
    (answer, field): (EscortAnswer, &'static str),
    typed: Typed,
) -> Result<Response, AppError> {
    let key = match state
        .store
        .answer_escort(&scope.ctx, scope.facts.id, &answer)
        .await
    {
        Ok(()) => {
            return Ok(redirect_with_flash(
                state,
                "/escort",
                "flash-escort-answered",
            ));
        }
        Err(StoreError::Conflict(Conflict::Escort)) => "escort-answered-already",
        Err(StoreError::Conflict(Conflict::Cancelled)) => "appointment-is-cancelled",
        Err(e) => return Err(e.into()),
    };
    let mut errors = FormErrors::default();
    errors.add(&chrome, field, key);
    render(state, scope, chrome, typed, (errors, REFUSED)).await
}

pub async fn accept(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let scope = EscortScope::service(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/escort");
    let parsed = form.parse(&chrome, scope.facts.starts_ms);
    let typed = Typed {
        accept: form,
        ..Typed::default()
    };
    match parsed {
        Ok(a) => answer(&state, (&scope, chrome), (a, "escort"), typed).await,
        Err(errors) => render(&state, &scope, chrome, typed, (errors, REFUSED)).await,
    }
}

pub async fn decline(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<DeclineForm>,
) -> Result<Response, AppError> {
    let scope = EscortScope::service(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/escort");
    let parsed = form.parse(&chrome);
    let typed = Typed {
        decline: form,
        ..Typed::default()
    };
    match parsed {
        Ok(a) => answer(&state, (&scope, chrome), (a, "decline_reason"), typed).await,
        Err(errors) => render(&state, &scope, chrome, typed, (errors, REFUSED)).await,
    }
}

pub async fn time(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<TimeForm>,
) -> Result<Response, AppError> {
    let scope = EscortScope::service(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/escort");
    let minutes = match form.parse(&chrome) {
        Ok(m) => m,
        Err(errors) => {
            let typed = Typed {
                time: form,
                ..Typed::default()
            };
            return render(&state, &scope, chrome, typed, (errors, REFUSED)).await;
        }
    };
    let key = match state
        .store
        .record_escort_time(&scope.ctx, id, minutes)
        .await
    {
        Ok(()) => return Ok(redirect_with_flash(&state, "/escort", "flash-escort-time")),
        Err(StoreError::Conflict(Conflict::NotYet)) => "escort-time-not-yet",
        Err(StoreError::Conflict(Conflict::Recorded)) => "escort-time-recorded",
        Err(StoreError::Conflict(Conflict::Escort)) => "escort-time-not-accepted",
        Err(e) => return Err(e.into()),
    };
    let mut errors = FormErrors::default();
    errors.add(&chrome, "minutes", key);
    let typed = Typed {
        time: form,
        ..Typed::default()
    };
    render(&state, &scope, chrome, typed, (errors, REFUSED)).await
}
