//! The one mapping from errors to HTTP. The user sees a Fluent key's text and the request id;
//! the cause goes to the log only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bro_store::{Conflict, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not there, or not for you: the two look the same from outside.
    #[error("not found")]
    NotFound,
    /// A missing or wrong CSRF token.
    #[error("csrf check failed")]
    Csrf,
    /// Not logged in (or the session ended): go to the login page.
    #[error("login required")]
    LoginRequired,
    /// The thing changed under the request (e.g. a closed course); nothing was saved.
    #[error("conflict on {0}")]
    Conflict(Conflict),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::Unavailable(m) => AppError::Unavailable(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl From<bro_auth::AuthError> for AppError {
    fn from(e: bro_auth::AuthError) -> Self {
        AppError::Internal(e.to_string())
    }
}

/// Put on an error response; the error-page layer renders it in the site's look.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub title_key: &'static str,
    pub body_key: &'static str,
}

impl ErrorPage {
    pub fn for_status(status: StatusCode) -> Self {
        let (title_key, body_key) = match status {
            StatusCode::NOT_FOUND => ("error-404-title", "error-404-body"),
            StatusCode::FORBIDDEN => ("error-403-title", "error-403-body"),
            StatusCode::CONFLICT => ("error-409-title", "error-409-body"),
            StatusCode::SERVICE_UNAVAILABLE => ("error-503-title", "error-503-body"),
            StatusCode::PAYLOAD_TOO_LARGE => ("error-413-title", "error-413-body"),
            StatusCode::METHOD_NOT_ALLOWED => ("error-405-title", "error-405-body"),
            s if s.is_client_error() => ("error-400-title", "error-400-body"),
            _ => ("error-500-title", "error-500-body"),
        };
        Self {
            status,
            title_key,
            body_key,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::LoginRequired => return Redirect::to("/login").into_response(),
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unavailable(cause) => {
                tracing::error!(%cause, "database unavailable");
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(ErrorPage::for_status(status));
        res
    }
}
