//! Referring a course's citizen to an offer: the form (from the directory's "Henvis" on a
//! course's search), its checks, and the course's list of referrals.

use super::super::forms::{NewReferralForm, OfferQuery};
use super::super::views::{CourseReferralsPage, NewReferralPage, ReferralRow};
use crate::access::{AuditedAccess, CourseScope, referring_kind};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::respond as html;
use crate::ui::{Chrome, FormErrors};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::CourseId;
use bro_domain::referral::Urgency;
use bro_store::{NewReferral, Offer};

/// The form page; `refused` when the viewer's kind may not refer to the offer.
async fn form_page(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    course_id: i64,
    offer: Offer,
    form: NewReferralForm,
    errors: FormErrors,
) -> Result<NewReferralPage, AppError> {
    let refused = match referring_kind(state, access, &offer).await? {
        Ok(_) => None,
        Err(allowed) => {
            let names: Vec<String> = allowed.iter().map(|k| chrome.t(k.label_key())).collect();
            let who = if names.is_empty() {
                chrome.t("referral-nobody")
            } else {
                names.join(", ")
            };
            Some(chrome.t1("referral-refused-kind", "who", &who))
        }
    };
    Ok(NewReferralPage {
        chrome,
        course_id,
        offer,
        refused,
        form,
        errors,
        urgencies: Urgency::ALL,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Query(q): Query<OfferQuery>,
) -> Result<Response, AppError> {
    let scope = CourseScope::write(&state, &access, id).await?;
    let offer = state.store.offer(q.offer).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    // From an outreach contact with a worsening: its words start the reason.
    let mut reason = String::new();
    if let Some(contact) = q.contact
        && scope.social_shared(&state, &access).await?
    {
        let contacts = state.store.contacts(&scope.ctx, CourseId(id)).await?;
        if let Some(c) = contacts.iter().find(|c| c.id == contact) {
            reason = chrome.t1("outreach-reason", "what", &c.what);
        }
    }
    let form = NewReferralForm {
        offer: offer.id,
        // A worsening is urgent; otherwise the referrer chooses from routine.
        urgency: if reason.is_empty() {
            Urgency::Routine
        } else {
            Urgency::Urgent
        }
        .as_str()
        .to_owned(),
        reason,
        ..NewReferralForm::default()
    };
    let errors = FormErrors::default();
    let view = form_page(&state, &access, chrome, id, offer, form, errors).await?;
    html(StatusCode::OK, view)
}

pub async fn create(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<NewReferralForm>,
) -> Result<Response, AppError> {
    let scope = CourseScope::write(&state, &access, id).await?;
    let offer = state.store.offer(form.offer).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    for (field, key) in form.text().check() {
        errors.add(&chrome, field, key);
    }
    if !matches!(form.agreed.as_str(), "yes" | "ask") {
        errors.add(&chrome, "agreed", "referral-error-agreed");
    }
    let kind = referring_kind(&state, &access, &offer).await?;
    let (Ok(kind), Some(urgency), true) = (kind, form.urgency(), errors.is_empty()) else {
        let view = form_page(&state, &access, chrome, id, offer, form, errors).await?;
        return html(StatusCode::UNPROCESSABLE_ENTITY, view);
    };
    let new = NewReferral {
        course_id: CourseId(id),
        offer_id: offer.id,
        referrer_kind: kind,
        urgency,
        text: form.text(),
        citizen_agreed: form.agreed == "yes",
    };
    let referral = state.store.create_referral(&scope.ctx, &new).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/referrals/{referral}"),
        "flash-referral-sent",
    ))
}

/// The course's referrals that the viewer's organisation may see, and their own.
pub async fn of_course(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = CourseScope::read(&state, &access, id).await?;
    let visible = scope.referral_categories(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let now = state.clock.now_ms();
    let rows = state
        .store
        .course_referrals(&scope.ctx, CourseId(id), &visible, access.viewer.user.id)
        .await?
        .iter()
        .map(|r| ReferralRow::new(&chrome, r, now))
        .collect();
    let view = CourseReferralsPage {
        chrome,
        course_id: id,
        rows,
    };
    html(StatusCode::OK, view)
}
