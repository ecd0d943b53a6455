//! Calendar feeds: a secret, revocable address per user or team that calendar programs poll,
//! and a single meeting as a download. A feed carries no personal data about citizens: only
//! "Fælles Team møde", the time, the place and a link into Bro (which asks for a login).

use crate::access::AuditedAccess;
use crate::access::TeamScope;
use crate::http::address::public_base;
use crate::http::error::AppError;
use crate::services::calendar_feeds::feed_token;
use crate::state::AppState;
use crate::ui::ics::ics;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use bro_domain::{MeetingId, Timestamp};
use bro_render::{CalendarEvent, calendar};
use bro_store::{FeedOwner, Meeting};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn events(state: &AppState, base: &str, meetings: &[Meeting]) -> Vec<CalendarEvent> {
    let summary = state.i18n.get(Default::default(), "calendar-summary");
    let now = state.clock.now_ms();
    meetings
        .iter()
        .map(|m| CalendarEvent {
            uid: format!("meeting-{}@bro", m.id),
            starts_ms: m.starts_ms,
            ends_ms: m.ends_ms,
            summary: summary.clone(),
            location: m.place.clone(),
            url: format!("{base}/meetings/{}", m.id),
            description: format!("{} – {base}/meetings/{}", m.team_name, m.id),
            cancelled: m.cancelled_ms.is_some(),
            sequence: u32::try_from(m.sequence).unwrap_or(0),
            stamp_ms: now,
        })
        .collect()
}

/// The feed behind a secret address (no session: calendar programs cannot log in). A revoked
/// or unknown token is "not found".
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = feed_token(&file).ok_or(AppError::NotFound)?;
    let feed = state
        .store
        .feed_by_digest(&state.config.session_digest(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let now: Timestamp = state.clock.now_ms();
    let (from, to) = (now - 90 * DAY_MS, now + 400 * DAY_MS);
    let (name, meetings) = match feed.owner {
        FeedOwner::User(user) => (
            state.i18n.get(Default::default(), "calendar-my-name"),
            state.store.meetings_of_user(user, from, to).await?,
        ),
        FeedOwner::Team(team) => (
            state.store.team(team).await?.name,
            state.store.meetings_of_team(team, from, to).await?,
        ),
        // A citizen's appointments have their own address.
        FeedOwner::Citizen(_) => return Err(AppError::NotFound),
    };
    let base = public_base(&state, &headers);
    Ok(ics(
        calendar(&name, &events(&state, &base, &meetings)),
        None,
    ))
}

/// One meeting as an .ics download, for team members.
pub async fn meeting(
    State(state): State<AppState>,
    headers: HeaderMap,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let meeting = state.store.meeting(MeetingId(id)).await?;
    let view = TeamScope::member(&state, &access, meeting.team_id).await?;
    let base = public_base(&state, &headers);
    let body = calendar(&view.team.name, &events(&state, &base, &[meeting]));
    Ok(ics(body, Some(&format!("meeting-{id}.ics"))))
}
