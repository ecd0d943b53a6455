//! `Page`: what every rendered page takes from its request (the language, the CSRF token for
//! its forms, a one-shot flash message), so a handler asks for one thing instead of three.

use crate::http::csrf::CsrfToken;
use crate::http::forms::Flash;
use crate::http::session::Viewer;
use crate::state::AppState;
use crate::ui::Chrome;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use bro_domain::Language;

pub(crate) struct Page {
    lang: Language,
    csrf: String,
    flash: Flash,
}

impl Page {
    /// The chrome for a logged-in viewer, with `section` marked in the navigation.
    pub(crate) fn chrome(&self, state: &AppState, viewer: &Viewer, section: &str) -> Chrome {
        self.chrome_for(state, Some(viewer), section)
    }

    /// The chrome for a page that may be shown before (or without) a full login.
    pub(crate) fn chrome_for(
        &self,
        state: &AppState,
        viewer: Option<&Viewer>,
        section: &str,
    ) -> Chrome {
        Chrome::new(state, self.lang, self.csrf.clone(), section, viewer)
    }

    /// The flash message of this request, in the page's language.
    pub(crate) fn flash(&self, chrome: &Chrome) -> Option<String> {
        self.flash.0.as_deref().map(|k| chrome.t(k))
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let CsrfToken(csrf) = CsrfToken::from_request_parts(parts, state).await?;
        let flash = Flash::from_request_parts(parts, state).await?;
        Ok(Self {
            lang: crate::http::i18n::language(&parts.headers),
            csrf,
            flash,
        })
    }
}
