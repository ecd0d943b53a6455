//! The outreach effort (fremskudt indsats): contacts with a course's citizen where they live
//! their life, and from a contact that shows a worsening, a referral to a care place. The fixed
//! attendance times at drop-in centres are kept on the care places page and shown on the
//! centre's page in the directory.

mod handlers {
    pub(super) mod contacts;
}
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::get;

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/courses/{id}/outreach",
        get(handlers::contacts::list).post(handlers::contacts::add),
    )
}
