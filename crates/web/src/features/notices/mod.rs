//! Notices: each person's list of what Bro tells them (a consent recorded for their citizen,
//! a new course opened elsewhere), and marking them read. Capabilities write them in their
//! own transactions; this feature only shows them.

mod handlers {
    pub(super) mod notices;
}
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/notices", get(handlers::notices::list))
        .route("/notices/read", post(handlers::notices::mark_read))
}
