//! Post/redirect/get helpers: a one-shot "flash" message carried by a cookie holding only a
//! Fluent key (never personal data), and safe local redirects.

use crate::http::session::cookie_value;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

const FLASH_COOKIE: &str = "bro_flash";

/// The flash message key of this request, if any.
#[derive(Debug, Clone, Default)]
pub struct Flash(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Flash {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Flash>().cloned().unwrap_or_default())
    }
}

fn is_flash_key(k: &str) -> bool {
    k.starts_with("flash-")
        && k.len() < 64
        && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}

/// Layer: reads the flash cookie and clears it once a page has shown it.
pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let flash = cookie_value(req.headers(), FLASH_COOKIE).filter(|k| is_flash_key(k));
    let had = flash.is_some();
    req.extensions_mut().insert(Flash(flash));
    let mut res = next.run(req).await;
    if had
        && res.status().is_success()
        && let Ok(v) = HeaderValue::from_str(&state.config.expired_cookie(FLASH_COOKIE))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// Redirects (303) to `to` and shows `key` there.
pub fn redirect_with_flash(state: &AppState, to: &str, key: &'static str) -> Response {
    let mut res = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&state.config.cookie(FLASH_COOKIE, key, true)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// A path on this site to go back to; anything else (other hosts, `//evil`) becomes "/".
pub fn local_path(candidate: &str) -> &str {
    let ok = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control);
    if ok { candidate } else { "/" }
}

/// A plausible e-mail address: one `@`, a dotted domain, nothing that could break a header.
pub fn valid_mail(m: &str) -> bool {
    m.len() <= 200
        && !m
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        && m.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
}

/// The first value of `key` in a form, for a form with one field that matters.
pub fn form_value(body: &[u8], key: &str) -> Option<String> {
    form_pairs(body)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// Decodes `application/x-www-form-urlencoded`.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    match hex {
                        Some(b) => {
                            out.push(b);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    std::str::from_utf8(body)
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_addresses_are_checked() {
        assert!(valid_mail("rusmiddel@holstebro.dk"));
        assert!(!valid_mail("no-at-sign"));
        assert!(!valid_mail("a@b"));
        assert!(!valid_mail("a b@c.dk"));
        assert!(!valid_mail("a@b.dk\r\nBcc: x@y.dk"));
        assert!(!valid_mail("<a@b.dk>"));
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/admin/users"), "/admin/users");
        assert_eq!(local_path("//evil.example"), "/");
        assert_eq!(local_path("https://evil.example"), "/");
        assert_eq!(local_path("/\\evil"), "/");
        assert!(is_flash_key("flash-saved"));
        assert!(!is_flash_key("<script>"));
    }
}
