//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s) and recovery codes.

use crate::AuthError;
use crate::token::token_digest;
use rand::Rng;
use rand::rngs::OsRng;
use totp_rs::{Algorithm, Secret, TOTP};

pub const STEP_SECONDS: u64 = 30;

fn totp(secret_b32: &str, account: &str) -> Result<TOTP, AuthError> {
    let bytes = Secret::Encoded(secret_b32.to_owned())
        .to_bytes()
        .map_err(|e| AuthError::Totp(format!("{e:?}")))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        bytes,
        Some("Bro".to_owned()),
        account.to_owned(),
    )
    .map_err(|e| AuthError::Totp(e.to_string()))
}

/// A new random secret, base32.
pub fn new_secret() -> String {
    Secret::generate_secret().to_encoded().to_string()
}

/// The `otpauth://` URL an authenticator app reads from the QR code.
pub fn provisioning_url(secret_b32: &str, account: &str) -> Result<String, AuthError> {
    Ok(totp(secret_b32, account)?.get_url())
}

/// The QR code of the provisioning URL as an SVG element (no inline styles).
pub fn qr_svg(url: &str) -> Result<String, AuthError> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AuthError::Totp(e.to_string()))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// The code valid at `unix_seconds` (for tests and enrolment checks).
pub fn code_at(secret_b32: &str, unix_seconds: u64) -> Result<String, AuthError> {
    Ok(totp(secret_b32, "")?.generate(unix_seconds))
}

/// Checks `code` at `unix_seconds`, allowing one step of clock drift either way. Returns the
/// time step that matched, so the caller can refuse a replay of the same step.
pub fn verify(secret_b32: &str, code: &str, unix_seconds: u64) -> Result<Option<i64>, AuthError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let t = totp(secret_b32, "")?;
    let step = unix_seconds / STEP_SECONDS;
    for candidate in [step.saturating_sub(1), step, step + 1] {
        let expected = t.generate(candidate * STEP_SECONDS);
        if crate::token::secrets_equal(&expected, &code) {
            return Ok(i64::try_from(candidate).ok());
        }
    }
    Ok(None)
}

/// Ten recovery codes like `7KQ4-M2XD-93PA`, and the digests to store.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let codes: Vec<String> = (0..10)
        .map(|_| {
            let raw: String = (0..12)
                .map(|_| char::from(ALPHABET[OsRng.gen_range(0..ALPHABET.len())]))
                .collect();
            format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..])
        })
        .collect();
    let digests = codes.iter().map(|c| recovery_digest(c)).collect();
    (codes, digests)
}

/// Normalises what a user typed (case, spaces, hyphens) and digests it.
pub fn recovery_digest(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    token_digest(&normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_verify_within_one_step() {
        let s = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&s, now).expect("code");
        assert_eq!(verify(&s, &code, now).expect("ok"), Some((now / 30) as i64));
        assert!(verify(&s, &code, now + 30).expect("ok").is_some());
        assert_eq!(verify(&s, &code, now + 120).expect("ok"), None);
        assert_eq!(verify(&s, "12345", now).expect("ok"), None);
        assert_eq!(verify(&s, "abcdef", now).expect("ok"), None);
    }

    #[test]
    fn provisioning_and_qr() {
        let s = new_secret();
        let url = provisioning_url(&s, "koordinator").expect("url");
        assert!(url.starts_with("otpauth://totp/Bro:koordinator?"));
        let svg = qr_svg(&url).expect("svg");
        assert!(svg.contains("<svg"));
    }

    #[test]
    fn recovery_codes_normalise() {
        let (codes, digests) = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let typed = codes[0].to_lowercase().replace('-', " ");
        assert_eq!(recovery_digest(&typed), digests[0]);
    }
}
