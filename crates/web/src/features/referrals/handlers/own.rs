//! The citizen's own referrals at `/me/referrals`: where each stands in plain words, its
//! history, the decision with how to complain, and agreeing to one made without their word.

use super::super::views::{OwnReferral, OwnReferralsPage, ReferralRow};
use crate::access::{AuditedAccess, CitizenScope, ReferralScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::respond as html;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::referral::{ReferralAction, ReferralStatus, Side, step};
use bro_store::{Conflict, ReferralStep, StoreError};
use serde::Deserialize;

pub async fn mine(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let scope = CitizenScope::own_referrals(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me/referrals");
    let flash = page.flash(&chrome);
    let now = state.clock.now_ms();
    let mut referrals = Vec::new();
    for r in state
        .store
        .citizen_referrals(&scope.ctx, scope.citizen)
        .await?
    {
        // A place booked for them: which days, in words.
        let stay = state.store.referral_stay(r.facts.id).await?.map(|(s, _)| {
            let days = [
                ("start", crate::ui::day_text(s.start)),
                ("end", crate::ui::day_text(s.end)),
            ];
            chrome.tn("referral-own-stay", &days)
        });
        referrals.push(OwnReferral {
            row: ReferralRow::new(&chrome, &r, now),
            version: r.facts.version,
            wishes: r.text.wishes.clone(),
            can_confirm: r.facts.status == ReferralStatus::Draft,
            stay,
        });
    }
    let view = OwnReferralsPage {
        chrome,
        flash,
        referrals,
    };
    html(StatusCode::OK, view)
}

#[derive(Deserialize)]
pub(crate) struct ConfirmForm {
    #[serde(default)]
    base_version: i64,
}

/// The citizen agrees to a referral made without their word: it goes to the receiving unit.
pub async fn confirm(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let scope = ReferralScope::own(&state, &access, id).await?;
    let f = &scope.facts;
    let to = step(
        f.status,
        f.held_from,
        ReferralAction::Confirm,
        Side::Citizen,
        "",
    )
    .map_err(|_| AppError::NotFound)?;
    let taken = ReferralStep {
        base_version: form.base_version,
        action: ReferralAction::Confirm,
        to,
        note: String::new(),
        decision: None,
    };
    match state.store.step_referral(&scope.ctx, id, &taken).await {
        Ok(()) | Err(StoreError::Conflict(Conflict::Referral)) => Ok(redirect_with_flash(
            &state,
            "/me/referrals",
            "flash-referral-confirmed",
        )),
        Err(e) => Err(e.into()),
    }
}
