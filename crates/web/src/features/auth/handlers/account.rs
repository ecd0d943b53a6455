//! The user's own account: second factor enrolment, recovery codes, the address for e-mail
//! notices.

use super::super::forms::{EmailForm, EmailInput, EnrolForm};
use super::super::views::{AccountPage, EnrolPage};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::http::session::{Authed, MaybeViewer, Viewer};
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use axum::Form;
use axum::extract::{RawForm, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bro_auth::totp;
use bro_store::SessionStage;

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    Authed(viewer): Authed,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &viewer, "/account");
    let flash = page.flash(&chrome);
    let email = state.store.email(viewer.user.id).await?.unwrap_or_default();
    let form = EmailForm {
        email,
        errors: FormErrors::default(),
    };
    render_account(&state, chrome, flash, &viewer, None, form).await
}

async fn render_account(
    state: &AppState,
    chrome: Chrome,
    flash: Option<String>,
    viewer: &Viewer,
    new_codes: Option<Vec<String>>,
    form: EmailForm,
) -> Result<Response, AppError> {
    let recovery_left = state.store.unused_recovery_codes(viewer.user.id).await?;
    // Only staff follow offers.
    let offer_mail = match viewer.actor {
        bro_authz::Actor::Staff { .. } => {
            Some(state.store.mail_offer_changes(viewer.user.id).await?)
        }
        _ => None,
    };
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = AccountPage {
        flash,
        display_name: viewer.user.display_name.clone(),
        username: viewer.user.username.clone(),
        totp_enabled: viewer.user.totp_enabled,
        recovery_left,
        new_codes,
        has_email: !form.email.is_empty(),
        email: form.email,
        offer_mail,
        errors: form.errors,
        chrome,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The address Bro's e-mail notices go to (for a citizen: new minutes). Empty removes it.
pub async fn set_email(
    State(state): State<AppState>,
    page: Page,
    Authed(viewer): Authed,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let typed = EmailInput::parse(&body);
    let stored = match typed.address() {
        Ok(stored) => stored,
        Err(key) => {
            let chrome = chrome_for(&state, &page, &viewer);
            let mut errors = FormErrors::default();
            errors.add(&chrome, "email", key);
            let form = EmailForm {
                email: typed.0,
                errors,
            };
            return render_account(&state, chrome, None, &viewer, None, form).await;
        }
    };
    let audit = viewer.audit(state.clock.now_ms(), "own-account");
    let flash = match stored {
        None => "flash-email-removed",
        Some(_) => "flash-email-saved",
    };
    state
        .store
        .set_email(&audit, viewer.user.id, stored)
        .await?;
    Ok(redirect_with_flash(&state, "/account", flash))
}

#[derive(serde::Deserialize)]
pub(crate) struct OfferMailForm {
    #[serde(default)]
    offer_mail: String,
}

/// A member of staff's choice of an e-mail for each change of an offer they follow.
pub async fn set_offer_mail(
    State(state): State<AppState>,
    Authed(viewer): Authed,
    Form(form): Form<OfferMailForm>,
) -> Result<Response, AppError> {
    if !matches!(viewer.actor, bro_authz::Actor::Staff { .. }) {
        return Err(AppError::NotFound);
    }
    let on = form.offer_mail == "on";
    let audit = viewer.audit(state.clock.now_ms(), "own-account");
    state
        .store
        .set_mail_offer_changes(&audit, viewer.user.id, on)
        .await?;
    let flash = if on {
        "flash-offer-mail-on"
    } else {
        "flash-offer-mail-off"
    };
    Ok(redirect_with_flash(&state, "/account", flash))
}

/// A viewer who may set up the second factor: fully logged in, or held at enrolment.
fn enrolling(found: crate::http::session::SessionState) -> Result<Viewer, AppError> {
    match found.viewer {
        Some(v)
            if matches!(v.stage(), SessionStage::Full | SessionStage::Enrolment)
                && !v.user.totp_enabled =>
        {
            Ok(v)
        }
        Some(v) if v.stage() == SessionStage::Full => Err(AppError::NotFound),
        _ => Err(AppError::LoginRequired),
    }
}

fn enrol_page(
    chrome: Chrome,
    viewer: &Viewer,
    secret: String,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let url = totp::provisioning_url(&secret, &viewer.user.username)?;
    let view = EnrolPage {
        required: viewer.stage() == SessionStage::Enrolment,
        qr_svg: totp::qr_svg(&url)?,
        secret,
        errors,
        recovery_codes: None,
        chrome,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The chrome of the enrolment pages: no navigation while the login waits for enrolment.
fn chrome_for(state: &AppState, page: &Page, viewer: &Viewer) -> Chrome {
    let shown = (viewer.stage() == SessionStage::Full).then_some(viewer);
    page.chrome_for(state, shown, "/account/second-factor")
}

pub async fn enrol_form(
    State(state): State<AppState>,
    page: Page,
    MaybeViewer(found): MaybeViewer,
) -> Result<Response, AppError> {
    let viewer = enrolling(found)?;
    let chrome = chrome_for(&state, &page, &viewer);
    enrol_page(
        chrome,
        &viewer,
        totp::new_secret(),
        FormErrors::default(),
        StatusCode::OK,
    )
}

pub async fn enrol_submit(
    State(state): State<AppState>,
    page: Page,
    MaybeViewer(found): MaybeViewer,
    Form(form): Form<EnrolForm>,
) -> Result<Response, AppError> {
    let viewer = enrolling(found)?;
    let chrome = chrome_for(&state, &page, &viewer);
    let now = state.clock.now_ms();
    // The secret travels in the form between the two steps; it is the user's own and only
    // becomes active once a code made from it is shown.
    let (secret, step) = match form.secret() {
        Some(sent) => {
            let step = totp::verify(sent, &form.code, u64::try_from(now / 1000).unwrap_or(0))?;
            (sent.to_owned(), step)
        }
        None => (totp::new_secret(), None),
    };
    let Some(step) = step else {
        let mut errors = FormErrors::default();
        errors.add(&chrome, "code", form.error_key());
        return enrol_page(
            chrome,
            &viewer,
            secret,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let (codes, digests) = totp::new_recovery_codes();
    let audit = viewer.audit(now, "own-account");
    state
        .store
        .enable_totp(&audit, viewer.user.id, secret, digests)
        .await?;
    state.store.accept_totp_step(viewer.user.id, step).await?;
    let cookie = if viewer.stage() == SessionStage::Enrolment {
        crate::http::session::complete_login(&state, &audit, &viewer).await?
    } else {
        None
    };
    let view = EnrolPage {
        required: false,
        qr_svg: String::new(),
        secret: String::new(),
        errors: FormErrors::default(),
        recovery_codes: Some(codes),
        chrome,
    };
    let mut res = Html(view.render()?).into_response();
    if let Some(c) = cookie {
        res.headers_mut().append(axum::http::header::SET_COOKIE, c);
    }
    Ok(res)
}

pub async fn renew_recovery_codes(
    State(state): State<AppState>,
    page: Page,
    Authed(viewer): Authed,
) -> Result<Response, AppError> {
    if !viewer.user.totp_enabled {
        return Ok(redirect_with_flash(
            &state,
            "/account",
            "flash-no-second-factor",
        ));
    }
    let (codes, digests) = totp::new_recovery_codes();
    let audit = viewer.audit(state.clock.now_ms(), "own-account");
    state
        .store
        .replace_recovery_codes(&audit, viewer.user.id, digests)
        .await?;
    let chrome = page.chrome(&state, &viewer, "/account");
    let flash = Some(chrome.t("flash-codes-renewed"));
    let form = EmailForm {
        email: state.store.email(viewer.user.id).await?.unwrap_or_default(),
        errors: FormErrors::default(),
    };
    render_account(&state, chrome, flash, &viewer, Some(codes), form).await
}
