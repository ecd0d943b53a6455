//! The citizen's own secret, revocable calendar address: their appointments from 90 days back
//! as a feed that calendar programs poll without logging in, each entry as the .ics download
//! says it ("Aftale" or "Videomøde, se Bro", the time and the place), never the video link, the
//! kind of treatment or whom the citizen meets. Made and revoked on `/me/appointments`.

use super::own::{PAST_MS, entry, render_mine};
use crate::access::{AuditedAccess, own_appointment_feed, own_appointments};
use crate::http::address::public_base;
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::calendar_feeds::{feed_token, new_feed};
use crate::state::AppState;
use crate::ui::ics::ics;
use crate::ui::page::Page;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use bro_render::calendar;
use bro_store::FeedOwner;

/// Where the citizens' appointment feeds live.
const FEEDS: &str = "/calendar/appointments";

/// Makes a calendar address for the citizen's appointments; shown once.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let (citizen, ctx) = own_appointments(&state, &access).await?;
    let owner = (FeedOwner::Citizen(citizen), FEEDS);
    let url = new_feed(&state, &ctx, owner, &headers).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me");
    render_mine(&state, &access, chrome, (None, Some(url))).await
}

pub async fn revoke(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(feed): Path<i64>,
) -> Result<Response, AppError> {
    let (citizen, ctx) = own_appointments(&state, &access).await?;
    state
        .store
        .revoke_feed(&ctx, FeedOwner::Citizen(citizen), feed)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/me/appointments",
        "flash-calendar-revoked",
    ))
}

/// The feed behind a secret address (no session); unknown or revoked is "not found".
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = feed_token(&file).ok_or(AppError::NotFound)?;
    let (citizen, ctx) = own_appointment_feed(&state, token).await?;
    let from = state.clock.now_ms() - PAST_MS;
    let all = state
        .store
        .citizen_appointments(&ctx, citizen, from)
        .await?;
    let base = public_base(&state, &headers);
    let events: Vec<_> = all.iter().map(|a| entry(&state, &base, a)).collect();
    let name = state
        .i18n
        .get(Default::default(), "appointment-calendar-name");
    Ok(ics(calendar(&name, &events), None))
}
