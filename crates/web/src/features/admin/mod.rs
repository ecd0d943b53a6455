//! An organisation's administration: settings, units, users and their roles, and
//! collaborations with other organisations.

mod handlers {
    pub(super) mod admin;
    pub(super) mod collaborations;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(handlers::admin::overview))
        .route("/admin/settings", post(handlers::admin::settings))
        .route(
            "/admin/units",
            get(handlers::admin::units).post(handlers::admin::create_unit),
        )
        .route(
            "/admin/collaborations",
            get(handlers::collaborations::list).post(handlers::collaborations::create),
        )
        .route(
            "/admin/collaborations/{id}/phases",
            post(handlers::collaborations::set_phases),
        )
        .route(
            "/admin/users",
            get(handlers::admin::users).post(handlers::admin::create_user),
        )
        .route("/admin/users/new", get(handlers::admin::new_user))
        .route("/admin/users/{id}", get(handlers::admin::user))
        .route("/admin/users/{id}/roles", post(handlers::admin::grant_role))
        .route(
            "/admin/users/{id}/roles/{assignment}/revoke",
            post(handlers::admin::revoke_role),
        )
        .route(
            "/admin/users/{id}/password",
            post(handlers::admin::reset_password),
        )
        .route(
            "/admin/users/{id}/deactivate",
            post(handlers::admin::deactivate),
        )
}
