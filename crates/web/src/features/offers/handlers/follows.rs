//! Following an offer, a unit's offers, or a category in an area: each change then comes as a
//! notice (see the notices feature).

use super::super::forms::FollowForm;
use crate::access::{AuditedAccess, follow_offers};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use bro_domain::UnitId;
use bro_domain::offer::OfferCategory;
use bro_store::Follow;

pub async fn follow(
    State(state): State<AppState>,
    access: AuditedAccess,
    Form(form): Form<FollowForm>,
) -> Result<Response, AppError> {
    let ctx = follow_offers(&state, &access).await?;
    let what = match form.what.as_str() {
        "offer" => Follow::Offer(state.store.offer(form.id).await?.id),
        "unit" => Follow::Unit(state.store.unit(UnitId(form.id)).await?.id),
        "category" => Follow::Category {
            category: OfferCategory::parse(&form.category).ok_or(AppError::NotFound)?,
            municipality: form.municipality.chars().take(100).collect(),
        },
        _ => return Err(AppError::NotFound),
    };
    let on = form.on == "on";
    state
        .store
        .set_follow(&ctx, access.viewer.user.id, &what, on)
        .await?;
    // Back to the page the form was on, if it is one of the directory's.
    let back = if form.back.starts_with("/tilbud") && !form.back.starts_with("//") {
        form.back
    } else {
        "/tilbud".to_owned()
    };
    let flash = if on {
        "flash-offer-followed"
    } else {
        "flash-offer-unfollowed"
    };
    Ok(redirect_with_flash(&state, &back, flash))
}
