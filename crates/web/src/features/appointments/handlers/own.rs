//! The citizen's own calendar on `/me/appointments`: every appointment across the sectors in
//! plain words, the video button shortly before a video consultation, and each appointment as
//! an .ics download; and the same download for the care team. A calendar entry says only
//! "Aftale" or "Videomøde, se Bro", the time and the place: never the video link, the kind of
//! treatment or whom the citizen meets.

use super::super::views::{AppointmentRow, MyAppointmentsPage};
use crate::access::{AuditedAccess, CourseScope, course_appointments, own_appointments};
use crate::http::address::public_base;
use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::ics::ics;
use crate::ui::page::Page;
use crate::ui::{Chrome, respond as html};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bro_render::{CalendarEvent, calendar};
use bro_store::{Appointment, FeedOwner};

/// How far back `/me/appointments` and the citizen's calendar feed show what happened.
pub(super) const PAST_MS: i64 = 90 * 24 * 60 * 60 * 1000;

pub async fn mine(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/me");
    let flash = page.flash(&chrome);
    render_mine(&state, &access, chrome, (flash, None)).await
}

/// The citizen's calendar page; `new_feed` is a calendar address just made, shown this once.
pub(super) async fn render_mine(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    (flash, new_feed): (Option<String>, Option<String>),
) -> Result<Response, AppError> {
    let (citizen, ctx) = own_appointments(state, access).await?;
    let now = state.clock.now_ms();
    let all = state
        .store
        .citizen_appointments(&ctx, citizen, now - PAST_MS)
        .await?;
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    for a in &all {
        let row = AppointmentRow::of(&chrome, a, now);
        if a.slot.ends_ms > now && a.cancelled.is_none() {
            upcoming.push(row);
        } else {
            past.push(row);
        }
    }
    past.reverse();
    let feeds = state
        .store
        .feeds(FeedOwner::Citizen(citizen))
        .await?
        .iter()
        .map(|f| (f.id, crate::ui::when(f.created_ms)))
        .collect();
    let view = MyAppointmentsPage {
        flash,
        upcoming,
        past,
        feeds,
        new_feed,
        chrome,
    };
    html(StatusCode::OK, view)
}

/// One appointment as a calendar entry, without personal data or the video link.
pub(super) fn entry(state: &AppState, base: &str, a: &Appointment) -> CalendarEvent {
    let lang = Default::default();
    let summary = match a.slot.video_url {
        Some(_) => state.i18n.get(lang, "appointment-calendar-video"),
        None => state.i18n.get(lang, "appointment-calendar-summary"),
    };
    CalendarEvent {
        uid: format!("appointment-{}@bro", a.id),
        starts_ms: a.slot.starts_ms,
        ends_ms: a.slot.ends_ms,
        summary,
        location: a.slot.place.clone(),
        url: format!("{base}/me/appointments"),
        description: String::new(),
        cancelled: a.cancelled.is_some(),
        sequence: u32::try_from(a.version).unwrap_or(0),
        stamp_ms: state.clock.now_ms(),
    }
}

fn download(state: &AppState, headers: &HeaderMap, a: &Appointment) -> Response {
    let base = public_base(state, headers);
    let name = state
        .i18n
        .get(Default::default(), "appointment-calendar-name");
    let body = calendar(&name, &[entry(state, &base, a)]);
    ics(body, Some(&format!("appointment-{}.ics", a.id)))
}

/// The citizen's own appointment as an .ics file.
pub async fn own_ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (citizen, ctx) = own_appointments(&state, &access).await?;
    let all = state.store.citizen_appointments(&ctx, citizen, 0).await?;
    let a = all.iter().find(|a| a.id == id).ok_or(AppError::NotFound)?;
    Ok(download(&state, &headers, a))
}

/// An appointment on the course as an .ics file, for those who may see it there.
pub async fn course_ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    access: AuditedAccess,
    Path((course, id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let scope = CourseScope::read(&state, &access, course).await?;
    let seen = course_appointments(&state, &access, &scope).await?;
    let a = seen
        .shown
        .iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(download(&state, &headers, a))
}
