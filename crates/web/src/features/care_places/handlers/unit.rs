//! The care place unit's page, and adding and closing beds (its function leader).

use super::super::views::{DayRow, StayRow, UnitPage};
use crate::access::{AuditedAccess, care_unit, manage_beds};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::review_meetings::review_meetings;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::respond as html;
use crate::ui::{Chrome, day_text};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::care_place::{Closure, Holding, occupancy};
use bro_store::{BedClosure, Conflict, StoreError};
use serde::Deserialize;
use time::Duration;

/// Days of occupancy shown: a week back and three weeks ahead.
const BACK: i64 = 7;
const AHEAD: i64 = 21;

/// Occupancy per day from `from`, in words.
fn day_rows(
    chrome: &Chrome,
    beds: &[bro_store::Bed],
    closed: &[BedClosure],
    stays: &[bro_store::UnitStay],
    from: time::Date,
    today: time::Date,
) -> Vec<DayRow> {
    let bed_ids: Vec<i64> = beds.iter().map(|b| b.id).collect();
    let closures: Vec<Closure> = closed
        .iter()
        .map(|c| Closure {
            bed: c.bed_id,
            from: c.from,
            to: c.to,
        })
        .collect();
    let holdings: Vec<Holding> = stays
        .iter()
        .map(|s| Holding {
            bed: s.stay.bed_id,
            from: s.stay.start,
            to: s.stay.end,
        })
        .collect();
    occupancy(&bed_ids, &closures, &holdings, from, BACK + AHEAD)
        .into_iter()
        .map(|d| DayRow {
            day: day_text(d.day),
            text: chrome.tn(
                "care-used",
                &[("used", d.used.to_string()), ("open", d.open.to_string())],
            ),
            today: d.day == today,
        })
        .collect()
}

/// The closures from today on: (bed, from, to, reason).
fn closure_rows(
    beds: &[bro_store::Bed],
    closed: &[BedClosure],
    today: time::Date,
) -> Vec<(String, String, String, String)> {
    let name_of = |bed: i64| {
        beds.iter()
            .find(|b| b.id == bed)
            .map(|b| b.name.clone())
            .unwrap_or_default()
    };
    closed
        .iter()
        .filter(|c| c.to > today)
        .map(|c| {
            (
                name_of(c.bed_id),
                day_text(c.from),
                day_text(c.to),
                c.reason.clone(),
            )
        })
        .collect()
}

pub(super) async fn render(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    flash: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (unit, ctx) = care_unit(state, access).await?;
    let today = crate::ui::danish_date(state.clock.now_ms());
    let (from, to) = (today - Duration::days(BACK), today + Duration::days(AHEAD));
    let beds = state.store.beds(unit).await?;
    let closed = state.store.bed_closures(unit, from, to).await?;
    let stays = state.store.unit_stays(&ctx, unit, from, to).await?;
    let days = day_rows(&chrome, &beds, &closed, &stays, from, today);
    let ids: Vec<i64> = stays.iter().map(|s| s.stay.id).collect();
    let reviewed = state.store.last_reviews(&ids).await?;
    // The review meetings from the earliest stay shown to the end of the days shown.
    let first = stays.iter().map(|s| s.stay.start).min().unwrap_or(from);
    let meetings = review_meetings(state, unit, first.min(from), to).await?;
    let row = |s: &bro_store::UnitStay| {
        let last = reviewed
            .iter()
            .find(|(id, _)| *id == s.stay.id)
            .map(|(_, d)| *d);
        StayRow {
            referral_id: s.stay.referral_id,
            citizen: s.citizen_name.clone(),
            bed: s.stay.bed.clone(),
            start: day_text(s.stay.start),
            end: day_text(s.stay.end),
            missed: super::reviews::missed(&s.stay, last, &meetings, today),
        }
    };
    let with_days = stays
        .iter()
        .map(|s| (row(s), s.stay.start, s.stay.end, s.stay.ended))
        .collect();
    let reviews =
        super::reviews::section(state, &chrome, unit, &meetings, with_days, today).await?;
    let waiting = stays
        .iter()
        .filter(|s| s.stay.arrived_ms.is_none())
        .map(row)
        .collect();
    let staying = stays
        .iter()
        .filter(|s| s.stay.arrived_ms.is_some() && !s.stay.ended)
        .map(row)
        .collect();
    let view = UnitPage {
        closures: closure_rows(&beds, &closed, today),
        unit: state.store.unit(unit).await?.name,
        max_days: state.store.max_stay_days(unit).await?,
        attendance: super::attendance::times_of_unit(state, &chrome, unit).await?,
        drop_ins: super::attendance::drop_ins(state, unit).await?,
        weekdays: super::attendance::weekdays(&chrome),
        leader: access
            .viewer
            .actor
            .has_role(bro_domain::Role::FunctionLeader),
        beds,
        days,
        waiting,
        staying,
        reviews,
        flash,
        error,
        chrome,
    };
    html(StatusCode::OK, view)
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let flash = page.flash(&chrome);
    render(&state, &access, chrome, flash, None).await
}

#[derive(Deserialize)]
pub(crate) struct BedForm {
    #[serde(default)]
    name: String,
}

pub async fn add_bed(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<BedForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = manage_beds(&state, &access).await?;
    let name = form.name.trim();
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    if name.is_empty() || name.chars().count() > 100 {
        let error = Some(chrome.t("care-error-bed-name"));
        return render(&state, &access, chrome, None, error).await;
    }
    match state.store.add_bed(&ctx, unit, name).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/care-places",
            "flash-bed-added",
        )),
        Err(StoreError::Conflict(Conflict::Name)) => {
            let error = Some(chrome.t("care-error-bed-exists"));
            render(&state, &access, chrome, None, error).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct LimitForm {
    #[serde(default)]
    days: String,
}

/// The unit's longest stay, in days (1 to 365): bookings and extensions keep within it.
pub async fn set_limit(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<LimitForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = manage_beds(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let Some(days) = form
        .days
        .trim()
        .parse()
        .ok()
        .filter(|d| (1..=365).contains(d))
    else {
        let error = Some(chrome.t("care-error-limit"));
        return render(&state, &access, chrome, None, error).await;
    };
    state.store.set_max_stay_days(&ctx, unit, days).await?;
    Ok(redirect_with_flash(
        &state,
        "/care-places",
        "flash-limit-saved",
    ))
}

#[derive(Deserialize)]
pub(crate) struct CloseForm {
    #[serde(default)]
    bed: i64,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

pub async fn close_bed(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<CloseForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = manage_beds(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let parse = |s: &str| bro_domain::plan::parse_day(s).ok();
    let closure = match (parse(&form.from), parse(&form.to)) {
        (Some(from), Some(to)) if from < to && !form.reason.trim().is_empty() => BedClosure {
            bed_id: form.bed,
            from,
            to,
            reason: form.reason.chars().take(500).collect(),
        },
        _ => {
            let error = Some(chrome.t("care-error-closure"));
            return render(&state, &access, chrome, None, error).await;
        }
    };
    match state.store.close_bed(&ctx, unit, &closure).await {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            "/care-places",
            "flash-bed-closed",
        )),
        Err(StoreError::Conflict(Conflict::BedTaken)) => {
            let error = Some(chrome.t("care-error-bed-taken"));
            render(&state, &access, chrome, None, error).await
        }
        Err(e) => Err(e.into()),
    }
}
