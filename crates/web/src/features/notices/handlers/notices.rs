//! The viewer's own notices: newest first, each citizen named written to that citizen's
//! access log; "mark as read" covers what the page showed, not what arrived since.

use super::super::views::{NoticeRow, NoticesPage};
use crate::access::AuditedAccess;
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, respond as html};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use bro_authz::Actor;
use bro_domain::notice::NoticeKind;
use bro_store::Notice;
use serde::Deserialize;

/// How many notices the page shows.
const SHOWN: i64 = 100;

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/notices");
    let flash = page.flash(&chrome);
    let user = access.viewer.user.id;
    let notices = state.store.notices(&access.own(), user, SHOWN).await?;
    let citizen = matches!(access.viewer.actor, Actor::Citizen { .. });
    let view = NoticesPage {
        newest: notices.first().map_or(0, |n| n.id),
        unread: notices.iter().filter(|n| !n.read).count(),
        notices: notices.iter().map(|n| row(&chrome, n, citizen)).collect(),
        flash,
        chrome,
    };
    html(StatusCode::OK, view)
}

/// A notice in plain words: the citizen reads about themself, staff about their citizen.
fn row(chrome: &Chrome, n: &Notice, citizen: bool) -> NoticeRow {
    let name = n.citizen.as_ref().map_or("", |(_, name)| name.as_str());
    let org = n.org_name.as_deref().unwrap_or("");
    let (key, href) = key_and_link(n, citizen);
    let offer = n.offer.as_ref().map_or("", |(_, name)| name.as_str());
    // A referral's notice names its new state by its code.
    let detail = match bro_domain::referral::ReferralStatus::parse(&n.detail) {
        Some(s) if n.referral_id.is_some() => chrome.t(s.label_key()),
        // A reminder's detail is the appointment's start.
        // An escort answer's detail is its status.
        _ if n.kind == NoticeKind::EscortAnswered => {
            bro_domain::escort::EscortStatus::parse(&n.detail)
                .map_or_else(|| n.detail.clone(), |s| chrome.t(s.label_key()))
        }
        _ if n.kind == NoticeKind::AppointmentReminder => n.detail.parse().map_or_else(
            |_| n.detail.clone(),
            |ms| crate::ui::spoken_when_within(chrome, ms),
        ),
        _ => n.detail.clone(),
    };
    let args = [
        ("offer", offer.to_owned()),
        ("citizen", name.to_owned()),
        ("org", org.to_owned()),
        ("detail", detail),
    ];
    NoticeRow {
        time: crate::ui::local_time(n.created_ms),
        text: chrome.tn(key, &args),
        href,
        unread: !n.read,
    }
}

/// The text's key and where the notice leads.
fn key_and_link(n: &Notice, citizen: bool) -> (&'static str, Option<String>) {
    match (n.kind, citizen) {
        (NoticeKind::ConsentRecorded, true) => (
            "notice-consent_recorded-own",
            Some("/me/consents".to_owned()),
        ),
        (NoticeKind::ConsentRecorded, false) if n.org_name.is_none() => (
            "notice-consent_recorded-by-citizen",
            n.course_id.map(|c| format!("/courses/{}/consents", c.0)),
        ),
        (NoticeKind::ConsentRecorded, false) => (
            "notice-consent_recorded",
            n.course_id.map(|c| format!("/courses/{}/consents", c.0)),
        ),
        (NoticeKind::ConsentAwaiting, true) => (
            "notice-consent_awaiting-own",
            Some("/me/consents".to_owned()),
        ),
        (NoticeKind::ConsentAwaiting, false) => (
            "notice-consent_awaiting",
            n.course_id.map(|c| format!("/courses/{}/consents", c.0)),
        ),
        (NoticeKind::OfferChanged, _) => (
            "notice-offer_changed",
            n.offer
                .as_ref()
                .map(|(id, _)| format!("/tilbud/{id}/versions")),
        ),
        (NoticeKind::ReferralChanged, _) => (
            "notice-referral_changed",
            n.referral_id.map(|r| format!("/referrals/{r}")),
        ),
        (NoticeKind::ReferralDecided, _) => {
            ("notice-referral_decided", Some("/me/referrals".to_owned()))
        }
        (NoticeKind::AppointmentReminder, _) => (
            "notice-appointment_reminder",
            Some("/me/appointments".to_owned()),
        ),
        (NoticeKind::AppointmentNoShow, _) => (
            "notice-appointment_no_show",
            n.course_id
                .map(|c| format!("/courses/{}/appointments/{}", c.0, n.detail)),
        ),
        (NoticeKind::EscortRequested, _) => (
            "notice-escort_requested",
            Some(format!("/escort/{}", n.detail)),
        ),
        (NoticeKind::EscortAnswered, true) => (
            "notice-escort_answered-own",
            Some("/me/appointments".to_owned()),
        ),
        (NoticeKind::EscortAnswered, false) => (
            "notice-escort_answered",
            n.course_id
                .map(|c| format!("/courses/{}/appointments", c.0)),
        ),
        (NoticeKind::CourseOpenedElsewhere, _) => (
            "notice-course_opened_elsewhere",
            n.course_id.map(|c| format!("/courses/{}", c.0)),
        ),
        (
            NoticeKind::HospitalAdmitted
            | NoticeKind::HospitalOnLeave
            | NoticeKind::HospitalBack
            | NoticeKind::HospitalDischarged
            | NoticeKind::HospitalReadmitted,
            _,
        ) => (
            n.kind.label_key(),
            n.course_id.map(|c| format!("/courses/{}#hospital", c.0)),
        ),
    }
}
#[derive(Deserialize)]
pub(crate) struct ReadForm {
    up_to: i64,
}

pub async fn mark_read(
    State(state): State<AppState>,
    access: AuditedAccess,
    Form(form): Form<ReadForm>,
) -> Result<Response, AppError> {
    let user = access.viewer.user.id;
    state
        .store
        .mark_notices_read(&access.own(), user, form.up_to)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/notices",
        "flash-notices-read",
    ))
}
