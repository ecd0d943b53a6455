//! The unit's list of appointments that have begun and wait for what happened to be recorded,
//! oldest first; those not recorded within 2 working days are marked "mangler registrering".
//! Each row records what happened in place, for colleagues of the unit who are not on the
//! citizen's team.

use super::super::views::{AppointmentRow, UnitPage, UnitRow};
use crate::access::{AuditedAccess, unit_appointments};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::appointment::Attendance;

/// The most a list shows at once; the oldest come first.
const SHOWN: i64 = 200;

pub async fn to_record(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/appointments");
    let flash = page.flash(&chrome);
    render(&state, &access, chrome, (flash, FormErrors::default())).await
}

/// The list, with a form per row to record what happened; `errors` from one that was refused.
pub(super) async fn render(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    (flash, errors): (Option<String>, FormErrors),
) -> Result<Response, AppError> {
    let (unit, ctx) = unit_appointments(state, access).await?;
    let listed = state
        .store
        .unrecorded_appointments(&ctx, unit, SHOWN)
        .await?;
    let now = state.clock.now_ms();
    let rows: Vec<UnitRow> = listed
        .iter()
        .map(|u| UnitRow {
            citizen: u.citizen_name.clone(),
            row: AppointmentRow {
                mine: true,
                ..AppointmentRow::of(&chrome, &u.appointment, now)
            },
        })
        .collect();
    let outcomes = Attendance::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), chrome.t(k.label_key())))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = UnitPage {
        flash,
        outcomes,
        errors,
        unit: state.store.unit(unit).await?.name,
        missing: rows.iter().filter(|r| r.row.record_missing).count(),
        rows,
        chrome,
    };
    html(status, view)
}
