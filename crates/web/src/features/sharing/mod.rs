//! What is shared across organisations: the citizen's consents, legal bases other than
//! consent, requests for consent, and emergency access with its review.

mod handlers {
    pub(super) mod consents;
    pub(super) mod emergency;
    pub(super) mod legal_bases;
    pub(super) mod own_consents;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/me/consents",
            get(handlers::own_consents::mine).post(handlers::own_consents::give),
        )
        .route(
            "/me/consents/{consent}/withdraw",
            post(handlers::own_consents::withdraw),
        )
        .route(
            "/me/consents/{consent}/confirm",
            post(handlers::own_consents::confirm),
        )
        .route(
            "/me/consents/{consent}/document",
            get(handlers::own_consents::document),
        )
        .route(
            "/courses/{id}/consents",
            get(handlers::consents::list)
                .post(handlers::consents::record)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::http::csrf::MAX_UPLOAD_BYTES,
                )),
        )
        .route(
            "/courses/{id}/consent-requests",
            post(handlers::consents::request),
        )
        .route(
            "/courses/{id}/emergency",
            get(handlers::emergency::form).post(handlers::emergency::start),
        )
        .route("/admin/emergency-access", get(handlers::emergency::reviews))
        .route(
            "/admin/emergency-access/{id}/review",
            post(handlers::emergency::review),
        )
        .route(
            "/admin/emergency-access/{id}/approve",
            post(handlers::emergency::approve),
        )
        .route(
            "/courses/{id}/legal-bases",
            post(handlers::legal_bases::record),
        )
        .route(
            "/courses/{id}/legal-bases/{basis}/end",
            post(handlers::legal_bases::end),
        )
        .route(
            "/courses/{id}/consents/{consent}/withdraw",
            post(handlers::consents::withdraw),
        )
        .route(
            "/courses/{id}/consents/{consent}/confirm",
            post(handlers::consents::confirm),
        )
        .route(
            "/courses/{id}/consents/{consent}/document",
            get(handlers::consents::document),
        )
}
