//! Login: password, then (when set up or demanded) the second factor; logout.
//!
//! No user enumeration: an unknown name, a wrong password and a deactivated account get the
//! same answer after the same work (a decoy hash is verified for unknown names). Failures are
//! counted per account and per client address; over the limit, every attempt is refused with a
//! clear message until the window has passed.

use super::super::views::{LoginView, SecondFactorView};
use crate::AppState;
use crate::http::csrf::CsrfToken;
use crate::http::error::AppError;
use crate::http::session::{MaybeViewer, Pending};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use bro_audit::{AuditAction, PLATFORM_TENANT};
use bro_auth::{password, token, totp};
use bro_domain::{AccountKind, Language};
use bro_store::{AuditCtx, NewSession, SessionStage};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn login_page(
    chrome: Chrome,
    errors: FormErrors,
    username: String,
    failure: Option<String>,
    expired: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let html = LoginView {
        chrome,
        errors,
        username,
        failure,
        expired,
    }
    .render()?;
    Ok((status, Html(html)).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    MaybeViewer(found): MaybeViewer,
) -> Result<Response, AppError> {
    if found
        .viewer
        .as_ref()
        .is_some_and(|v| v.stage() == SessionStage::Full)
    {
        return Ok(Redirect::to("/").into_response());
    }
    let chrome = Chrome::new(
        &state,
        crate::http::i18n::language(&headers),
        csrf,
        "/login",
        None,
    );
    login_page(
        chrome,
        FormErrors::default(),
        String::new(),
        None,
        found.expired,
        StatusCode::OK,
    )
}

fn account_key(username: &str) -> String {
    format!("account:{}", username.trim().to_lowercase())
}

fn second_factor_key(username: &str) -> String {
    format!("second-factor:{}", username.trim().to_lowercase())
}

/// The client's address: the TCP peer, or, behind a trusted reverse proxy, the address the
/// proxy reports (the last `X-Forwarded-For` entry, the one the proxy itself added).
fn client_key(state: &AppState, headers: &HeaderMap, addr: &SocketAddr) -> String {
    if state.config.trust_forwarded_for
        && let Some(forwarded) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
    {
        return format!("address:{forwarded}");
    }
    address_key(addr)
}

fn address_key(addr: &SocketAddr) -> String {
    format!("address:{}", addr.ip())
}

/// Minutes left (rounded up) when a key is over its limit, else `None`.
async fn lockout(state: &AppState, keys: &[(String, i64)]) -> Result<Option<i64>, AppError> {
    let now = state.clock.now_ms();
    let since = now - state.config.login_window_ms;
    for (key, max) in keys {
        if state.store.login_failures_since(key, since).await? >= *max {
            return Ok(Some((state.config.login_window_ms + 59_999) / 60_000));
        }
    }
    Ok(None)
}

fn session_cookie(state: &AppState, token: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(
        &state
            .config
            .cookie(state.config.session_cookie(), token, true),
    )
    .ok()
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let lang = crate::http::i18n::language(&headers);
    let chrome = Chrome::new(&state, lang, csrf, "/login", None);
    let mut errors = FormErrors::default();
    if form.username.trim().is_empty() {
        errors.add(&chrome, "username", "login-username-required");
    }
    if form.password.is_empty() {
        errors.add(&chrome, "password", "login-password-required");
    }
    if form.username.chars().count() > 256 || form.password.chars().count() > 1024 {
        errors.add(&chrome, "username", "login-failed");
    }
    if !errors.is_empty() {
        return login_page(
            chrome,
            errors,
            form.username,
            None,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let username = form.username.trim().to_lowercase();
    let keys = [
        (
            account_key(&username),
            state.config.max_failures_per_account,
        ),
        (
            client_key(&state, &headers, &addr),
            state.config.max_failures_per_address,
        ),
    ];
    let now = state.clock.now_ms();
    let credentials = state.store.credentials(&username).await?;
    let tenant = credentials
        .as_ref()
        .and_then(|c| c.org_id)
        .map_or(PLATFORM_TENANT, |o| o.0);
    let audit = AuditCtx {
        actor_user_id: credentials.as_ref().map(|c| c.user_id),
        actor_role: credentials.as_ref().map(|c| c.kind.as_str().to_owned()),
        ..AuditCtx::system(tenant, now, "authentication")
    };

    if let Some(minutes) = lockout(&state, &keys).await? {
        // Still verify, so a locked account answers no faster than an open one.
        password::verify_password(form.password, None).await;
        state
            .store
            .append_audit(
                &audit,
                bro_store::AuditEvent::denied(AuditAction::LoginRateLimited),
            )
            .await?;
        let msg = chrome.t1("login-rate-limited", "minutes", &minutes.to_string());
        return login_page(
            chrome,
            errors,
            form.username,
            Some(msg),
            false,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }

    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let verified = password::verify_password(form.password, hash).await;
    let Some(creds) = credentials.filter(|c| verified && c.active) else {
        let failure_keys: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        state
            .store
            .record_login_failure(&audit, AuditAction::LoginFailed, &failure_keys)
            .await?;
        let msg = chrome.t("login-failed");
        return login_page(
            chrome,
            errors,
            form.username,
            Some(msg),
            false,
            StatusCode::UNAUTHORIZED,
        );
    };
    state.store.clear_login_failures(&keys[0].0).await?;

    // A second factor is demanded when the user's own organisation, or any organisation they
    // hold a role in, demands it.
    let require_second = match (creds.kind, creds.org_id) {
        (AccountKind::Staff, Some(home)) => {
            let mut orgs = vec![home];
            orgs.extend(
                state
                    .store
                    .roles(creds.user_id)
                    .await?
                    .iter()
                    .map(|r| r.org_id),
            );
            orgs.sort_unstable();
            orgs.dedup();
            let mut required = false;
            for org in orgs {
                required |= state.store.organisation(org).await?.require_second_factor;
            }
            required
        }
        _ => false,
    };
    let stage = match (&creds.totp_secret, require_second) {
        (Some(_), _) => SessionStage::SecondFactor,
        (None, true) => SessionStage::Enrolment,
        (None, false) => SessionStage::Full,
    };
    // A fresh token at every login: no session fixation.
    let session_token = token::random_token();
    state
        .store
        .create_session(
            &audit,
            NewSession {
                id_hash: state.config.session_digest(&session_token),
                user_id: creds.user_id,
                stage,
                created_ms: now,
                expires_ms: now + state.config.absolute_lifetime_ms,
                active_role: None,
            },
        )
        .await?;
    let to = match stage {
        SessionStage::Full => "/",
        SessionStage::SecondFactor => "/login/second-factor",
        SessionStage::Enrolment => "/account/second-factor",
    };
    let mut res = Redirect::to(to).into_response();
    if let Some(c) = session_cookie(&state, &session_token) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(res)
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn second_factor_page(
    chrome: Chrome,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    Ok((status, Html(SecondFactorView { chrome, errors }.render()?)).into_response())
}

pub async fn second_factor_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    Pending(viewer): Pending,
) -> Result<Response, AppError> {
    if viewer.stage() == SessionStage::Enrolment {
        return Ok(Redirect::to("/account/second-factor").into_response());
    }
    let chrome = Chrome::new(
        &state,
        crate::http::i18n::language(&headers),
        csrf,
        "/login/second-factor",
        None,
    );
    second_factor_page(chrome, FormErrors::default(), StatusCode::OK)
}

pub async fn second_factor_submit(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    Pending(viewer): Pending,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    if viewer.stage() != SessionStage::SecondFactor {
        return Ok(Redirect::to("/account/second-factor").into_response());
    }
    let lang: Language = crate::http::i18n::language(&headers);
    let chrome = Chrome::new(&state, lang, csrf, "/login/second-factor", None);
    let now = state.clock.now_ms();
    let audit = viewer.audit(now, "authentication");
    // Wrong codes count on their own key, which only a completed login clears: giving the
    // password again does not buy new guesses. They count per address too.
    let key = second_factor_key(&viewer.user.username);
    let keys = [
        (key.clone(), state.config.max_failures_per_account),
        (
            client_key(&state, &headers, &addr),
            state.config.max_failures_per_address,
        ),
    ];
    if let Some(minutes) = lockout(&state, &keys).await? {
        state
            .store
            .delete_session(&audit, &viewer.session.id_hash)
            .await?;
        let msg = chrome.t1("login-rate-limited", "minutes", &minutes.to_string());
        return login_page(
            chrome,
            FormErrors::default(),
            viewer.user.username,
            Some(msg),
            false,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let creds = state
        .store
        .credentials(&viewer.user.username)
        .await?
        .ok_or(AppError::LoginRequired)?;
    let code = form.code.trim();
    let digits_only = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| c.is_ascii_digit());
    let accepted = if digits_only {
        match creds.totp_secret.as_deref() {
            Some(secret) => {
                match totp::verify(secret, code, u64::try_from(now / 1000).unwrap_or(0))? {
                    Some(step) => state.store.accept_totp_step(viewer.user.id, step).await?,
                    None => false,
                }
            }
            None => false,
        }
    } else {
        state
            .store
            .use_recovery_code(&audit, viewer.user.id, &totp::recovery_digest(code))
            .await?
    };
    if !accepted {
        state
            .store
            .record_login_failure(
                &audit,
                AuditAction::SecondFactorFailed,
                &[keys[0].0.clone(), keys[1].0.clone()],
            )
            .await?;
        let mut errors = FormErrors::default();
        errors.add(
            &chrome,
            "code",
            if code.is_empty() {
                "totp-code-required"
            } else {
                "totp-code-wrong"
            },
        );
        return second_factor_page(chrome, errors, StatusCode::UNAUTHORIZED);
    }
    state.store.clear_login_failures(&key).await?;
    let cookie = crate::http::session::complete_login(&state, &audit, &viewer).await?;
    let mut res = Redirect::to("/").into_response();
    if let Some(c) = cookie {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(res)
}

fn end_cookie(state: &AppState) -> Option<HeaderValue> {
    HeaderValue::from_str(&state.config.expired_cookie(state.config.session_cookie())).ok()
}

pub async fn logout(
    State(state): State<AppState>,
    MaybeViewer(found): MaybeViewer,
) -> Result<Response, AppError> {
    // Only a live session is ended (and audited); an unknown or ended one needs nothing, and
    // a made-up cookie cannot make Bro write.
    if let Some(v) = found.viewer {
        state
            .store
            .delete_session(
                &v.audit(state.clock.now_ms(), "authentication"),
                &v.session.id_hash,
            )
            .await?;
    }
    let mut res = Redirect::to("/login").into_response();
    if let Some(c) = end_cookie(&state) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(res)
}

/// Ends every session of the user, on every device.
pub async fn logout_everywhere(
    State(state): State<AppState>,
    MaybeViewer(found): MaybeViewer,
) -> Result<Response, AppError> {
    // Only a full login may end all sessions: a password alone must not log the owner out.
    let Some(v) = found.viewer.filter(|v| v.stage() == SessionStage::Full) else {
        return Err(AppError::LoginRequired);
    };
    state
        .store
        .delete_user_sessions(&v.audit(state.clock.now_ms(), "authentication"), v.user.id)
        .await?;
    let mut res = Redirect::to("/login").into_response();
    if let Some(c) = end_cookie(&state) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(res)
}
