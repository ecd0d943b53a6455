//! Referral and visitation: a course's citizen referred to an offer in the directory, the
//! receiving unit's queue and decisions, each step shown to the referrer, the team (as sharing
//! allows) and the citizen.

mod handlers {
    pub(super) mod attachments;
    pub(super) mod own;
    pub(super) mod refer;
    pub(super) mod stay;
    pub(super) mod work;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/courses/{id}/referrals",
            get(handlers::refer::of_course).post(handlers::refer::create),
        )
        .route(
            "/courses/{id}/referrals/new",
            get(handlers::refer::new_form),
        )
        .route("/referrals", get(handlers::work::queue))
        .route("/referrals/{id}", get(handlers::work::show))
        .route("/referrals/{id}/step", post(handlers::work::take_step))
        .route("/referrals/{id}/stay", post(handlers::stay::book))
        .route("/referrals/{id}/stay/change", post(handlers::stay::change))
        .route("/referrals/{id}/agreement", post(handlers::stay::agreement))
        .route(
            "/referrals/{id}/attachments",
            post(handlers::attachments::add).layer(axum::extract::DefaultBodyLimit::max(
                crate::http::csrf::MAX_UPLOAD_BYTES,
            )),
        )
        .route(
            "/referrals/{id}/attachments/{attachment}",
            get(handlers::attachments::download_one),
        )
        .route("/me/referrals", get(handlers::own::mine))
        .route("/me/referrals/{id}/confirm", post(handlers::own::confirm))
}
