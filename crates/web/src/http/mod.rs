//! What every request passes through before and after a feature's handler: request id,
//! security headers, error mapping, CSRF, sessions, the flash message, the language, and the
//! static assets and health checks that sit outside all of that.

pub(crate) mod address;
pub(crate) mod assets;
pub(crate) mod csrf;
pub(crate) mod error;
pub(crate) mod forms;
pub(crate) mod headers;
pub(crate) mod health;
pub(crate) mod i18n;
pub(crate) mod request_id;
pub(crate) mod session;
pub(crate) mod upload;
