//! Renders error responses as full pages in the site's look, with the request id.

use crate::http::csrf::CsrfToken;
use crate::http::error::ErrorPage;
use crate::http::request_id::RequestId;
use crate::http::session::SessionState;
use crate::state::AppState;
use crate::ui::Chrome;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

pub async fn render(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = crate::http::i18n::language(req.headers());
    let path = req.uri().path().to_owned();
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let res = next.run(req).await;
    let status = res.status();
    let marked = res.extensions().get::<ErrorPage>().copied();
    // Errors that are not pages already (framework rejections, empty bodies) get the page;
    // an API's JSON error is its answer.
    let formed = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    let bare_error = (status.is_client_error() || status.is_server_error()) && !formed;
    let page = match marked {
        Some(p) => p,
        None if bare_error => ErrorPage::for_status(status),
        None => return res,
    };
    let csrf = res
        .extensions()
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    let viewer = res
        .extensions()
        .get::<SessionState>()
        .and_then(|s| s.viewer.clone());
    let full = viewer.filter(|v| v.stage() == bro_store::SessionStage::Full);
    let chrome = Chrome::new(&state, lang, csrf, &path, full.as_ref());
    let view = ErrorView {
        chrome,
        title_key: page.title_key,
        body_key: page.body_key,
        request_id,
    };
    let cookies: Vec<HeaderValue> = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    let mut out = match view.render() {
        Ok(html) => (page.status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(cause = %e, "error page failed to render");
            page.status.into_response()
        }
    };
    for c in cookies {
        out.headers_mut().append(header::SET_COOKIE, c);
    }
    out
}

#[derive(Template)]
#[template(path = "ui/error.html")]
pub struct ErrorView {
    pub chrome: Chrome,
    pub title_key: &'static str,
    pub body_key: &'static str,
    pub request_id: String,
}
