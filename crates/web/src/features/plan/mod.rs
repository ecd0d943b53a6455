//! The coordinated plan of a course: the team's page, goals with progress notes, version
//! history with comparison, comments, and the printed plan.

mod handlers {
    pub(super) mod goals;
    pub(super) mod plan;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/courses/{id}/plan", get(handlers::plan::show))
        .route("/courses/{id}/plan/history", get(handlers::plan::history))
        .route("/courses/{id}/plan/pdf/{version}", get(handlers::plan::pdf))
        .route("/courses/{id}/plan/comments", post(handlers::plan::comment))
        .route(
            "/courses/{id}/plan/goals/{goal}",
            get(handlers::goals::show).post(handlers::goals::edit),
        )
        .route(
            "/courses/{id}/plan/goals/{goal}/notes",
            post(handlers::goals::note),
        )
        .route(
            "/courses/{id}/plan/interventions/{intervention}",
            post(handlers::plan::update_intervention),
        )
        .route("/courses/{id}/plan/{section}", post(handlers::plan::edit))
}
