//! The login, second-factor and account pages.

use crate::ui::{Chrome, FormErrors};
use askama::Template;

#[derive(Template)]
#[template(path = "auth/login.html")]
pub(super) struct LoginPage {
    pub(super) chrome: Chrome,
    pub(super) errors: FormErrors,
    pub(super) username: String,
    pub(super) failure: Option<String>,
    pub(super) expired: bool,
}

#[derive(Template)]
#[template(path = "auth/second_factor.html")]
pub(super) struct SecondFactorPage {
    pub(super) chrome: Chrome,
    pub(super) errors: FormErrors,
}

#[derive(Template)]
#[template(path = "auth/enrol.html")]
pub(super) struct EnrolPage {
    pub(super) chrome: Chrome,
    pub(super) errors: FormErrors,
    pub(super) required: bool,
    pub(super) secret: String,
    pub(super) qr_svg: String,
    pub(super) recovery_codes: Option<Vec<String>>,
}

#[derive(Template)]
#[template(path = "auth/account.html")]
pub(super) struct AccountPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) display_name: String,
    pub(super) username: String,
    pub(super) totp_enabled: bool,
    pub(super) recovery_left: i64,
    pub(super) new_codes: Option<Vec<String>>,
    pub(super) email: String,
    pub(super) has_email: bool,
    /// For staff: whether they chose e-mails of changes in the offers they follow.
    pub(super) offer_mail: Option<bool>,
    pub(super) errors: FormErrors,
}
