//! Credentials: password hashing (argon2id), the second factor (TOTP, RFC 6238) with recovery
//! codes, and the random tokens behind sessions and CSRF protection.

pub mod password;
pub mod token;
pub mod totp;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("second factor: {0}")]
    Totp(String),
}
