//! The role a user works in right now, and the language of the pages.

use super::super::forms::{ContextForm, LanguageForm};
use crate::http::error::AppError;
use crate::http::session::Authed;
use crate::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

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

pub async fn language(State(state): State<AppState>, Form(form): Form<LanguageForm>) -> Response {
    let lang = form.language();
    let mut res = Redirect::to(form.back()).into_response();
    let cookie = format!(
        "{}; Max-Age=31536000",
        state
            .config
            .cookie(crate::http::i18n::LANG_COOKIE, lang.as_str(), true)
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
