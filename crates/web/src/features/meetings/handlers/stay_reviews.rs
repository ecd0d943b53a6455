//! A review meeting's stays: when the meeting's series is a care place unit's fortnightly
//! reviews, every stay under way on the meeting's day is on its agenda, shown to each viewer
//! only where they may read its referral (and that read is audited).

use super::super::views::{StayReview, StayReviews};
use crate::access::{AuditedAccess, ReferralScope};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::{Chrome, day_text};

pub(super) async fn stay_reviews(
    state: &AppState,
    access: &AuditedAccess,
    chrome: &Chrome,
    meeting: &bro_store::Meeting,
) -> Result<Vec<StayReviews>, AppError> {
    let Some(series) = meeting.series_id else {
        return Ok(Vec::new());
    };
    let day = bro_domain::local_time::to_local(meeting.starts_ms).date();
    let mut out = Vec::new();
    for unit in state.store.reviewed_units(series).await? {
        let mut stays = Vec::new();
        for stay in state.store.stays_on(unit, day).await? {
            let scope = match ReferralScope::read(state, access, stay.referral_id).await {
                Ok(scope) => scope,
                Err(AppError::NotFound) => continue,
                Err(e) => return Err(e),
            };
            let (referral, _) = state.store.referral(&scope.ctx, stay.referral_id).await?;
            stays.push(StayReview {
                referral_id: stay.referral_id,
                citizen: referral.citizen_name,
                bed: stay.bed,
                days: format!("{}–{}", day_text(stay.start), day_text(stay.end)),
            });
        }
        let name = state.store.unit(unit).await?.name;
        out.push(StayReviews {
            title: chrome.t1("care-review-stays", "unit", &name),
            stays,
        });
    }
    Ok(out)
}
