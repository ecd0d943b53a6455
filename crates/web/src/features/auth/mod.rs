//! Logging in and out, the second factor, the user's own account, and the active role and
//! language they work in.

mod handlers {
    pub(super) mod account;
    pub(super) mod context;
    pub(super) mod login;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            get(handlers::login::form).post(handlers::login::submit),
        )
        .route(
            "/login/second-factor",
            get(handlers::login::second_factor_form).post(handlers::login::second_factor_submit),
        )
        .route("/logout", post(handlers::login::logout))
        .route(
            "/logout/everywhere",
            post(handlers::login::logout_everywhere),
        )
        .route("/context", post(handlers::context::switch_context))
        .route("/language", post(handlers::context::language))
        .route("/account", get(handlers::account::show))
        .route("/account/email", post(handlers::account::set_email))
        .route(
            "/account/offer-mail",
            post(handlers::account::set_offer_mail),
        )
        .route(
            "/account/second-factor",
            get(handlers::account::enrol_form).post(handlers::account::enrol_submit),
        )
        .route(
            "/account/recovery-codes",
            post(handlers::account::renew_recovery_codes),
        )
}
