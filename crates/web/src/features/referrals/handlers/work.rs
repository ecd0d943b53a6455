//! One referral: its page with the history and the steps the viewer may take, taking a step,
//! and the receiving unit's queue.

use super::super::forms::StepForm;
use super::super::views::{
    AgreementView, BookingForm, EventRow, QueuePage, ReferralPage, ReferralRow, StayView,
    actions_for,
};
use crate::access::{AuditedAccess, PlanScope, ReferralScope, referral_queue};
use crate::http::error::AppError;
use crate::http::forms::{form_pairs, redirect_with_flash};
use crate::services::review_meetings::{days, review_meetings};
use crate::state::AppState;
use crate::ui::Chrome;
use crate::ui::page::Page;
use crate::ui::respond as html;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::care_place::{
    AgreementText, NextStep, PRINCIPLES, default_end, proposed_participants, review_due,
};
use bro_domain::offer::OfferLaw;
use bro_domain::plan::GoalOwner;
use bro_domain::referral::{ReferralAction, ReferralStatus, Side, deciding_role, step};
use bro_store::{Conflict, Decision, OfferQuery, ReferralStep, StoreError};

/// How far ahead a review meeting may be chosen for a review written beforehand.
pub(super) const REVIEW_AHEAD_DAYS: i64 = 14;

/// The goals of the course's plan, when the viewer may read the plan (a refusal is recorded):
/// the agreement's goals for the stay are the plan's goals. Each as "goal (whose)".
async fn plan_goals(
    state: &AppState,
    access: &AuditedAccess,
    chrome: &Chrome,
    course: bro_domain::CourseId,
) -> Result<Option<Vec<String>>, AppError> {
    let scope = match PlanScope::read(state, access, course.0).await {
        Ok(scope) => scope,
        Err(AppError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(plan) = state.store.plan(&scope.ctx, course).await? else {
        return Ok(Some(Vec::new()));
    };
    Ok(Some(
        plan.content
            .goals
            .iter()
            .map(|g| {
                let whose = match g.owner {
                    GoalOwner::Citizen => chrome.t("care-goal-citizen"),
                    GoalOwner::Team => chrome.t("care-goal-team"),
                };
                format!("{} ({whose})", g.text)
            })
            .collect(),
    ))
}

/// The stay's agreement for its page: versions, the next review, and the next version's form.
async fn agreement_view(
    state: &AppState,
    chrome: &Chrome,
    stay: &bro_store::Stay,
    referral: &bro_store::Referral,
    receiving: bool,
    plan_goals: Option<Vec<String>>,
) -> Result<AgreementView, AppError> {
    let versions = state.store.agreement(stay.id).await?;
    let latest = versions.last();
    let last_review = versions.iter().rev().find_map(|v| v.review_day);
    let today = crate::ui::danish_date(state.clock.now_ms());
    // A review is written at one of the unit's review meetings, up to two weeks ahead.
    let horizon = today + time::Duration::days(REVIEW_AHEAD_DAYS);
    let meetings = review_meetings(
        state,
        referral.facts.receiving_unit_id,
        stay.start,
        horizon.max(stay.end),
    )
    .await?;
    let due = review_due(stay.start, last_review, &days(&meetings));
    let review_days = meetings
        .iter()
        .filter(|m| m.day > last_review.unwrap_or(stay.start) && m.day <= horizon)
        .map(|m| {
            let text = crate::ui::weekday_day(chrome, m.day);
            (m.day.to_string(), text, Some(m.day) == due)
        })
        .collect();
    let from_ward = matches!(
        referral.referrer_kind,
        bro_domain::offer::ReferrerKind::Hospital
    );
    // The first draft starts from the plan's goals, where the writer may read them.
    let form = match latest {
        Some(v) => v.text.clone(),
        None => AgreementText {
            goals: plan_goals.as_deref().unwrap_or_default().join("\n"),
            participants: chrome.t(proposed_participants(from_ward)),
            ..AgreementText::default()
        },
    };
    let scores = latest.map(|v| v.principles.clone()).unwrap_or_default();
    Ok(AgreementView {
        latest: latest.map(|v| v.text.clone()),
        base_version: latest.map_or(0, |v| v.version),
        versions: versions
            .iter()
            .map(|v| {
                let day = v
                    .review_day
                    .map_or_else(|| chrome.t("care-agreement-drafted"), crate::ui::day_text);
                let who = format!("{}, {}", v.written_by, crate::ui::local_time(v.written_ms));
                let scores: Vec<String> = v.principles.iter().map(u8::to_string).collect();
                (v.version, day, who, scores.join(" · "))
            })
            .collect(),
        next_review: due.map(|d| crate::ui::weekday_day(chrome, d)),
        review_days,
        overdue: due.is_some_and(|d| d < today) && !stay.ended,
        form,
        principles: PRINCIPLES
            .iter()
            .enumerate()
            .map(|(k, key)| {
                (
                    format!("p{k}"),
                    chrome.t(key),
                    scores.get(k).copied().unwrap_or(0),
                )
            })
            .collect(),
        can_write: receiving && !stay.ended,
        plan_goals,
        course_id: referral.facts.course_id.0,
    })
}

/// The booking form's first look: the unit's beds, from today for the usual length.
async fn booking_form(state: &AppState, unit: bro_domain::UnitId) -> Result<BookingForm, AppError> {
    let today = crate::ui::danish_date(state.clock.now_ms());
    Ok(BookingForm {
        beds: state.store.beds(unit).await?,
        bed: 0,
        start: today.to_string(),
        end: default_end(today).to_string(),
    })
}

/// Offers a rejection may name instead: others of the same category in the same area.
async fn alternatives_to(state: &AppState, offer_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    let offer = state.store.offer(offer_id).await?;
    let query = OfferQuery {
        category: offer.content.category,
        municipality: offer.content.municipality.clone(),
        ..OfferQuery::default()
    };
    Ok(state
        .store
        .search_offers(&query, 20)
        .await?
        .into_iter()
        .filter(|o| o.id != offer_id)
        .map(|o| (o.id, o.content.name))
        .collect())
}

/// The referral's page; `booking` is the booking form as typed, when it was refused.
pub(super) async fn render(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    scope: &ReferralScope,
    flash: Option<String>,
    error: Option<String>,
    booking: Option<BookingForm>,
) -> Result<Response, AppError> {
    let (referral, events) = state.store.referral(&scope.ctx, scope.facts.id).await?;
    let stay = state.store.referral_stay(scope.facts.id).await?;
    let receiving = matches!(scope.side, Side::Receiver | Side::Decider);
    let booking = match (&stay, scope.side, referral.facts.status) {
        (None, Side::Decider, ReferralStatus::Accepted) => match booking {
            Some(b) => Some(b),
            None => Some(booking_form(state, referral.facts.receiving_unit_id).await?),
        },
        _ => None,
    };
    let actions = actions_for(&referral, scope.side);
    let alternatives = match scope.side {
        Side::Decider => alternatives_to(state, referral.offer_id).await?,
        _ => Vec::new(),
    };
    let mut named = Vec::new();
    for id in &referral.alternatives {
        if let Ok(o) = state.store.offer(*id).await {
            named.push((o.id, o.content.name));
        }
    }
    let decider = chrome.t(deciding_role(referral.facts.offer_category).label_key());
    let attachments = state
        .store
        .attachments(scope.facts.id)
        .await?
        .into_iter()
        .map(|a| {
            let kib = (a.size + 1023) / 1024;
            let who = format!("{}, {}", a.added_by, crate::ui::local_time(a.added_ms));
            (a.id, a.name, format!("{kib} kB"), who)
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let view = ReferralPage {
        row: ReferralRow::new(&chrome, &referral, state.clock.now_ms()),
        events: events.iter().map(|e| EventRow::new(&chrome, e)).collect(),
        actions,
        decider,
        laws: OfferLaw::ALL,
        alternatives,
        named,
        error,
        show_course: scope.side == Side::Team,
        attachments,
        can_attach: scope.side != Side::Citizen && !referral.facts.status.is_final(),
        recommend_only: scope.side == Side::Receiver,
        can_change_stay: receiving && stay.as_ref().is_some_and(|(s, _)| !s.ended),
        agreement: match &stay {
            Some((s, _)) => {
                let goals = plan_goals(state, access, &chrome, referral.facts.course_id).await?;
                Some(agreement_view(state, &chrome, s, &referral, receiving, goals).await?)
            }
            None => None,
        },
        stay: stay.map(|(s, e)| StayView::new(&chrome, &s, &e)),
        booking,
        next_steps: NextStep::ALL,
        flash,
        referral,
        chrome,
    };
    html(status, view)
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = ReferralScope::read(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/referrals");
    let flash = page.flash(&chrome);
    render(&state, &access, chrome, &scope, flash, None, None).await
}

pub async fn take_step(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let form = StepForm::from_pairs(form_pairs(&body));
    let action = form.action().ok_or(AppError::NotFound)?;
    let scope = match action {
        ReferralAction::Accept | ReferralAction::Reject => {
            ReferralScope::decide(&state, &access, id).await?
        }
        ReferralAction::Cancel => ReferralScope::team_step(&state, &access, id).await?,
        _ => ReferralScope::read(&state, &access, id).await?,
    };
    let chrome = page.chrome(&state, &access.viewer, "/referrals");
    let f = &scope.facts;
    if f.version != form.base_version {
        // Someone took a step since the page was shown: shown what stands now.
        let error = chrome.t("referral-error-changed");
        return render(&state, &access, chrome, &scope, None, Some(error), None).await;
    }
    let to = match step(f.status, f.held_from, action, scope.side, &form.note) {
        Ok(to) => to,
        Err(e) => {
            let error = chrome.t(e.message_key());
            return render(&state, &access, chrome, &scope, None, Some(error), None).await;
        }
    };
    let decision =
        matches!(action, ReferralAction::Accept | ReferralAction::Reject).then(|| Decision {
            law: form.law(),
            alternatives: form.alternatives.clone(),
        });
    let taken = ReferralStep {
        base_version: form.base_version,
        action,
        to,
        note: form
            .note
            .chars()
            .take(bro_domain::referral::TEXT_MAX)
            .collect(),
        decision,
    };
    match state.store.step_referral(&scope.ctx, id, &taken).await {
        Ok(()) => {
            crate::services::delivery::wake(&state);
            let back = format!("/referrals/{id}");
            Ok(redirect_with_flash(&state, &back, "flash-referral-step"))
        }
        Err(StoreError::Conflict(Conflict::Referral)) => {
            // Someone took a step in between: shown what stands now, nothing overwritten.
            let error = chrome.t("referral-error-changed");
            render(&state, &access, chrome, &scope, None, Some(error), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The viewer's unit's incoming referrals: the most urgent first, then the oldest.
pub async fn queue(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let (unit, ctx) = referral_queue(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/referrals");
    let now = state.clock.now_ms();
    let rows = state
        .store
        .referral_queue(&ctx, unit)
        .await?
        .iter()
        .map(|r| ReferralRow::new(&chrome, r, now))
        .collect();
    let view = QueuePage {
        unit: state.store.unit(unit).await?.name,
        rows,
        chrome,
    };
    html(StatusCode::OK, view)
}
