//! Landing pages: staff home, the citizen's and relative's own page, role and language switch.

use crate::AppState;
use crate::audited::AuditedAccess;
use crate::csrf::CsrfToken;
use crate::error::AppError;
use crate::forms::{Flash, local_path};
use crate::session::{Authed, MaybeViewer};
use crate::views::Chrome;
use crate::views::pages::{HomeView, MeView, RoleRow};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use bro_authz::{Actor, Permission};
use bro_domain::{Language, Role};
use bro_store::SessionStage;
use serde::Deserialize;

/// `/`: where each kind of person starts.
pub async fn root(MaybeViewer(found): MaybeViewer) -> Redirect {
    match found.viewer {
        Some(v) if v.stage() == SessionStage::Full => match v.actor {
            Actor::Staff { .. } => Redirect::to("/home"),
            Actor::Citizen { .. } | Actor::Relative { .. } => Redirect::to("/me"),
        },
        Some(v) if v.stage() == SessionStage::SecondFactor => Redirect::to("/login/second-factor"),
        Some(_) => Redirect::to("/account/second-factor"),
        None => Redirect::to("/login"),
    }
}

pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    flash: Flash,
    Authed(viewer): Authed,
) -> Result<Response, AppError> {
    if !matches!(viewer.actor, Actor::Staff { .. }) {
        return Ok(Redirect::to("/me").into_response());
    }
    let chrome = Chrome::new(
        &state,
        crate::i18n::language(&headers),
        csrf,
        "/home",
        Some(&viewer),
    );
    let active = viewer.active_role().map(|a| a.assignment_id);
    let roles = viewer
        .user
        .roles
        .iter()
        .map(|r| RoleRow {
            role: chrome.t(r.role.label_key()),
            unit: r.unit_name.clone(),
            org: r.org_name.clone(),
            active: Some(r.id) == active,
        })
        .collect();
    let view = HomeView {
        flash: flash.text(&chrome),
        name: viewer.user.display_name.clone(),
        roles,
        is_admin: viewer.actor.has_role(Role::Admin),
        chrome,
    };
    Ok(Html(view.render()?).into_response())
}

/// The citizen's own page (their record, read and audited as their own data) or the
/// relative's page (whom they are related to; what is shared comes with consent).
pub async fn me(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let viewer = &access.viewer;
    let chrome = Chrome::new(
        &state,
        crate::i18n::language(&headers),
        csrf,
        "/me",
        Some(viewer),
    );
    let (citizen, links) = match viewer.actor {
        Actor::Citizen { citizen, .. } => {
            let ctx = access
                .authorize(&state, Permission::ReadCitizenRecord(citizen))
                .await?;
            (Some(state.store.citizen(&ctx, citizen).await?), Vec::new())
        }
        Actor::Relative { user } => (
            None,
            state.store.relatives_links(&access.own(), user).await?,
        ),
        Actor::Staff { .. } => return Ok(Redirect::to("/home").into_response()),
    };
    let view = MeView {
        name: viewer.user.display_name.clone(),
        is_relative: matches!(viewer.actor, Actor::Relative { .. }),
        citizen,
        links,
        chrome,
    };
    Ok(Html(view.render()?).into_response())
}

#[derive(Deserialize)]
pub struct ContextForm {
    assignment: i64,
}

/// Switches the active role (and with it unit and organisation) among the user's own roles.
pub async fn switch_context(
    State(state): State<AppState>,
    Authed(viewer): Authed,
    Form(form): Form<ContextForm>,
) -> Result<Response, AppError> {
    if !viewer.user.roles.iter().any(|r| r.id == form.assignment) {
        return Err(AppError::NotFound);
    }
    state
        .store
        .set_active_role(&viewer.session.id_hash, Some(form.assignment))
        .await?;
    Ok(Redirect::to("/home").into_response())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn language(State(state): State<AppState>, Form(form): Form<LanguageForm>) -> Response {
    let lang = Language::parse(&form.lang).unwrap_or_default();
    let mut res = Redirect::to(local_path(&form.back)).into_response();
    let cookie = format!(
        "{}; Max-Age=31536000",
        state
            .config
            .cookie(crate::i18n::LANG_COOKIE, lang.as_str(), true)
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
