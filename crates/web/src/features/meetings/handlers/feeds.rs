//! Making and revoking calendar feeds: a team's, on its page, and the viewer's own, on the list
//! of teams.

use super::teams::{Refused, back, render, teams_page};
use crate::access::AuditedAccess;
use crate::access::TeamScope;
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::calendar_feeds::new_feed;
use crate::state::AppState;
use crate::ui::FormErrors;
use crate::ui::page::Page;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bro_domain::TeamId;
use bro_store::FeedOwner;

/// Makes a secret calendar address for the team's meetings; shown once.
pub async fn create_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    let url = new_feed(
        &state,
        &ctx,
        (FeedOwner::Team(view.team.id), "/calendar"),
        &headers,
    )
    .await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let refused = Refused {
        new_feed_url: Some(url),
        ..Refused::default()
    };
    render(&state, &access, chrome, None, view, refused, StatusCode::OK).await
}

pub async fn revoke_feed(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, feed)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    state
        .store
        .revoke_feed(&ctx, FeedOwner::Team(view.team.id), feed)
        .await?;
    Ok(back(&state, id, "flash-calendar-revoked"))
}

/// Makes a secret calendar address for the viewer's own meetings; shown once.
pub async fn create_own_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let ctx = access.own();
    let owner = FeedOwner::User(access.viewer.user.id);
    let url = new_feed(&state, &ctx, (owner, "/calendar"), &headers).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    teams_page(
        &state,
        &access,
        chrome,
        None,
        FormErrors::default(),
        Some(url),
        StatusCode::OK,
    )
    .await
}

pub async fn revoke_own_feed(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(feed): Path<i64>,
) -> Result<Response, AppError> {
    let ctx = access.own();
    state
        .store
        .revoke_feed(&ctx, FeedOwner::User(access.viewer.user.id), feed)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/teams",
        "flash-calendar-revoked",
    ))
}
