//! Short texts people type: names, usernames, passwords. Each parses or says why not.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("required")]
    Empty,
    #[error("too long")]
    TooLong,
    #[error("too short")]
    TooShort,
    #[error("contains characters that are not allowed")]
    BadCharacters,
}

impl TextError {
    /// The Fluent key of the message a user sees.
    pub fn message_key(self) -> &'static str {
        match self {
            TextError::Empty => "field-required",
            TextError::TooLong => "field-too-long",
            TextError::TooShort => "field-too-short",
            TextError::BadCharacters => "field-bad-characters",
        }
    }
}

/// A person's or an organisation's name: 1 to 200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX: usize = 200;

    pub fn parse(input: &str) -> Result<Self, TextError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(TextError::Empty);
        }
        if s.chars().count() > Self::MAX {
            return Err(TextError::TooLong);
        }
        if s.chars().any(char::is_control) {
            return Err(TextError::BadCharacters);
        }
        Ok(Name(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A login name: 3 to 64 of a-z, 0-9, '.', '-', '_'; stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Self, TextError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(TextError::Empty);
        }
        if s.chars().count() < 3 {
            return Err(TextError::TooShort);
        }
        if s.chars().count() > 64 {
            return Err(TextError::TooLong);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        {
            return Err(TextError::BadCharacters);
        }
        Ok(Username(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 12 to 256 characters. Its Debug output never shows it.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 12;
    pub const MAX: usize = 256;

    pub fn parse(input: &str) -> Result<Self, TextError> {
        let n = input.chars().count();
        if n == 0 {
            return Err(TextError::Empty);
        }
        if n < Self::MIN {
            return Err(TextError::TooShort);
        }
        if n > Self::MAX {
            return Err(TextError::TooLong);
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("  Holstebro Kommune ").expect("ok").as_str(),
            "Holstebro Kommune"
        );
        assert_eq!(Name::parse("   "), Err(TextError::Empty));
        assert_eq!(Name::parse(&"x".repeat(201)), Err(TextError::TooLong));
        assert_eq!(Name::parse("a\u{0}b"), Err(TextError::BadCharacters));
        assert_eq!(
            Name::parse("Søren Ærø Ålund")
                .expect("danish letters")
                .as_str(),
            "Søren Ærø Ålund"
        );
    }

    #[test]
    fn usernames_are_lowercase_ascii() {
        assert_eq!(
            Username::parse("Admin-Holstebro").expect("ok").as_str(),
            "admin-holstebro"
        );
        assert_eq!(Username::parse("ab"), Err(TextError::TooShort));
        assert_eq!(Username::parse("<script>"), Err(TextError::BadCharacters));
        assert_eq!(
            Username::parse("x' OR 1=1 --"),
            Err(TextError::BadCharacters)
        );
    }

    #[test]
    fn passwords_have_a_minimum_and_hide_in_debug() {
        assert_eq!(Password::parse("short").err(), Some(TextError::TooShort));
        let p = Password::parse("bro-demo-2026").expect("13 chars");
        assert_eq!(format!("{p:?}"), "Password(***)");
    }
}
