//! CSRF protection for every unsafe request: a signed-by-secrecy double-submit token. The
//! token lives in a `__Host-` cookie (which no other site or subdomain can set) and must come
//! back in the form field `csrf_token` or the `x-csrf-token` header (htmx). A cross-site
//! `Origin` is refused outright.

use crate::http::error::AppError;
use crate::http::session::cookie_value;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bro_auth::token::{random_token, secrets_equal};

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";
/// Forms are small; anything bigger is refused before it is read.
const MAX_FORM_BYTES: usize = 256 * 1024;
/// A form with a file (a signed consent, scanned) may be larger.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// The request's CSRF token, for forms to echo.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .unwrap_or(CsrfToken(String::new())))
    }
}

fn is_token(s: &str) -> bool {
    s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Finds `csrf_token=…` in a url-encoded body. Tokens are URL-safe, so no decoding is needed.
fn form_token(body: &[u8]) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == FIELD)
        .map(|(_, v)| v.to_owned())
}

/// Finds the `csrf_token` part of a multipart body (forms put it first).
fn multipart_token(body: &[u8]) -> Option<String> {
    let marker = format!("name=\"{FIELD}\"");
    let at = body
        .windows(marker.len())
        .position(|w| w == marker.as_bytes())?;
    let rest = &body[at..];
    let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let token = rest.get(start..start + 43)?;
    std::str::from_utf8(token).ok().map(str::to_owned)
}

fn cross_site(req: &Request) -> bool {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    else {
        return false;
    };
    let Some(host) = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
    else {
        return true;
    };
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    origin_host != host
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cookie_name = state.config.csrf_cookie();
    let existing = cookie_value(req.headers(), cookie_name).filter(|t| is_token(t));
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);

    let req = if unsafe_method {
        let Some(expected) = existing.as_deref() else {
            return AppError::Csrf.into_response();
        };
        // Reject before reading the body.
        if cross_site(&req) {
            return AppError::Csrf.into_response();
        }
        let header_token = req
            .headers()
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let limit = if multipart {
            MAX_UPLOAD_BYTES
        } else {
            MAX_FORM_BYTES
        };
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
            return AppError::Csrf.into_response();
        };
        let given = header_token.or_else(|| {
            if multipart {
                multipart_token(&bytes)
            } else {
                form_token(&bytes)
            }
        });
        if !given.is_some_and(|g| secrets_equal(&g, expected)) {
            return AppError::Csrf.into_response();
        }
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };

    let token = existing.clone().unwrap_or_else(random_token);
    let mut req = req;
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut res = next.run(req).await;
    res.extensions_mut().insert(CsrfToken(token.clone()));
    if existing.is_none()
        && let Ok(v) = HeaderValue::from_str(&state.config.cookie(cookie_name, &token, true))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_among_fields() {
        let t = "a".repeat(43);
        let body = format!("username=x&{FIELD}={t}&password=y");
        assert_eq!(form_token(body.as_bytes()), Some(t));
        assert_eq!(form_token(b"username=x"), None);
    }

    #[test]
    fn finds_the_token_in_a_multipart_body() {
        let t = "b".repeat(43);
        let body = format!(
            "--x\r\nContent-Disposition: form-data; name=\"{FIELD}\"\r\n\r\n{t}\r\n--x\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n--x--\r\n"
        );
        assert_eq!(multipart_token(body.as_bytes()), Some(t));
        assert_eq!(multipart_token(b"--x\r\n\r\n--x--"), None);
    }
}
