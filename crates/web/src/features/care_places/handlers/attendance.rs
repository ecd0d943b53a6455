//! The outreach staff's fixed attendance times at drop-in centres: kept by the unit, shown on
//! the centre's page in the directory (not personal data).

use super::attendance_times::drop_ins;
use super::page::render;
use crate::access::{AuditedAccess, care_unit};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use axum::extract::State;
use axum::response::Response;
use bro_store::AttendanceTime;
use serde::Deserialize;

#[derive(Deserialize)]
pub(crate) struct AttendanceForm {
    #[serde(default)]
    offer: i64,
    #[serde(default)]
    weekday: String,
    #[serde(default)]
    span: String,
}

/// "10:00-12:00" as minutes after midnight, the end after the start.
fn parse_span(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once(['-', '–'])?;
    let minutes = |t: &str| {
        let t = bro_domain::local_time::parse_clock(t.trim())?;
        Some(u16::from(t.hour()) * 60 + u16::from(t.minute()))
    };
    let (from, to) = (minutes(a)?, minutes(b)?);
    (from < to).then_some((from, to))
}

pub async fn add(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<AttendanceForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = care_unit(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let centres = drop_ins(&state, unit).await?;
    let weekday: Option<u8> = form.weekday.parse().ok().filter(|d| *d < 7);
    let known = centres.iter().find(|(id, _)| *id == form.offer);
    let (Some(weekday), Some((from_min, to_min)), Some((offer_id, name))) =
        (weekday, parse_span(&form.span), known)
    else {
        let error = Some(chrome.t("outreach-error-attendance"));
        return render(&state, &access, chrome, None, error).await;
    };
    let time = AttendanceTime {
        offer_id: *offer_id,
        offer: name.clone(),
        unit: String::new(),
        weekday,
        from_min,
        to_min,
    };
    state.store.add_attendance(&ctx, unit, &time).await?;
    Ok(redirect_with_flash(
        &state,
        "/care-places",
        "flash-attendance-saved",
    ))
}
