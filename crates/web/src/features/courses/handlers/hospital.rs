//! The citizen's admissions on the course page: where they are now and each event of their
//! episodes on the timeline, read only where health data is shared with the viewer's
//! organisation (a refusal is recorded), and asked for only when there are any.

use super::super::views::{HospitalNow, TimelineRow};
use crate::access::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::Chrome;
use bro_domain::hospital::EpisodeState;
use bro_domain::readmission::{Contact, readmissions};

const YEAR_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// What the course page shows of the hospital: the state now, the readmissions in the last
/// 12 months, and the episodes' events as timeline rows with their moments.
#[derive(Default)]
pub(super) struct HospitalPart {
    pub(super) now: Option<HospitalNow>,
    pub(super) readmissions: usize,
    pub(super) rows: Vec<(i64, TimelineRow)>,
}

pub(super) async fn part(
    state: &AppState,
    access: &AuditedAccess,
    scope: &CourseScope,
    chrome: &Chrome,
) -> Result<HospitalPart, AppError> {
    let citizen = scope.course.citizen_id;
    if !state.store.has_hospital_episodes(citizen).await? {
        return Ok(HospitalPart::default());
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
    let readmitted = readmissions(&contacts, now_ms)
        .iter()
        .filter(|r| now_ms - r.admitted <= YEAR_MS)
        .count();
    let now = episodes
        .iter()
        .find(|e| matches!(e.state, EpisodeState::Admitted | EpisodeState::OnLeave))
        .map(|e| HospitalNow {
            state: chrome.t(e.state.label_key()),
            hospital: e.hospital.clone(),
            since: crate::ui::local_time(e.leave_from_ms.unwrap_or(e.start_ms)),
        });
    let rows = episodes
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
    Ok(HospitalPart {
        now,
        readmissions: readmitted,
        rows,
    })
}
