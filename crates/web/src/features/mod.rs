//! The capabilities of Bro, one folder each. A feature's folder is private to it: its router is
//! all it shows, so one feature cannot import another (the compiler refuses it). What two
//! features need lies below them, in `access`, `services`, `ui` and `http`.

mod admin;
mod appointments;
mod auth;
mod care_places;
mod courses;
mod escort;
mod hospital;
mod hsds;
mod meetings;
mod notices;
mod offers;
mod outreach;
mod plan;
mod portal;
mod referrals;
mod sharing;

use crate::http::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;

/// The whole route table: the sum of the feature routers, behind sessions and CSRF; health
/// checks and static files outside them.
pub fn router(state: AppState) -> Router {
    let hsts = state.config.hsts;
    Router::new()
        .merge(auth::router())
        .merge(portal::router())
        .merge(courses::router())
        .merge(plan::router())
        .merge(sharing::router())
        .merge(meetings::router())
        .merge(notices::router())
        .merge(offers::router())
        .merge(referrals::router())
        .merge(care_places::router())
        .merge(outreach::router())
        .merge(hsds::router())
        .merge(hospital::router())
        .merge(appointments::router())
        .merge(escort::router())
        .merge(admin::router())
        .fallback(|| async { AppError::NotFound })
        .layer(from_fn_with_state(state.clone(), crate::http::forms::layer))
        .layer(from_fn_with_state(
            state.clone(),
            crate::http::session::layer,
        ))
        .layer(from_fn_with_state(state.clone(), crate::http::csrf::layer))
        .layer(from_fn_with_state(
            state.clone(),
            crate::ui::error_page::render,
        ))
        // The hospital API authenticates each request by its client token and answers in
        // MedCom's format, not with pages: outside sessions, CSRF and the error pages.
        .merge(hospital::api())
        // Health and assets sit outside sessions and CSRF: cheap, and never personal.
        .route("/healthz", get(crate::http::health::healthz))
        .route("/readyz", get(crate::http::health::readyz))
        .route("/static/{version}/{*path}", get(crate::http::assets::serve))
        .layer(from_fn(
            move |req, next: axum::middleware::Next| async move {
                let mut res = next.run(req).await;
                crate::http::headers::apply(&mut res, hsts);
                res
            },
        ))
        .layer(from_fn(crate::http::request_id::assign))
        .with_state(state)
}
