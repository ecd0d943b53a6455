//! Consents to share information: the care team records them (written with the signed
//! document, or oral with who heard it), the citizen gives one digitally in Bro, and either
//! withdraws one at any time, which takes effect on the very next request. Nothing is
//! overwritten: the history shows every consent with its withdrawal.

use super::super::forms::{ConsentInput, LegalBasisInput, RequestForm};
use super::super::views::{ConsentRow, ConsentsView, LegalBasisRow, MeConsentsView};
use crate::AppState;
use crate::access::AuditedAccess;
use crate::access::{CitizenScope, CourseScope};
use crate::http::error::AppError;
use crate::http::forms::{form_pairs, redirect_with_flash};
use crate::http::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Multipart, Path, RawForm, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bro_domain::consent::{ConsentForm, GivenBy, LegalBasisKind};
use bro_domain::{OrgId, ShareCategory};
use bro_store::Conflict;
use bro_store::{AuditCtx, Consent, ConsentDocument, CourseAccess, LegalBasis, StoreError};

/// One legal basis in plain words.
pub fn legal_basis_row(chrome: &Chrome, b: &LegalBasis, now: i64) -> LegalBasisRow {
    let orgs = b
        .orgs
        .iter()
        .map(|(_, n)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let categories = b
        .categories
        .iter()
        .map(|k| chrome.t(k.label_key()))
        .collect::<Vec<_>>()
        .join(", ");
    let status = if b.ended_ms.is_some() {
        "legal-basis-status-ended"
    } else if b.valid_to_ms <= now {
        "consent-status-expired"
    } else if b.valid_from_ms > now {
        "consent-status-future"
    } else {
        "consent-status-active"
    };
    LegalBasisRow {
        id: b.id,
        active: b.is_active(now),
        endable: b.ended_ms.is_none() && b.valid_to_ms > now,
        basis: chrome.t(b.kind.label_key()),
        summary: chrome.tn(
            "consent-summary",
            &[("orgs", orgs), ("categories", categories)],
        ),
        reason: b.reason.clone(),
        period: format!(
            "{} – {}",
            chrome.date(&b.valid_from_ms),
            chrome.date(&(b.valid_to_ms - 1))
        ),
        recorded: format!(
            "{}, {}",
            b.recorded_by,
            crate::ui::local_time(b.recorded_ms)
        ),
        status: chrome.t(status),
    }
}

/// A signed consent as uploaded: a PDF or a scan (JPEG, PNG), recognised by its content.
fn document_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// One consent in plain words.
pub fn consent_row(chrome: &Chrome, c: &Consent, now: i64) -> ConsentRow {
    let orgs = c
        .orgs
        .iter()
        .map(|(_, n)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let categories = c
        .categories
        .iter()
        .map(|k| chrome.t(k.label_key()))
        .collect::<Vec<_>>()
        .join(", ");
    let until = c.valid_to_ms.map_or_else(
        || chrome.t("consent-until-withdrawn"),
        |to| chrome.date(&(to - 1)),
    );
    let mut how = chrome.t(c.form.label_key());
    match c.given_by {
        GivenBy::Citizen => {}
        GivenBy::CustodyHolders | GivenBy::Guardian => {
            how = format!(
                "{how}; {}: {}",
                chrome.t(c.given_by.label_key()),
                c.givers.join(", ")
            );
        }
    }
    if !c.guardian_scope.is_empty() {
        how = format!("{how} ({})", c.guardian_scope);
    }
    if !c.witness.is_empty() {
        how = format!("{how}; {}: {}", chrome.t("consent-witness"), c.witness);
    }
    let status = if c.withdrawn_ms.is_some() {
        "consent-status-withdrawn"
    } else if c.valid_to_ms.is_some_and(|to| to <= now) {
        "consent-status-expired"
    } else if c.valid_from_ms > now {
        "consent-status-future"
    } else {
        "consent-status-active"
    };
    ConsentRow {
        id: c.id,
        active: c.is_active(now),
        withdrawable: c.withdrawn_ms.is_none() && c.valid_to_ms.is_none_or(|to| to > now),
        summary: chrome.tn(
            "consent-summary",
            &[("orgs", orgs), ("categories", categories)],
        ),
        period: format!("{} – {until}", chrome.date(&c.valid_from_ms)),
        how,
        recorded: format!(
            "{}, {}",
            c.recorded_by,
            crate::ui::local_time(c.recorded_ms)
        ),
        withdrawn: c.withdrawn_ms.map(|w| {
            format!(
                "{}, {}",
                c.withdrawn_by.clone().unwrap_or_default(),
                crate::ui::local_time(w)
            )
        }),
        status: chrome.t(status),
        document: c.document_name.clone(),
    }
}

// ------------------------------------------------------------------------------------------
// The care team's page.

async fn staff_page(
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
    let view = ConsentsView {
        flash,
        course_id: course.id.0,
        course_name: course.citizen_name.clone(),
        can_record: a.membership.is_some() && course.closed_ms.is_none(),
        minor: age < bro_domain::consent::ADULT_AGE,
        child: age < bro_domain::consent::HEALTH_CONSENT_AGE,
        rows: consents
            .iter()
            .map(|c| consent_row(&chrome, c, now))
            .collect(),
        bases: bases
            .iter()
            .map(|b| legal_basis_row(&chrome, b, now))
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
    let CourseScope { course: a, ctx } = CourseScope::read(&state, &access, id).await?;
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
                    // The name is shown back to people: keep it short and printable.
                    let clean: String = file_name
                        .chars()
                        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
                        .take(120)
                        .collect();
                    document = Some(ConsentDocument {
                        name: if clean.is_empty() {
                            "samtykke".into()
                        } else {
                            clean
                        },
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
    let CourseScope { course: a, ctx } = CourseScope::read(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    let (input, document) = read_multipart(multipart, &chrome, &mut errors).await?;
    let course = state.store.course(&ctx, a.course_id).await?;
    let age = course
        .citizen_cpr
        .age_on(crate::ui::danish_date(state.clock.now_ms()));
    let known: Vec<OrgId> = state
        .store
        .organisations()
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
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
    let CourseScope { course: a, ctx } = CourseScope::read(&state, &access, id).await?;
    withdrawn(
        &state,
        state
            .store
            .withdraw_consent(&ctx, a.citizen_id, consent)
            .await,
        &format!("/courses/{id}/consents"),
    )
}

fn withdrawn(
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

fn document_response(d: ConsentDocument) -> Result<Response, AppError> {
    let content_type = HeaderValue::from_str(&d.content_type)
        .map_err(|_| AppError::Internal("bad content type".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"samtykke\""),
            ),
        ],
        d.bytes,
    )
        .into_response())
}

pub async fn document(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, consent)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::read(&state, &access, id).await?;
    document_response(
        state
            .store
            .consent_document(&ctx, a.citizen_id, consent)
            .await?,
    )
}

/// The coordinator records a legal basis for sharing without consent.
pub async fn record_legal_basis(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let input = LegalBasisInput::from_pairs(form_pairs(&body));
    let known: Vec<OrgId> = state
        .store
        .organisations()
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    let mut errors = FormErrors::default();
    let Some(new) = input.check(&chrome, &mut errors, &a, &known) else {
        let inputs = (ConsentInput::default(), input);
        return staff_page(&state, chrome, &ctx, &a, None, errors, inputs).await;
    };
    state.store.record_legal_basis(&ctx, new).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}/consents"),
        "flash-legal-basis-recorded",
    ))
}

/// The coordinator ends a legal basis before its end date.
pub async fn end_legal_basis(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, basis)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    match state.store.end_legal_basis(&ctx, a.citizen_id, basis).await {
        Ok(()) | Err(StoreError::Conflict(_)) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}/consents"),
            "flash-legal-basis-ended",
        )),
        Err(e) => Err(e.into()),
    }
}

/// A team member whose organisation lacks consent asks the coordinator to discuss it with
/// the citizen: a task on the course's timeline.
pub async fn request(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<RequestForm>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::read(&state, &access, id).await?;
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

// ------------------------------------------------------------------------------------------
// The citizen's own page.

async fn me_page(
    state: &AppState,
    chrome: Chrome,
    access: &AuditedAccess,
    flash: Option<String>,
    errors: FormErrors,
    input: ConsentInput,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(state, access).await?;
    let now = state.clock.now_ms();
    let consents = state.store.consents(&ctx, citizen).await?;
    // The citizen gives consent to the organisations of their team.
    let mut orgs: Vec<(OrgId, String)> = Vec::new();
    if let Some(course) = state.store.open_course_of(citizen).await? {
        for m in state.store.course(&ctx, course).await?.team {
            if !orgs.iter().any(|(id, _)| *id == m.org_id) {
                orgs.push((m.org_id, m.org_name));
            }
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let rows: Vec<ConsentRow> = consents
        .iter()
        .map(|c| consent_row(&chrome, c, now))
        .collect();
    let bases = state
        .store
        .legal_bases(&ctx, citizen)
        .await?
        .iter()
        .map(|b| legal_basis_row(&chrome, b, now))
        .collect();
    html(
        status,
        MeConsentsView {
            flash,
            rows,
            bases,
            orgs,
            categories: ShareCategory::ALL,
            errors,
            input,
            chrome,
        },
    )
}

pub async fn mine(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/me");
    let flash = page.flash(&chrome);
    me_page(
        &state,
        chrome,
        &access,
        flash,
        FormErrors::default(),
        ConsentInput::default(),
    )
    .await
}

/// The citizen gives a consent in Bro: digital, by themselves, from today.
pub async fn give(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me");
    let now = state.clock.now_ms();
    let today = crate::ui::danish_date(now);
    let mut input = ConsentInput::from_pairs(form_pairs(&body));
    input.form = ConsentForm::Digital.as_str().to_owned();
    input.given_by = GivenBy::Citizen.as_str().to_owned();
    input.valid_from = today.to_string();
    let age = state.store.citizen(&ctx, citizen).await?.cpr.age_on(today);
    let known: Vec<OrgId> = state
        .store
        .organisations()
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    let mut errors = FormErrors::default();
    let Some(mut new) = input.check(&chrome, &mut errors, citizen, age, &known, None) else {
        return me_page(&state, chrome, &access, None, errors, input).await;
    };
    new.course_id = state.store.open_course_of(citizen).await?;
    // A digital consent starts the moment it is given.
    new.valid_from_ms = now;
    state.store.record_consent(&ctx, new).await?;
    Ok(redirect_with_flash(
        &state,
        "/me/consents",
        "flash-consent-recorded",
    ))
}

pub async fn withdraw_own(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(consent): Path<i64>,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(&state, &access).await?;
    withdrawn(
        &state,
        state.store.withdraw_consent(&ctx, citizen, consent).await,
        "/me/consents",
    )
}

pub async fn own_document(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(consent): Path<i64>,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(&state, &access).await?;
    document_response(state.store.consent_document(&ctx, citizen, consent).await?)
}
