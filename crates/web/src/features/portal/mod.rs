//! Where each kind of user lands: staff on their home page, the citizen and the relative on
//! their own page (the citizen's plan, their own goals and comments, what their network may
//! see), and the citizen's record of who has looked at their data.

mod handlers {
    pub(super) mod access_log;
    pub(super) mod home;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(handlers::home::root))
        .route("/home", get(handlers::home::home))
        .route("/me", get(handlers::home::me))
        .route("/me/plan.pdf", get(handlers::home::own_plan_pdf))
        .route("/me/access-log", get(handlers::access_log::page))
        .route("/me/access-log.csv", get(handlers::access_log::csv))
        .route("/me/access-log.pdf", get(handlers::access_log::pdf))
        .route("/me/goals", post(handlers::home::add_own_goal))
        .route(
            "/me/goals/{goal}",
            get(handlers::home::own_goal).post(handlers::home::edit_own_goal),
        )
        .route("/me/agree", post(handlers::home::agree))
        .route("/me/comments", post(handlers::home::comment))
        .route(
            "/me/network/{member}",
            post(handlers::home::set_network_share),
        )
}
