//! The directory of offers (tilbud): what each unit offers citizens, public at `/tilbud`;
//! editors publish and change their units' offers as versions, and staff follow the changes.

mod handlers {
    pub(super) mod directory;
    pub(super) mod editing;
    pub(super) mod follows;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/tilbud",
            get(handlers::directory::search).post(handlers::directory::search_for_course),
        )
        .route("/tilbud/follow", post(handlers::follows::follow))
        .route("/tilbud/{id}", get(handlers::directory::show))
        .route(
            "/tilbud/ekstern/{id}",
            get(handlers::directory::show_external),
        )
        .route("/tilbud/{id}/versions", get(handlers::directory::versions))
        .route(
            "/offers",
            get(handlers::editing::mine).post(handlers::editing::create),
        )
        .route("/offers/new", get(handlers::editing::new_form))
        .route("/offers/editors", post(handlers::editing::set_editor))
        .route("/offers/{id}", post(handlers::editing::change))
        .route("/offers/{id}/edit", get(handlers::editing::edit_form))
        .route("/offers/{id}/status", post(handlers::editing::set_status))
        .route("/offers/{id}/confirm", post(handlers::editing::confirm))
}
