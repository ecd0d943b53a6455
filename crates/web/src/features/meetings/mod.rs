//! Fælles Team meetings: teams and their series, agendas, a citizen's case with live minutes,
//! approval and delivery, evaluations, calendar feeds, and the citizen's own meetings.

mod handlers {
    pub(super) mod calendar;
    pub(super) mod cases;
    pub(super) mod feeds;
    pub(super) mod meetings;
    pub(super) mod mine;
    pub(super) mod series;
    pub(super) mod stay_reviews;
    pub(super) mod team_members;
    pub(super) mod teams;
}
mod forms;
mod minutes_document;
mod views;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/me/meetings", get(handlers::mine::list))
        .route("/me/meetings/{case}", get(handlers::mine::case))
        .route(
            "/me/meetings/{case}/evaluation",
            post(handlers::mine::evaluate),
        )
        .route(
            "/me/meetings/{case}/minutes.pdf",
            get(handlers::mine::minutes_pdf),
        )
        .route(
            "/teams",
            get(handlers::teams::list).post(handlers::teams::create),
        )
        .route("/teams/calendar", post(handlers::feeds::create_own_feed))
        .route(
            "/teams/calendar/{feed}/revoke",
            post(handlers::feeds::revoke_own_feed),
        )
        .route("/teams/{team}", get(handlers::teams::page))
        .route("/teams/{team}/agenda", post(handlers::teams::set_agenda))
        .route(
            "/teams/{team}/members",
            post(handlers::team_members::add_member),
        )
        .route(
            "/teams/{team}/members/{user}/remove",
            post(handlers::team_members::remove_member),
        )
        .route(
            "/teams/{team}/series",
            post(handlers::series::create_series),
        )
        .route(
            "/teams/{team}/citizens",
            post(handlers::team_members::add_citizen),
        )
        .route(
            "/teams/{team}/citizens/{course}/remove",
            post(handlers::team_members::remove_citizen),
        )
        .route("/teams/{team}/calendar", post(handlers::feeds::create_feed))
        .route(
            "/teams/{team}/calendar/{feed}/revoke",
            post(handlers::feeds::revoke_feed),
        )
        .route("/meetings/{meeting}", get(handlers::meetings::page))
        .route(
            "/meetings/{meeting}/calendar.ics",
            get(handlers::calendar::meeting),
        )
        .route(
            "/meetings/{meeting}/cases",
            post(handlers::meetings::add_case),
        )
        .route(
            "/meetings/{meeting}/attendance",
            post(handlers::meetings::attendance),
        )
        .route(
            "/meetings/{meeting}/invite",
            post(handlers::meetings::invite),
        )
        .route(
            "/meetings/{meeting}/move",
            post(handlers::meetings::move_meeting),
        )
        .route(
            "/meetings/{meeting}/cancel",
            post(handlers::meetings::cancel),
        )
        .route(
            "/meetings/{meeting}/details",
            post(handlers::meetings::details),
        )
        .route(
            "/meetings/{meeting}/evaluation",
            post(handlers::meetings::evaluate),
        )
        .route("/cases/{case}", get(handlers::cases::page))
        .route(
            "/cases/{case}/fields/{field}",
            post(handlers::cases::save_field),
        )
        .route(
            "/cases/{case}/attendance",
            post(handlers::cases::set_attendance),
        )
        .route(
            "/cases/{case}/agreements",
            post(handlers::cases::add_agreement),
        )
        .route(
            "/cases/{case}/agreements/{agreement}/done",
            post(handlers::cases::complete_agreement),
        )
        .route("/cases/{case}/approve", post(handlers::cases::approve))
        .route(
            "/cases/{case}/evaluation",
            post(handlers::cases::note_evaluation),
        )
        .route(
            "/cases/{case}/deliveries/{delivery}/retry",
            post(handlers::cases::retry_delivery),
        )
        .route("/cases/{case}/live", get(handlers::cases::live))
        .route("/cases/{case}/screen", get(handlers::cases::screen))
        .route(
            "/cases/{case}/minutes.pdf",
            get(handlers::cases::minutes_pdf),
        )
        .route("/calendar/{file}", get(handlers::calendar::feed))
}
