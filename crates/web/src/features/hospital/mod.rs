//! Hospital messages at the receiving organisation: the API a message broker delivers MedCom
//! HospitalNotifications to, and the admin's page of its client tokens, its SOR id and the
//! messages that did not reach a citizen. What a message does to a course is the intake
//! service's; the course page shows it.

mod handlers {
    pub(super) mod ack;
    pub(super) mod admin;
    pub(super) mod api;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Where a message broker delivers.
pub(super) const API_PATH: &str = "/api/medcom/hospital-notifications";

/// The admin's pages (behind sessions and CSRF).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/hospital", get(handlers::admin::page))
        .route("/admin/hospital/sor", post(handlers::admin::set_sor))
        .route("/admin/hospital/rematch", post(handlers::admin::rematch))
        .route(
            "/admin/hospital/clients",
            post(handlers::admin::create_client),
        )
        .route(
            "/admin/hospital/clients/{id}/revoke",
            post(handlers::admin::revoke_client),
        )
}

/// The API: authenticated by its client token, outside sessions and CSRF.
pub(super) fn api() -> Router<AppState> {
    Router::new().route(API_PATH, post(handlers::api::receive))
}
