//! The outreach staff's fixed attendance times at drop-in centres: kept by the unit, shown on
//! the centre's page in the directory (not personal data).

use super::unit::render;
use crate::access::{AuditedAccess, care_unit};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::Chrome;
use crate::ui::page::Page;
use axum::extract::State;
use axum::response::Response;
use bro_domain::offer::{OfferCategory, WEEKDAYS};
use bro_domain::{OrgKind, UnitId};
use bro_store::{AttendanceTime, OfferQuery};
use serde::Deserialize;

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

#[derive(Deserialize)]
pub(crate) struct AttendanceForm {
    #[serde(default)]
    offer: i64,
    #[serde(default)]
    weekday: String,
    #[serde(default)]
    span: String,
}

/// "10:00-12:00" as minutes after midnight, the end after the start.
fn parse_span(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once(['-', '–'])?;
    let minutes = |t: &str| {
        let t = bro_domain::local_time::parse_clock(t.trim())?;
        Some(u16::from(t.hour()) * 60 + u16::from(t.minute()))
    };
    let (from, to) = (minutes(a)?, minutes(b)?);
    (from < to).then_some((from, to))
}

pub async fn add(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(form): axum::Form<AttendanceForm>,
) -> Result<Response, AppError> {
    let (unit, ctx) = care_unit(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/care-places");
    let centres = drop_ins(&state, unit).await?;
    let weekday: Option<u8> = form.weekday.parse().ok().filter(|d| *d < 7);
    let known = centres.iter().find(|(id, _)| *id == form.offer);
    let (Some(weekday), Some((from_min, to_min)), Some((offer_id, name))) =
        (weekday, parse_span(&form.span), known)
    else {
        let error = Some(chrome.t("outreach-error-attendance"));
        return render(&state, &access, chrome, None, error).await;
    };
    let time = AttendanceTime {
        offer_id: *offer_id,
        offer: name.clone(),
        unit: String::new(),
        weekday,
        from_min,
        to_min,
    };
    state.store.add_attendance(&ctx, unit, &time).await?;
    Ok(redirect_with_flash(
        &state,
        "/care-places",
        "flash-attendance-saved",
    ))
}
