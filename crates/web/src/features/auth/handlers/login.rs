//! Login: password, then (when set up or demanded) the second factor; logout.
//!
//! No user enumeration: an unknown name, a wrong password and a deactivated account get the
//! same answer after the same work (a decoy hash is verified for unknown names). Failures are
//! counted per account and per client address; over the limit, every attempt is refused with a
//! clear message until the window has passed.

use super::super::forms::{CodeForm, LoginForm, SecondFactorCode};
use super::super::views::{LoginPage, SecondFactorPage};
use crate::http::error::AppError;
use crate::http::session::{MaybeViewer, Pending};
use crate::live::Ended;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use bro_audit::{AuditAction, PLATFORM_TENANT};
use bro_auth::{password, token, totp};
use bro_domain::{AccountKind, UserId};
use bro_store::{AuditCtx, Credentials, NewSession, SessionStage};
use std::net::SocketAddr;

fn login_page(
    chrome: Chrome,
    errors: FormErrors,
    username: String,
    failure: Option<String>,
    expired: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let html = LoginPage {
        chrome,
        errors,
        username,
        failure,
        expired,
    }
    .render()?;
    Ok((status, Html(html)).into_response())
}

/// The login form again, with the reason it refused above it.
fn refused(
    chrome: Chrome,
    username: String,
    failure: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let errors = FormErrors::default();
    login_page(chrome, errors, username, Some(failure), false, status)
}

pub async fn form(
    State(state): State<AppState>,
    page: Page,
    MaybeViewer(found): MaybeViewer,
) -> Result<Response, AppError> {
    if found
        .viewer
        .as_ref()
        .is_some_and(|v| v.stage() == SessionStage::Full)
    {
        return Ok(Redirect::to("/").into_response());
    }
    let chrome = page.chrome_for(&state, None, "/login");
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

/// Counts this attempt under `keys` before anything is checked: `Err` with the minutes left
/// (rounded up) when a key has reached its limit, else the claim to take back on success.
/// Counting first is what holds the limit when many attempts arrive at once.
async fn claim_attempt(
    state: &AppState,
    keys: &[(String, i64)],
) -> Result<Result<String, i64>, AppError> {
    let now = state.clock.now_ms();
    let since = now - state.config.login_window_ms;
    let claim = bro_auth::token::random_token();
    if state
        .store
        .claim_login_attempt(&claim, keys, since, now)
        .await?
    {
        Ok(Ok(claim))
    } else {
        Ok(Err((state.config.login_window_ms + 59_999) / 60_000))
    }
}

fn session_cookie(state: &AppState, token: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(
        &state
            .config
            .cookie(state.config.session_cookie(), token, true),
    )
    .ok()
}

/// The audit context of a login attempt: the account's own when the name is known.
fn login_audit(credentials: Option<&Credentials>, now: i64) -> AuditCtx {
    let tenant = credentials
        .and_then(|c| c.org_id)
        .map_or(PLATFORM_TENANT, |o| o.0);
    AuditCtx {
        actor_user_id: credentials.map(|c| c.user_id),
        actor_role: credentials.map(|c| c.kind.as_str().to_owned()),
        ..AuditCtx::system(tenant, now, "authentication")
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    page: Page,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let chrome = page.chrome_for(&state, None, "/login");
    let errors = form.errors(&chrome);
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
    let username = form.account_name();
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
    let audit = login_audit(credentials.as_ref(), now);

    let claim = match claim_attempt(&state, &keys).await? {
        Ok(claim) => claim,
        Err(minutes) => {
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
            return refused(chrome, form.username, msg, StatusCode::TOO_MANY_REQUESTS);
        }
    };

    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let verified = password::verify_password(form.password, hash).await;
    let Some(creds) = credentials.filter(|c| verified && c.active) else {
        // The attempt is counted already, by its claim: only the audit record is left.
        state
            .store
            .record_login_failure(&audit, AuditAction::LoginFailed, &[])
            .await?;
        let msg = chrome.t("login-failed");
        return refused(chrome, form.username, msg, StatusCode::UNAUTHORIZED);
    };
    state.store.release_login_attempt(&claim).await?;
    state.store.clear_login_failures(&keys[0].0).await?;

    let require_second = second_factor_required(&state, &creds).await?;
    let stage = match (&creds.totp_secret, require_second) {
        (Some(_), _) => SessionStage::SecondFactor,
        (None, true) => SessionStage::Enrolment,
        (None, false) => SessionStage::Full,
    };
    start_session(&state, &audit, creds.user_id, stage, now).await
}

/// A second factor is demanded when the user's own organisation, or any organisation they
/// hold a role in, demands it.
async fn second_factor_required(state: &AppState, creds: &Credentials) -> Result<bool, AppError> {
    let (AccountKind::Staff, Some(home)) = (creds.kind, creds.org_id) else {
        return Ok(false);
    };
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
    Ok(required)
}

/// Opens a session at `stage` and sends the browser where that stage goes on.
async fn start_session(
    state: &AppState,
    audit: &AuditCtx,
    user_id: UserId,
    stage: SessionStage,
    now: i64,
) -> Result<Response, AppError> {
    // A fresh token at every login: no session fixation.
    let session_token = token::random_token();
    state
        .store
        .create_session(
            audit,
            NewSession {
                id_hash: state.config.session_digest(&session_token),
                user_id,
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
    if let Some(c) = session_cookie(state, &session_token) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(res)
}

fn second_factor_page(
    chrome: Chrome,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    Ok((status, Html(SecondFactorPage { chrome, errors }.render()?)).into_response())
}

pub async fn second_factor_form(
    State(state): State<AppState>,
    page: Page,
    Pending(viewer): Pending,
) -> Result<Response, AppError> {
    if viewer.stage() == SessionStage::Enrolment {
        return Ok(Redirect::to("/account/second-factor").into_response());
    }
    let chrome = page.chrome_for(&state, None, "/login/second-factor");
    second_factor_page(chrome, FormErrors::default(), StatusCode::OK)
}

pub async fn second_factor_submit(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    page: Page,
    Pending(viewer): Pending,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    if viewer.stage() != SessionStage::SecondFactor {
        return Ok(Redirect::to("/account/second-factor").into_response());
    }
    let chrome = page.chrome_for(&state, None, "/login/second-factor");
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
    let claim = match claim_attempt(&state, &keys).await? {
        Ok(claim) => claim,
        Err(minutes) => {
            state
                .store
                .delete_session(&audit, &viewer.session.id_hash)
                .await?;
            let msg = chrome.t1("login-rate-limited", "minutes", &minutes.to_string());
            let status = StatusCode::TOO_MANY_REQUESTS;
            return refused(chrome, viewer.user.username, msg, status);
        }
    };
    let creds = state
        .store
        .credentials(&viewer.user.username)
        .await?
        .ok_or(AppError::LoginRequired)?;
    let secret = creds.totp_secret.as_deref();
    if !code_accepted(&state, &audit, viewer.user.id, secret, form.code(), now).await? {
        // Counted already, by its claim: only the audit record is left.
        state
            .store
            .record_login_failure(&audit, AuditAction::SecondFactorFailed, &[])
            .await?;
        let mut errors = FormErrors::default();
        errors.add(&chrome, "code", form.error_key());
        return second_factor_page(chrome, errors, StatusCode::UNAUTHORIZED);
    }
    state.store.release_login_attempt(&claim).await?;
    state.store.clear_login_failures(&key).await?;
    let cookie = crate::http::session::complete_login(&state, &audit, &viewer).await?;
    let mut res = Redirect::to("/").into_response();
    if let Some(c) = cookie {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(res)
}

/// Whether `code` is the app's code of the moment (each one taken once) or one of the user's
/// unused recovery codes (which it uses up).
async fn code_accepted(
    state: &AppState,
    audit: &AuditCtx,
    user: UserId,
    secret: Option<&str>,
    code: SecondFactorCode<'_>,
    now: i64,
) -> Result<bool, AppError> {
    match code {
        SecondFactorCode::App(code) => {
            let Some(secret) = secret else {
                return Ok(false);
            };
            match totp::verify(secret, code, u64::try_from(now / 1000).unwrap_or(0))? {
                Some(step) => Ok(state.store.accept_totp_step(user, step).await?),
                None => Ok(false),
            }
        }
        SecondFactorCode::Recovery(code) => Ok(state
            .store
            .use_recovery_code(audit, user, &totp::recovery_digest(code))
            .await?),
    }
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
        state.live.end(Ended::Session(v.session.id_hash));
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
    state.live.end(Ended::User(v.user.id));
    let mut res = Redirect::to("/login").into_response();
    if let Some(c) = end_cookie(&state) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(res)
}
