//! The route table. Each route says which extractor guards it: `Authed`/`AuditedAccess` for
//! logged-in pages (with `authz` deciding inside), `Pending` for the second login step, and
//! nothing for the few public pages (login, health, static files).

mod access_log;
mod account;
mod admin;
mod calendar;
pub(crate) mod cases;
pub(crate) mod collaborations;
pub(crate) mod consents;
pub(crate) mod courses;
mod emergency;
mod errors;
mod goals;
mod health;
mod home;
mod login;
mod meetings;
mod my_meetings;
pub(crate) mod plan;
mod team_access;
mod teams;

use crate::AppState;
use crate::error::AppError;
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};

/// The page chrome for a logged-in viewer of a route.
pub(crate) fn viewer_chrome(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    csrf: String,
    path: &str,
    access: &crate::audited::AuditedAccess,
) -> crate::views::Chrome {
    crate::views::Chrome::new(
        state,
        crate::i18n::language(headers),
        csrf,
        path,
        Some(&access.viewer),
    )
}

pub fn router(state: AppState) -> Router {
    let hsts = state.config.hsts;
    Router::new()
        .route("/", get(home::root))
        .route("/login", get(login::form).post(login::submit))
        .route(
            "/login/second-factor",
            get(login::second_factor_form).post(login::second_factor_submit),
        )
        .route("/logout", post(login::logout))
        .route("/logout/everywhere", post(login::logout_everywhere))
        .route("/home", get(home::home))
        .route("/me", get(home::me))
        .route("/me/plan.pdf", get(home::own_plan_pdf))
        .route("/me/consents", get(consents::mine).post(consents::give))
        .route(
            "/me/consents/{consent}/withdraw",
            post(consents::withdraw_own),
        )
        .route(
            "/me/consents/{consent}/document",
            get(consents::own_document),
        )
        .route("/me/access-log", get(access_log::page))
        .route("/me/access-log.csv", get(access_log::csv))
        .route("/me/access-log.pdf", get(access_log::pdf))
        .route("/me/goals", post(home::add_own_goal))
        .route(
            "/me/goals/{goal}",
            get(home::own_goal).post(home::edit_own_goal),
        )
        .route("/me/agree", post(home::agree))
        .route("/me/comments", post(home::comment))
        .route("/me/network/{member}", post(home::set_network_share))
        .route("/me/meetings", get(my_meetings::list))
        .route("/me/meetings/{case}", get(my_meetings::case))
        .route(
            "/me/meetings/{case}/evaluation",
            post(my_meetings::evaluate),
        )
        .route(
            "/me/meetings/{case}/minutes.pdf",
            get(my_meetings::minutes_pdf),
        )
        .route("/teams", get(teams::list).post(teams::create))
        .route("/teams/calendar", post(teams::create_own_feed))
        .route(
            "/teams/calendar/{feed}/revoke",
            post(teams::revoke_own_feed),
        )
        .route("/teams/{team}", get(teams::page))
        .route("/teams/{team}/agenda", post(teams::set_agenda))
        .route("/teams/{team}/members", post(teams::add_member))
        .route(
            "/teams/{team}/members/{user}/remove",
            post(teams::remove_member),
        )
        .route("/teams/{team}/series", post(teams::create_series))
        .route("/teams/{team}/citizens", post(teams::add_citizen))
        .route(
            "/teams/{team}/citizens/{course}/remove",
            post(teams::remove_citizen),
        )
        .route("/teams/{team}/calendar", post(teams::create_feed))
        .route(
            "/teams/{team}/calendar/{feed}/revoke",
            post(teams::revoke_feed),
        )
        .route("/meetings/{meeting}", get(meetings::page))
        .route("/meetings/{meeting}/calendar.ics", get(calendar::meeting))
        .route("/meetings/{meeting}/cases", post(meetings::add_case))
        .route("/meetings/{meeting}/attendance", post(meetings::attendance))
        .route("/meetings/{meeting}/invite", post(meetings::invite))
        .route("/meetings/{meeting}/move", post(meetings::move_meeting))
        .route("/meetings/{meeting}/cancel", post(meetings::cancel))
        .route("/meetings/{meeting}/details", post(meetings::details))
        .route("/meetings/{meeting}/evaluation", post(meetings::evaluate))
        .route("/cases/{case}", get(cases::page))
        .route("/cases/{case}/fields/{field}", post(cases::save_field))
        .route("/cases/{case}/attendance", post(cases::set_attendance))
        .route("/cases/{case}/agreements", post(cases::add_agreement))
        .route(
            "/cases/{case}/agreements/{agreement}/done",
            post(cases::complete_agreement),
        )
        .route("/cases/{case}/approve", post(cases::approve))
        .route("/cases/{case}/evaluation", post(cases::note_evaluation))
        .route(
            "/cases/{case}/deliveries/{delivery}/retry",
            post(cases::retry_delivery),
        )
        .route("/cases/{case}/live", get(cases::live))
        .route("/cases/{case}/screen", get(cases::screen))
        .route("/cases/{case}/minutes.pdf", get(cases::minutes_pdf))
        .route("/calendar/{file}", get(calendar::feed))
        .route("/context", post(home::switch_context))
        .route("/language", post(home::language))
        .route("/account", get(account::page))
        .route("/account/email", post(account::set_email))
        .route(
            "/account/second-factor",
            get(account::enrol_form).post(account::enrol_submit),
        )
        .route(
            "/account/recovery-codes",
            post(account::renew_recovery_codes),
        )
        .route("/courses", get(courses::mine).post(courses::open))
        .route("/courses/{id}", get(courses::show))
        .route("/courses/{id}/phase", post(courses::move_phase))
        .route("/courses/{id}/close", post(courses::close))
        .route("/courses/{id}/members", post(courses::add_member))
        .route(
            "/courses/{id}/members/{member}/remove",
            post(courses::remove_member),
        )
        .route(
            "/courses/{id}/members/{member}/coordinator",
            post(courses::make_coordinator),
        )
        .route(
            "/citizens/search",
            get(courses::search_form).post(courses::search),
        )
        .route("/courses/{id}/frame", post(courses::set_frame))
        .route("/courses/{id}/network", post(courses::add_network))
        .route(
            "/courses/{id}/network/{member}/remove",
            post(courses::remove_network),
        )
        .route(
            "/courses/{id}/consents",
            get(consents::list)
                .post(consents::record)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::csrf::MAX_UPLOAD_BYTES,
                )),
        )
        .route("/courses/{id}/consent-requests", post(consents::request))
        .route(
            "/courses/{id}/emergency",
            get(emergency::form).post(emergency::start),
        )
        .route("/admin/emergency-access", get(emergency::reviews))
        .route(
            "/admin/emergency-access/{id}/review",
            post(emergency::review),
        )
        .route(
            "/courses/{id}/legal-bases",
            post(consents::record_legal_basis),
        )
        .route(
            "/courses/{id}/legal-bases/{basis}/end",
            post(consents::end_legal_basis),
        )
        .route(
            "/courses/{id}/consents/{consent}/withdraw",
            post(consents::withdraw),
        )
        .route(
            "/courses/{id}/consents/{consent}/document",
            get(consents::document),
        )
        .route("/courses/{id}/plan", get(plan::show))
        .route("/courses/{id}/plan/history", get(plan::history))
        .route("/courses/{id}/plan/pdf/{version}", get(plan::pdf))
        .route("/courses/{id}/plan/comments", post(plan::comment))
        .route(
            "/courses/{id}/plan/goals/{goal}",
            get(goals::show).post(goals::edit),
        )
        .route("/courses/{id}/plan/goals/{goal}/notes", post(goals::note))
        .route(
            "/courses/{id}/plan/interventions/{intervention}",
            post(plan::update_intervention),
        )
        .route("/courses/{id}/plan/{section}", post(plan::edit))
        .route("/admin", get(admin::overview))
        .route("/admin/settings", post(admin::settings))
        .route("/admin/units", get(admin::units).post(admin::create_unit))
        .route(
            "/admin/collaborations",
            get(collaborations::list).post(collaborations::create),
        )
        .route(
            "/admin/collaborations/{id}/phases",
            post(collaborations::set_phases),
        )
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/new", get(admin::new_user))
        .route("/admin/users/{id}", get(admin::user))
        .route("/admin/users/{id}/roles", post(admin::grant_role))
        .route(
            "/admin/users/{id}/roles/{assignment}/revoke",
            post(admin::revoke_role),
        )
        .route("/admin/users/{id}/password", post(admin::reset_password))
        .route("/admin/users/{id}/deactivate", post(admin::deactivate))
        .fallback(|| async { AppError::NotFound })
        .layer(from_fn_with_state(state.clone(), crate::forms::layer))
        .layer(from_fn_with_state(state.clone(), crate::session::layer))
        .layer(from_fn_with_state(state.clone(), crate::csrf::layer))
        .layer(from_fn_with_state(state.clone(), errors::render))
        // Health and assets sit outside sessions and CSRF: cheap, and never personal.
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{version}/{*path}", get(crate::assets::serve))
        .layer(from_fn(
            move |req, next: axum::middleware::Next| async move {
                let mut res = next.run(req).await;
                crate::headers::apply(&mut res, hsts);
                res
            },
        ))
        .layer(from_fn(crate::request_id::assign))
        .with_state(state)
}
