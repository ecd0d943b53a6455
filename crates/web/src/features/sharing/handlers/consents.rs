//! Consents to share information, on the care team's page: the team records them (written
//! with the signed document, or oral with who heard it), withdraws one when the citizen says
//! so, which takes effect on the very next request, and asks the coordinator to discuss a
//! missing one with the citizen. Nothing is overwritten: the history shows every consent with
//! its withdrawal.

use super::super::forms::{ConsentInput, LegalBasisInput, RequestForm};
use super::super::views::{ConsentRow, ConsentsPage, LegalBasisRow};
use crate::access::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::http::upload::{document_type, download, shown_name};
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::consent::{ConsentForm, GivenBy, LegalBasisKind};
use bro_domain::{OrgId, ShareCategory};
use bro_store::{AuditCtx, Conflict, ConsentDocument, CourseAccess, StoreError};

/// The team's consent page; `errors` and the inputs say what a refused form sent.
pub(super) async fn staff_page(
    state: &AppState,
    chrome: Chrome,
    ctx: &AuditCtx,
    a: &CourseAccess,
    flash: Option<String>,
    errors: FormErrors,
    (input, lb_input): (ConsentInput, LegalBasisInput),
) -> Result<Response, AppError> {
    let course = state.store.course(ctx, a.course_id).await?;
    let now = state.clock.now_ms();
    let consents = state.store.consents(ctx, a.citizen_id).await?;
    let bases = state.store.legal_bases(ctx, a.citizen_id).await?;
    let age = course.citizen_cpr.age_on(crate::ui::danish_date(now));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let input = if errors.is_empty() && input.valid_from.is_empty() {
        ConsentInput {
            valid_from: crate::ui::danish_date(now).to_string(),
            form: ConsentForm::Written.as_str().to_owned(),
            given_by: GivenBy::Citizen.as_str().to_owned(),
            ..input
        }
    } else {
        input
    };
    let view = ConsentsPage {
        flash,
        course_id: course.id.0,
        course_name: course.citizen_name.clone(),
        can_record: a.membership.is_some() && course.closed_ms.is_none(),
        minor: age < bro_domain::consent::ADULT_AGE,
        child: age < bro_domain::consent::HEALTH_CONSENT_AGE,
        rows: consents
            .iter()
            .map(|c| ConsentRow::new(&chrome, c, now))
            .collect(),
        bases: bases
            .iter()
            .map(|b| LegalBasisRow::new(&chrome, b, now))
            .collect(),
        coordinates: a.membership.is_some_and(|(_, c)| c) && course.closed_ms.is_none(),
        kinds: LegalBasisKind::ALL,
        lb_input,
        orgs: state.store.organisations().await?,
        categories: ShareCategory::ALL,
        forms: &[ConsentForm::Written, ConsentForm::Oral],
        givers: GivenBy::ALL,
        errors,
        input,
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
    let CourseScope { course: a, ctx } = CourseScope::citizen_data(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let flash = page.flash(&chrome);
    let inputs = (ConsentInput::default(), LegalBasisInput::default());
    staff_page(
        &state,
        chrome,
        &ctx,
        &a,
        flash,
        FormErrors::default(),
        inputs,
    )
    .await
}

/// Reads the multipart form: its fields and, if one was attached, the signed document.
async fn read_multipart(
    mut multipart: Multipart,
    chrome: &Chrome,
    errors: &mut FormErrors,
) -> Result<(ConsentInput, Option<ConsentDocument>), AppError> {
    let mut pairs = Vec::new();
    let mut document = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::Conflict(Conflict::Form))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "document" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::Conflict(Conflict::Form))?;
            if bytes.is_empty() {
                continue;
            }
            match document_type(&bytes) {
                Some(kind) => {
                    document = Some(ConsentDocument {
                        name: shown_name(&file_name, "samtykke"),
                        content_type: kind.to_owned(),
                        bytes: bytes.to_vec(),
                    });
                }
                None => errors.add(chrome, "document", "consent-error-document-type"),
            }
        } else {
            let value = field
                .text()
                .await
                .map_err(|_| AppError::Conflict(Conflict::Form))?;
            pairs.push((name, value));
        }
    }
    Ok((ConsentInput::from_pairs(pairs), document))
}

/// A team member records a consent the citizen gave (in writing or orally).
pub async fn record(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::write(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    let (input, document) = read_multipart(multipart, &chrome, &mut errors).await?;
    let course = state.store.course(&ctx, a.course_id).await?;
    let age = course
        .citizen_cpr
        .age_on(crate::ui::danish_date(state.clock.now_ms()));
    let known = known_orgs(&state).await?;
    if input.form == ConsentForm::Digital.as_str() {
        // Only the citizen gives a consent digitally, on their own page.
        errors.add(&chrome, "form", "field-choose");
    }
    let new = input.check(&chrome, &mut errors, a.citizen_id, age, &known, document);
    let Some(mut new) = new.filter(|_| errors.is_empty()) else {
        let inputs = (input, LegalBasisInput::default());
        return staff_page(&state, chrome, &ctx, &a, None, errors, inputs).await;
    };
    new.course_id = Some(a.course_id);
    state.store.record_consent(&ctx, new).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}/consents"),
        "flash-consent-recorded",
    ))
}

/// A team member records that the citizen withdrew a consent (e.g. by phone).
pub async fn withdraw(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, consent)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::write(&state, &access, id).await?;
    withdrawn(
        &state,
        state
            .store
            .withdraw_consent(&ctx, a.citizen_id, consent)
            .await,
        &format!("/courses/{id}/consents"),
    )
}

/// The coordinator confirms a consent that waits for it (one a team member recorded for their
/// own organisation); the citizen can confirm it on their own page instead.
pub async fn confirm(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, consent)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    let back = format!("/courses/{id}/consents");
    confirmed(
        &state,
        state
            .store
            .confirm_consent(&ctx, a.citizen_id, consent)
            .await,
        &back,
    )
}

/// Where a confirmation leads: back with a word of what happened.
pub(super) fn confirmed(
    state: &AppState,
    result: Result<(), StoreError>,
    back: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(redirect_with_flash(state, back, "flash-consent-confirmed")),
        Err(StoreError::NotFound) => Ok(redirect_with_flash(
            state,
            back,
            "flash-consent-not-awaiting",
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn document(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, consent)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::citizen_data(&state, &access, id).await?;
    document_response(
        state
            .store
            .consent_document(&ctx, a.citizen_id, consent)
            .await?,
    )
}

/// A team member whose organisation lacks consent asks the coordinator to discuss it with
/// the citizen: a task on the course's timeline.
pub async fn request(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<RequestForm>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::write(&state, &access, id).await?;
    let category = ShareCategory::parse(&form.category).ok_or(AppError::NotFound)?;
    state
        .store
        .request_consent(&ctx, a.course_id, category)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}"),
        "flash-consent-requested",
    ))
}

/// Back to `back`, saying whether the consent was withdrawn now or had been already.
pub(super) fn withdrawn(
    state: &AppState,
    result: Result<(), StoreError>,
    back: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(redirect_with_flash(state, back, "flash-consent-withdrawn")),
        Err(StoreError::Conflict(_)) => Ok(redirect_with_flash(
            state,
            back,
            "flash-consent-already-withdrawn",
        )),
        Err(e) => Err(e.into()),
    }
}

/// A signed consent document, as a download.
pub(super) fn document_response(d: ConsentDocument) -> Result<Response, AppError> {
    download(&d.content_type, d.bytes, "samtykke")
}

/// The organisations a consent or legal basis may name.
pub(super) async fn known_orgs(state: &AppState) -> Result<Vec<OrgId>, AppError> {
    Ok(state
        .store
        .organisations()
        .await?
        .iter()
        .map(|o| o.id)
        .collect())
}
