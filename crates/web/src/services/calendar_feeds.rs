//! Secret calendar addresses: a random token whose keyed digest alone is kept, so the address
//! is shown once, when it is made. Meetings' feeds and the citizen's appointments use it.

use crate::http::address::public_base;
use crate::http::error::AppError;
use crate::state::AppState;
use axum::http::HeaderMap;
use bro_store::{AuditCtx, FeedOwner};

/// Makes a feed for `owner` and returns its address, `{base}{path}/{token}.ics`.
pub(crate) async fn new_feed(
    state: &AppState,
    ctx: &AuditCtx,
    (owner, path): (FeedOwner, &str),
    headers: &HeaderMap,
) -> Result<String, AppError> {
    let token = bro_auth::token::random_token();
    state
        .store
        .create_feed(ctx, owner, &state.config.session_digest(&token))
        .await?;
    Ok(format!("{}{path}/{token}.ics", public_base(state, headers)))
}

/// The token of a feed's file name `{token}.ics`, if it has that form.
pub(crate) fn feed_token(file: &str) -> Option<&str> {
    file.strip_suffix(".ics")
        .filter(|t| !t.is_empty() && t.len() <= 128)
}
