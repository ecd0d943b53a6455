//! The login, second-factor and account pages.

use crate::ui::{Chrome, FormErrors};
use askama::Template;

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginView {
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub username: String,
    pub failure: Option<String>,
    pub expired: bool,
}

#[derive(Template)]
#[template(path = "auth/second_factor.html")]
pub struct SecondFactorView {
    pub chrome: Chrome,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "auth/enrol.html")]
pub struct EnrolView {
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub required: bool,
    pub secret: String,
    pub qr_svg: String,
    pub recovery_codes: Option<Vec<String>>,
}

#[derive(Template)]
#[template(path = "auth/account.html")]
pub struct AccountView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub display_name: String,
    pub username: String,
    pub totp_enabled: bool,
    pub recovery_left: i64,
    pub new_codes: Option<Vec<String>>,
    pub email: String,
    pub errors: FormErrors,
}
