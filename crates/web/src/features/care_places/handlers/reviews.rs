//! The unit's fortnightly reviews: which meeting series they are held at (the function
//! leader's choice, among the series of the unit's organisation's teams), and the next
//! meeting's agenda of every stay under way on its day.

use super::super::views::{ReviewSection, StayRow};
use super::unit::render;
use crate::access::{AuditedAccess, manage_beds};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::review_meetings::{ReviewMeeting, days};
use crate::state::AppState;
use crate::ui::Chrome;
use crate::ui::page::Page;
use axum::extract::State;
use axum::response::Response;
use bro_domain::care_place::review_due;
use serde::Deserialize;
use time::Date;

/// Whether a stay's review is overdue: under way, and its due meeting has passed.
pub(super) fn missed(
    stay: &bro_store::Stay,
    last: Option<Date>,
    meetings: &[ReviewMeeting],
    today: Date,
) -> bool {
    stay.arrived_ms.is_some()
        && !stay.ended
        && review_due(stay.start, last, &days(meetings)).is_some_and(|d| d < today)
}

/// The section of the unit's page: the review team, its next meeting from `today` and that
/// meeting's agenda out of `rows` (the unit's stays with their days), and what the leader may
/// choose from.
pub(super) async fn section(
    state: &AppState,
    chrome: &Chrome,
    unit: bro_domain::UnitId,
    meetings: &[ReviewMeeting],
    rows: Vec<(StayRow, Date, Date, bool)>,
    today: Date,
) -> Result<ReviewSection, AppError> {
    let series = state.store.review_series(unit).await?;
    let next = meetings.iter().find(|m| m.day >= today);
    let agenda = match next {
        Some(m) => rows
            .into_iter()
            .filter(|(_, start, end, ended)| !ended && *start <= m.day && m.day < *end)
            .map(|(row, ..)| row)
            .collect(),
        None => Vec::new(),
    };
    let org = state.store.unit(unit).await?.org_id;
    let choices = state
        .store
        .series_choices(org)
        .await?
        .into_iter()
        .map(|s| (s.id, format!("{}: {}", s.team_name, s.title)))
        .collect();
    Ok(ReviewSection {
        series: series.map(|s| (s.team_id.0, format!("{}: {}", s.team_name, s.title), s.id)),
        meeting: next.map(|m| (m.id.0, crate::ui::weekday_day(chrome, m.day))),
        agenda,
        choices,
    })
}

#[derive(Deserialize)]
pub(crate) struct SeriesForm {
    #[serde(default)]
    series: i64,
}

/// Chooses the series whose meetings are the unit's reviews: one of its organisation's teams'.
pub async fn set_series(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<SeriesForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = manage_beds(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let org = state.store.unit(unit).await?.org_id;
    let choices = state.store.series_choices(org).await?;
    if !choices.iter().any(|s| s.id == form.series) {
        let error = Some(chrome.t("care-error-review-series"));
        return render(&state, &access, chrome, None, error).await;
    }
    state
        .store
        .set_review_series(&ctx, unit, form.series)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/care-places",
        "flash-review-series-saved",
    ))
}
