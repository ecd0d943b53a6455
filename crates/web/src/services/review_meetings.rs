//! The meetings at which a care place unit reviews its stays' extended collaboration
//! agreements: those of the meeting series the unit chose (every second Wednesday at MPO
//! Holstebro), less the cancelled ones. Every stay under way on a meeting's day is on its
//! agenda, so a stay is there while it lasts and gone after its discharge.

use crate::http::error::AppError;
use crate::state::AppState;
use bro_domain::local_time::from_local;
use bro_domain::{MeetingId, UnitId};
use time::{Date, Duration};

/// One review meeting: its day (Danish time) and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReviewMeeting {
    pub(crate) day: Date,
    pub(crate) id: MeetingId,
}

/// The unit's review meetings on the days `[from, to]`, oldest first; none while the unit has
/// chosen no series.
pub(crate) async fn review_meetings(
    state: &AppState,
    unit: UnitId,
    from: Date,
    to: Date,
) -> Result<Vec<ReviewMeeting>, AppError> {
    let Some(series) = state.store.review_series(unit).await? else {
        return Ok(Vec::new());
    };
    let start = from_local(from.midnight());
    let end = from_local((to + Duration::days(1)).midnight());
    let mut meetings: Vec<ReviewMeeting> = state
        .store
        .meetings_of_team(series.team_id, start, end)
        .await?
        .into_iter()
        .filter(|m| m.series_id == Some(series.id) && m.cancelled_ms.is_none())
        .map(|m| ReviewMeeting {
            day: bro_domain::local_time::to_local(m.starts_ms).date(),
            id: m.id,
        })
        .collect();
    meetings.sort_by_key(|m| m.day);
    Ok(meetings)
}

/// The days of `meetings`, for the review rule.
pub(crate) fn days(meetings: &[ReviewMeeting]) -> Vec<Date> {
    meetings.iter().map(|m| m.day).collect()
}
