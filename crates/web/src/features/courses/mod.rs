//! Courses of care: the staff member's own courses, finding a citizen, opening a course, and
//! the course page with its phase, care team, network, legal frame and timeline.

mod handlers {
    pub(super) mod courses;
    pub(super) mod hospital;
    pub(super) mod hospital_form;
    pub(super) mod members;
    pub(super) mod network;
    pub(super) mod search;
}
mod forms;
mod hospital_form;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/courses",
            get(handlers::courses::mine).post(handlers::courses::open),
        )
        .route("/courses/{id}", get(handlers::courses::show))
        .route("/courses/{id}/phase", post(handlers::courses::move_phase))
        .route("/courses/{id}/close", post(handlers::courses::close))
        .route("/courses/{id}/members", post(handlers::members::add))
        .route(
            "/courses/{id}/members/{member}/remove",
            post(handlers::members::remove),
        )
        .route(
            "/courses/{id}/members/{member}/coordinator",
            post(handlers::members::make_coordinator),
        )
        .route(
            "/citizens/search",
            get(handlers::search::search_form).post(handlers::search::search),
        )
        .route("/courses/{id}/frame", post(handlers::courses::set_frame))
        .route(
            "/courses/{id}/hospital/new",
            get(handlers::hospital_form::new).post(handlers::hospital_form::create),
        )
        .route(
            "/courses/{id}/hospital/{episode}/follow-up",
            post(handlers::hospital::book_follow_up),
        )
        .route("/courses/{id}/network", post(handlers::network::add))
        .route(
            "/courses/{id}/network/{member}/remove",
            post(handlers::network::remove),
        )
}
