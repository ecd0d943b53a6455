//! A course's outreach contacts: read by the team as the citizen's social information is
//! shared with their organisation, written by the team of an open course.

use super::super::views::{ContactForm, ContactRow, ContactsPage};
use crate::access::{AuditedAccess, CourseScope, OutreachScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::respond as html;
use crate::ui::{Chrome, FormErrors};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::CourseId;
use bro_domain::offer::OfferCategory;
use bro_store::{NewOutreachContact, OfferQuery};

/// Where a contact takes place.
const PLACES: &[&str] = &["home", "street", "drop_in", "other"];
/// The longest text of a contact's fields.
const TEXT_MAX: usize = 2_000;

/// The offers of `category` in the municipality coordinating the course.
async fn offers_near(
    state: &AppState,
    scope: &CourseScope,
    category: OfferCategory,
) -> Result<Vec<(i64, String)>, AppError> {
    let municipality = match scope.course.holder_org {
        Some(org) => state.store.organisation(org).await?.name,
        None => String::new(),
    };
    let query = OfferQuery {
        category: Some(category),
        municipality,
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

async fn render(
    state: &AppState,
    (chrome, flash): (Chrome, Option<String>),
    outreach: &OutreachScope,
    form: ContactForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let scope = &outreach.course;
    let id = scope.course.course_id;
    let rows = state
        .store
        .contacts(&scope.ctx, id)
        .await?
        .into_iter()
        .map(|c| ContactRow {
            id: c.id,
            when: crate::ui::local_time(c.at_ms),
            place: chrome.t(&format!("outreach-place-{}", c.place)),
            offer: c.offer,
            what: c.what,
            next_step: c.next_step,
            worsening: c.worsening,
            by: c.by,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let care_place = offers_near(state, scope, OfferCategory::TemporaryCarePlace).await?;
    let view = ContactsPage {
        flash,
        course_id: id.0,
        rows,
        can_write: outreach.can_write,
        on_team: outreach.on_team,
        drop_ins: offers_near(state, scope, OfferCategory::DropInCentre).await?,
        // Referring is the care team's: the outreach staff from the list record the contact.
        care_place: care_place
            .first()
            .map(|(id, _)| *id)
            .filter(|_| outreach.on_team),
        places: PLACES,
        form,
        errors,
        chrome,
    };
    html(status, view)
}

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = OutreachScope::checked(&state, &access, id, false).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let flash = page.flash(&chrome);
    let form = ContactForm::default();
    render(&state, (chrome, flash), &scope, form, FormErrors::default()).await
}

pub async fn add(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ContactForm>,
) -> Result<Response, AppError> {
    let scope = OutreachScope::checked(&state, &access, id, true).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    if !PLACES.contains(&form.place.as_str()) {
        errors.add(&chrome, "place", "outreach-error-place");
    }
    let drop_ins = offers_near(&state, &scope.course, OfferCategory::DropInCentre).await?;
    let offer: Option<i64> = form.offer.parse().ok();
    if form.place == "drop_in" && !offer.is_some_and(|o| drop_ins.iter().any(|(d, _)| *d == o)) {
        errors.add(&chrome, "offer", "outreach-error-drop-in");
    }
    if form.what.trim().is_empty() {
        errors.add(&chrome, "what", "field-required");
    }
    if form.what.chars().count() > TEXT_MAX || form.next_step.chars().count() > TEXT_MAX {
        errors.add(&chrome, "what", "field-too-long");
    }
    if !errors.is_empty() {
        return render(&state, (chrome, None), &scope, form, errors).await;
    }
    let new = NewOutreachContact {
        offer_id: offer.filter(|_| form.place == "drop_in"),
        place: form.place,
        what: form.what,
        next_step: form.next_step,
        worsening: form.worsening == "on",
    };
    state
        .store
        .add_contact(&scope.course.ctx, CourseId(id), &new)
        .await?;
    let back = format!("/courses/{id}/outreach");
    Ok(redirect_with_flash(&state, &back, "flash-outreach-saved"))
}
