//! The care place unit's page: occupancy per day, the closures, the waiting list and the stays
//! under way, the next review meeting's agenda, and the outreach attendance times. Every
//! handler of the feature re-shows it with what was refused.

use super::super::views::{DayRow, ReviewSection, StayRow, UnitPage};
use crate::access::{AuditedAccess, care_unit};
use crate::http::error::AppError;
use crate::services::review_meetings::{ReviewMeeting, days, review_meetings};
use crate::state::AppState;
use crate::ui::respond as html;
use crate::ui::{Chrome, day_text};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::care_place::{Closure, Holding, occupancy, review_due};
use bro_store::BedClosure;
use time::{Date, Duration};

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
            missed: missed(&s.stay, last, &meetings, today),
        }
    };
    let with_days = stays
        .iter()
        .map(|s| (row(s), s.stay.start, s.stay.end, s.stay.ended))
        .collect();
    let reviews = section(state, &chrome, unit, &meetings, with_days, today).await?;
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
        attendance: super::attendance_times::times_of_unit(state, &chrome, unit).await?,
        drop_ins: super::attendance_times::drop_ins(state, unit).await?,
        weekdays: super::attendance_times::weekdays(&chrome),
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

/// Whether a stay's review is overdue: under way, and its due meeting has passed.
fn missed(
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
async fn section(
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
