//! The unit's list of appointments that have begun and wait for what happened to be recorded,
//! oldest first; those not recorded within 2 working days are marked "mangler registrering".

use super::super::views::{AppointmentRow, UnitPage, UnitRow};
use crate::access::{AuditedAccess, unit_appointments};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::respond as html;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// The most a list shows at once; the oldest come first.
const SHOWN: i64 = 200;

pub async fn to_record(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let (unit, ctx) = unit_appointments(&state, &access).await?;
    let listed = state
        .store
        .unrecorded_appointments(&ctx, unit, SHOWN)
        .await?;
    let chrome = page.chrome(&state, &access.viewer, "/appointments");
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
    let view = UnitPage {
        unit: state.store.unit(unit).await?.name,
        missing: rows.iter().filter(|r| r.row.record_missing).count(),
        rows,
        chrome,
    };
    html(StatusCode::OK, view)
}
