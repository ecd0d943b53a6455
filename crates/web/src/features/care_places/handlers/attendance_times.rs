//! The outreach staff's fixed attendance times at drop-in centres, in words, and the centres
//! a unit may choose from.

use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::Chrome;
use bro_domain::offer::{OfferCategory, WEEKDAYS};
use bro_domain::{OrgKind, UnitId};
use bro_store::OfferQuery;

/// The weekdays for the form: number (0 = Monday) and name.
pub(super) fn weekdays(chrome: &Chrome) -> Vec<(u8, String)> {
    (0..7u8)
        .map(|d| {
            (
                d,
                chrome.t(&format!("weekday-{}", WEEKDAYS[usize::from(d)])),
            )
        })
        .collect()
}

/// The unit's times, in words ("Tirsdag 10:00–12:00, Værestedet …").
pub(super) async fn times_of_unit(
    state: &AppState,
    chrome: &Chrome,
    unit: UnitId,
) -> Result<Vec<String>, AppError> {
    let names = weekdays(chrome);
    Ok(state
        .store
        .attendance_of_unit(unit)
        .await?
        .iter()
        .map(|t| {
            format!(
                "{} {}, {}",
                names[usize::from(t.weekday.min(6))].1,
                t.opening().span(),
                t.offer
            )
        })
        .collect())
}

/// The drop-in centres of the unit's municipality (every one, for a region's unit).
pub(super) async fn drop_ins(
    state: &AppState,
    unit: UnitId,
) -> Result<Vec<(i64, String)>, AppError> {
    let org = state
        .store
        .organisation(state.store.unit(unit).await?.org_id)
        .await?;
    let query = OfferQuery {
        category: Some(OfferCategory::DropInCentre),
        municipality: if org.kind == OrgKind::Municipality {
            org.name
        } else {
            String::new()
        },
        ..OfferQuery::default()
    };
    Ok(state
        .store
        .search_offers(&query, 50)
        .await?
        .into_iter()
        .map(|o| (o.id, o.content.name))
        .collect())
}
