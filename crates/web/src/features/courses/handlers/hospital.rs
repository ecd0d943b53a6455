//! The citizen's admissions on the course page: where they are now and each event of their
//! episodes on the timeline, read only where health data is shared with the viewer's
//! organisation (a refusal is recorded), and asked for only when there are any.

use super::super::views::{FollowUpRow, HospitalNow, TimelineRow};
use crate::access::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::Chrome;
use axum::extract::{Path, State};
use axum::response::Response;
use bro_domain::hospital::EpisodeState;
use bro_domain::readmission::{Contact, readmissions_last_year};
use bro_store::{FollowUp, HospitalEpisode};

/// What the course page shows of the hospital: the state now, the readmissions in the last
/// 12 months, and the episodes' events as timeline rows with their moments.
#[derive(Default)]
pub(super) struct HospitalPart {
    pub(super) now: Option<HospitalNow>,
    pub(super) readmissions: usize,
    pub(super) rows: Vec<(i64, TimelineRow)>,
    pub(super) follow_ups: Vec<FollowUpRow>,
    /// The viewer may register a hospital event by hand: on the team of the open course, in
    /// an organisation that reads its health data.
    pub(super) may_register: bool,
}

pub(super) async fn part(
    state: &AppState,
    access: &AuditedAccess,
    scope: &CourseScope,
    chrome: &Chrome,
) -> Result<HospitalPart, AppError> {
    let a = &scope.course;
    let citizen = a.citizen_id;
    let on_team = a.membership.is_some() && !a.closed && !a.emergency;
    // The holder organisation always reads its own course's health data.
    let holder = access.viewer.active_role().map(|r| r.org_id) == a.holder_org;
    if !state.store.has_hospital_episodes(citizen).await? {
        return Ok(HospitalPart {
            may_register: on_team && holder,
            ..HospitalPart::default()
        });
    }
    let Some(ctx) = scope.health(state, access).await? else {
        return Ok(HospitalPart::default());
    };
    let episodes = state.store.hospital_episodes(&ctx, citizen).await?;
    let now_ms = state.clock.now_ms();
    let contacts: Vec<Contact> = episodes
        .iter()
        .map(|e| Contact::notified(e.class, e.start_ms, e.end_ms))
        .collect();
    let readmitted = readmissions_last_year(&contacts, now_ms);
    let now = episodes
        .iter()
        .find(|e| matches!(e.state, EpisodeState::Admitted | EpisodeState::OnLeave))
        .map(|e| HospitalNow {
            state: chrome.t(e.state.label_key()),
            hospital: e.hospital.clone(),
            since: crate::ui::local_time(e.leave_from_ms.unwrap_or(e.start_ms)),
        });
    let mut rows: Vec<(i64, TimelineRow)> = episodes
        .iter()
        .flat_map(|e| {
            e.events.iter().map(move |(event, at)| {
                let row = TimelineRow {
                    time: crate::ui::local_time(*at),
                    actor: String::new(),
                    text: format!("{}: {}", chrome.t(event.label_key()), e.hospital),
                };
                (*at, row)
            })
        })
        .collect();
    let follow_ups = follow_ups(chrome, &episodes, now_ms, &mut rows);
    Ok(HospitalPart {
        now,
        readmissions: readmitted,
        rows,
        follow_ups,
        may_register: on_team,
    })
}

/// The follow-ups still to book, in words; a booked one goes on the timeline instead.
fn follow_ups(
    chrome: &Chrome,
    episodes: &[HospitalEpisode],
    now_ms: i64,
    rows: &mut Vec<(i64, TimelineRow)>,
) -> Vec<FollowUpRow> {
    let mut follow_ups = Vec::new();
    for e in episodes {
        match e.follow_up {
            Some(FollowUp {
                booked_ms: Some(at),
                ..
            }) => rows.push((
                at,
                TimelineRow {
                    time: crate::ui::local_time(at),
                    actor: String::new(),
                    text: chrome.t1("hospital-follow-up-booked", "hospital", &e.hospital),
                },
            )),
            Some(FollowUp {
                due_ms,
                booked_ms: None,
            }) => follow_ups.push(FollowUpRow {
                episode: e.id,
                text: chrome.tn(
                    "hospital-follow-up-due",
                    &[
                        ("hospital", e.hospital.clone()),
                        ("date", crate::ui::local_date(due_ms)),
                    ],
                ),
                overdue: due_ms < now_ms,
            }),
            None => {}
        }
    }
    follow_ups
}

/// The coordinator has booked the follow-up after a discharge. Only the coordinator, whose
/// organisation holds the course and so reads its health data; written to the audit log.
pub async fn book_follow_up(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, episode)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    if scope.health(&state, &access).await?.is_none() {
        return Err(AppError::NotFound);
    }
    state
        .store
        .book_hospital_follow_up(&scope.ctx, scope.course.course_id, episode)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}#hospital"),
        "flash-hospital-follow-up-booked",
    ))
}
