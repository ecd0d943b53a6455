//! What the login, second-factor, account and context forms take, and their checks.

use crate::http::forms::{form_value, local_path, valid_mail};
use crate::ui::{Chrome, FormErrors};
use bro_domain::Language;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct LoginForm {
    #[serde(default)]
    pub(super) username: String,
    #[serde(default)]
    pub(super) password: String,
}

impl LoginForm {
    /// What is missing or too long, checked before any work on the credentials.
    pub(super) fn errors(&self, chrome: &Chrome) -> FormErrors {
        let mut errors = FormErrors::default();
        if self.username.trim().is_empty() {
            errors.add(chrome, "username", "login-username-required");
        }
        if self.password.is_empty() {
            errors.add(chrome, "password", "login-password-required");
        }
        if self.username.chars().count() > 256 || self.password.chars().count() > 1024 {
            errors.add(chrome, "username", "login-failed");
        }
        errors
    }

    /// The account name as it is looked up: trimmed, in lower case.
    pub(super) fn account_name(&self) -> String {
        self.username.trim().to_lowercase()
    }
}

#[derive(Deserialize, Default)]
pub(super) struct CodeForm {
    #[serde(default)]
    code: String,
}

/// A second-factor code as typed: digits from the authenticator app, or a recovery code.
pub(super) enum SecondFactorCode<'a> {
    App(&'a str),
    Recovery(&'a str),
}

impl CodeForm {
    pub(super) fn code(&self) -> SecondFactorCode<'_> {
        let code = self.code.trim();
        let digits_only = code
            .chars()
            .filter(|c| !c.is_whitespace())
            .all(|c| c.is_ascii_digit());
        if digits_only {
            SecondFactorCode::App(code)
        } else {
            SecondFactorCode::Recovery(code)
        }
    }

    /// The message for a refused code.
    pub(super) fn error_key(&self) -> &'static str {
        code_error_key(&self.code)
    }
}

/// The message for a refused code: none was given, or it was wrong.
fn code_error_key(code: &str) -> &'static str {
    if code.trim().is_empty() {
        "totp-code-required"
    } else {
        "totp-code-wrong"
    }
}

#[derive(Deserialize, Default)]
pub(super) struct EnrolForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    pub(super) code: String,
}

impl EnrolForm {
    /// The secret sent back from the first step, when it looks like one Bro hands out.
    pub(super) fn secret(&self) -> Option<&str> {
        let s = &self.secret;
        let ok = s.len() >= 26 && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then_some(s.as_str())
    }

    /// The message for a refused code.
    pub(super) fn error_key(&self) -> &'static str {
        code_error_key(&self.code)
    }
}

/// The address typed in the account's e-mail form.
pub(super) struct EmailInput(pub(super) String);

impl EmailInput {
    pub(super) fn parse(body: &[u8]) -> Self {
        Self(form_value(body, "email").unwrap_or_default())
    }

    /// The address to store (`None` removes it), or the message key of why it cannot be.
    pub(super) fn address(&self) -> Result<Option<&str>, &'static str> {
        let email = self.0.trim();
        if email.is_empty() {
            Ok(None)
        } else if valid_mail(email) {
            Ok(Some(email))
        } else {
            Err("member-mail-invalid")
        }
    }
}

/// The e-mail form as shown: the stored address, or what was typed with its error.
pub(super) struct EmailForm {
    pub(super) email: String,
    pub(super) errors: FormErrors,
}

#[derive(Deserialize)]
pub(super) struct ContextForm {
    pub(super) assignment: i64,
}

#[derive(Deserialize)]
pub(super) struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

impl LanguageForm {
    /// The language chosen; an unknown one is the default.
    pub(super) fn language(&self) -> Language {
        Language::parse(&self.lang).unwrap_or_default()
    }

    /// Where to go back to, on this site only.
    pub(super) fn back(&self) -> &str {
        local_path(&self.back)
    }
}
