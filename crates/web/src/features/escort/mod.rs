//! Escort to appointments (issue 19): asked for by a team member or the citizen, answered by
//! the municipality's escort service (who, where and when to meet, or why not), flagged when
//! the answer is late, and afterwards the time each escort took.

mod handlers {
    pub(super) mod ask;
    pub(super) mod service;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use handlers::{ask, service};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/courses/{id}/appointments/{a}/escort",
            get(ask::course_form).post(ask::course_ask),
        )
        .route(
            "/me/appointments/{a}/escort",
            get(ask::own_form).post(ask::own_ask),
        )
        .route("/escort", get(service::list))
        .route("/escort/{id}", get(service::show))
        .route("/escort/{id}/accept", post(service::accept))
        .route("/escort/{id}/decline", post(service::decline))
        .route("/escort/{id}/time", post(service::time))
}
