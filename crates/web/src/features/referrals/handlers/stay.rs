//! A referral's stay at a care place: the deciding role books a bed for the days of an accepted
//! referral; the receiving unit records the arrival, an extension (with a reason) and the end,
//! to a named next step, and writes the extended collaboration agreement and its reviews.

use super::super::views::BookingForm;
use super::work::render;
use crate::access::{AuditedAccess, ReferralScope};
use crate::http::error::AppError;
use crate::http::forms::{form_pairs, redirect_with_flash};
use crate::services::review_meetings::review_meetings;
use crate::state::AppState;
use crate::ui::page::Page;
use axum::extract::{Path, RawForm, State};
use axum::response::Response;
use bro_domain::care_place::{AgreementText, NextStep, PRINCIPLES, check_days};
use bro_domain::referral::Side;
use bro_store::{Conflict, NewAgreementVersion, StayChange, StoreError};
use serde::Deserialize;

#[derive(Deserialize)]
pub(crate) struct BookForm {
    #[serde(default)]
    bed: i64,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
}

fn day(s: &str) -> Option<time::Date> {
    bro_domain::plan::parse_day(s).ok()
}

pub async fn book(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<BookForm>,
) -> Result<Response, AppError> {
    let scope = ReferralScope::decide(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/referrals");
    let unit = scope.facts.receiving_unit_id;
    let max = state.store.max_stay_days(unit).await?;
    let checked = match (day(&form.start), day(&form.end)) {
        (Some(start), Some(end)) => check_days(start, end, max)
            .map(|()| (start, end))
            .map_err(|e| e.message_key()),
        _ => Err("care-error-day"),
    };
    let booked = match checked {
        Ok((start, end)) => state
            .store
            .book_stay(&scope.ctx, id, form.bed, start, end)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(Conflict::BedTaken) => Ok("care-error-bed-taken"),
                StoreError::Conflict(Conflict::Stay) => Ok("care-error-booked"),
                other => Err(other),
            }),
        Err(key) => Err(Ok(key)),
    };
    match booked {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/referrals/{id}"),
            "flash-stay-booked",
        )),
        Err(Ok(key)) => {
            let typed = BookingForm {
                beds: state.store.beds(unit).await?,
                bed: form.bed,
                start: form.start,
                end: form.end,
            };
            let error = Some(chrome.t(key));
            render(&state, &access, chrome, &scope, None, error, Some(typed)).await
        }
        Err(Err(e)) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct ChangeForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    base_version: i64,
    #[serde(default)]
    to: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    note: String,
}

pub async fn change(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ChangeForm>,
) -> Result<Response, AppError> {
    let scope = ReferralScope::read(&state, &access, id).await?;
    if !matches!(scope.side, Side::Receiver | Side::Decider) {
        return Err(AppError::NotFound);
    }
    let chrome = page.chrome(&state, &access.viewer, "/referrals");
    let (stay, _) = state
        .store
        .referral_stay(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = crate::ui::danish_date(state.clock.now_ms());
    let max = state
        .store
        .max_stay_days(scope.facts.receiving_unit_id)
        .await?;
    let change = match form.action.as_str() {
        "arrive" if stay.arrived_ms.is_none() => Ok(StayChange::Arrive),
        "extend" => match day(&form.to) {
            None => Err("care-error-day"),
            Some(to) if to <= stay.end => Err("care-error-extend-later"),
            Some(_) if form.note.trim().is_empty() => Err("referral-error-reason"),
            Some(to) => check_days(stay.start, to, max)
                .map(|()| StayChange::Extend {
                    to,
                    reason: form.note.clone(),
                })
                .map_err(|e| e.message_key()),
        },
        "end" if stay.arrived_ms.is_some() => match NextStep::parse(&form.next) {
            Some(next) => Ok(StayChange::End {
                day: today.min(stay.end),
                next,
                note: form.note.clone(),
            }),
            None => Err("care-error-next-step"),
        },
        _ => Err("referral-error-not-now"),
    };
    let result = match change {
        Ok(c) => match state
            .store
            .change_stay(&scope.ctx, stay.id, form.base_version, &c)
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict(Conflict::BedTaken)) => Err("care-error-bed-taken"),
            Err(StoreError::Conflict(Conflict::Stay)) => Err("referral-error-changed"),
            Err(e) => return Err(e.into()),
        },
        Err(key) => Err(key),
    };
    match result {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/referrals/{id}"),
            "flash-stay-changed",
        )),
        Err(key) => {
            let error = Some(chrome.t(key));
            render(&state, &access, chrome, &scope, None, error, None).await
        }
    }
}

/// The agreement's text, the review day and the principles' scores, as the form sends them.
fn agreement_input(pairs: &[(String, String)]) -> (AgreementText, String, Vec<Option<u8>>, String) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let text = AgreementText {
        goals: get("goals"),
        parties: get("parties"),
        medication: get("medication"),
        ward_contact: get("ward_contact"),
        discharge: get("discharge"),
        participants: get("participants"),
    };
    let scores = (0..PRINCIPLES.len())
        .map(|k| {
            get(&format!("p{k}"))
                .parse()
                .ok()
                .filter(|s| (1..=5).contains(s))
        })
        .collect();
    (text, get("review_day"), scores, get("principles_note"))
}

/// Writes the stay's agreement: the draft at enrolment, then each fortnightly review with its
/// day, who took part and the seven principles' scores.
pub async fn agreement(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let scope = ReferralScope::read(&state, &access, id).await?;
    if !matches!(scope.side, Side::Receiver | Side::Decider) {
        return Err(AppError::NotFound);
    }
    let chrome = page.chrome(&state, &access.viewer, "/referrals");
    let (stay, _) = state
        .store
        .referral_stay(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let pairs = form_pairs(&body);
    let base: i64 = pairs
        .iter()
        .find(|(k, _)| k == "base_version")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(-1);
    let (text, day_typed, scores, note) = agreement_input(&pairs);
    let review = base > 0;
    let mut problem = text.check().first().map(|(_, key)| *key);
    let review_day = if review { day(&day_typed) } else { None };
    if review {
        // A review is one of the unit's review meetings, held or up to two weeks ahead.
        let today = crate::ui::danish_date(state.clock.now_ms());
        let until = today + time::Duration::days(super::work::REVIEW_AHEAD_DAYS);
        let unit = scope.facts.receiving_unit_id;
        let meetings = review_meetings(&state, unit, stay.start, until).await?;
        if !review_day.is_some_and(|d| meetings.iter().any(|m| m.day == d)) {
            problem = problem.or(Some("care-error-review-day"));
        }
    }
    if review && scores.iter().any(Option::is_none) {
        problem = problem.or(Some("care-error-principles"));
    }
    if let Some(key) = problem {
        let error = Some(chrome.t(key));
        return render(&state, &access, chrome, &scope, None, error, None).await;
    }
    let new = NewAgreementVersion {
        base_version: base.max(0),
        text,
        review_day,
        principles: scores.into_iter().flatten().collect(),
        principles_note: note.chars().take(5_000).collect(),
    };
    match state.store.write_agreement(&scope.ctx, stay.id, &new).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/referrals/{id}"),
            "flash-agreement-saved",
        )),
        Err(StoreError::Conflict(c @ (Conflict::Stay | Conflict::Ended))) => {
            let key = match c {
                Conflict::Ended => "care-error-stay-ended",
                _ => "referral-error-changed",
            };
            let error = Some(chrome.t(key));
            render(&state, &access, chrome, &scope, None, error, None).await
        }
        Err(e) => Err(e.into()),
    }
}
