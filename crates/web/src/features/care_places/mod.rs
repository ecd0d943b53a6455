//! Temporary care places (MPO): the unit's beds and their closed days, occupancy per day, the
//! waiting list of booked stays and the stays under way, and the outreach staff's fixed
//! attendance times at drop-in centres. Stays are booked and changed from their referral (the
//! referrals feature).

mod handlers {
    pub(super) mod attendance;
    mod attendance_times;
    mod page;
    pub(super) mod reviews;
    pub(super) mod unit;
}
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/care-places", get(handlers::unit::show))
        .route("/care-places/beds", post(handlers::unit::add_bed))
        .route("/care-places/beds/close", post(handlers::unit::close_bed))
        .route("/care-places/limit", post(handlers::unit::set_limit))
        .route(
            "/care-places/review-series",
            post(handlers::reviews::set_series),
        )
        .route("/care-places/attendance", post(handlers::attendance::add))
}
