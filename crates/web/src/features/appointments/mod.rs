//! Appointments across sectors (issue 19): the course's calendar, booking, moving and
//! cancelling with the history kept, what happened recorded by the booking unit, no-shows
//! followed up, and the citizen's own calendar and calendar feed.

mod handlers {
    pub(super) mod book;
    pub(super) mod change;
    pub(super) mod course;
    pub(super) mod feed;
    pub(super) mod own;
    pub(super) mod unit;
}
mod forms;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use handlers::{book, change, course, feed, own, unit};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/courses/{id}/appointments", get(course::list))
        .route(
            "/courses/{id}/appointments/new",
            get(book::new).post(book::create),
        )
        .route(
            "/courses/{id}/appointments/follow-up",
            post(course::follow_up),
        )
        .route("/courses/{id}/appointments/{a}", get(change::show))
        .route("/courses/{id}/appointments/{a}/move", post(change::move_to))
        .route(
            "/courses/{id}/appointments/{a}/cancel",
            post(change::cancel),
        )
        .route(
            "/courses/{id}/appointments/{a}/attendance",
            post(change::attendance),
        )
        .route(
            "/courses/{id}/appointments/{a}/calendar.ics",
            get(own::course_ics),
        )
        .route("/me/appointments", get(own::mine))
        .route("/me/appointments/{a}/calendar.ics", get(own::own_ics))
        .route("/me/appointments/calendar", post(feed::create))
        .route(
            "/me/appointments/calendar/{feed}/revoke",
            post(feed::revoke),
        )
        .route("/calendar/appointments/{file}", get(feed::feed))
        .route("/appointments/to-record", get(unit::to_record))
}
