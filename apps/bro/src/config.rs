//! Production configuration (figment: a TOML file, then BRO_* environment variables).

use bro_web::WebConfig;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Deserialize, Serialize)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: Option<String>,
    #[serde(serialize_with = "no_secret")]
    pub secret_key: Option<SecretString>,
    /// Set false only to serve plain HTTP on localhost.
    pub secure_cookies: bool,
    pub idle_timeout_minutes: i64,
    pub session_lifetime_hours: i64,
    /// Behind a reverse proxy that sets X-Forwarded-For.
    pub trust_forwarded_for: bool,
    /// How long an emergency access lasts; at most 240 (4 hours).
    pub emergency_access_minutes: i64,
    /// Bro's public address, for links in e-mail notices and calendar feeds
    /// (e.g. `https://bro.holstebro.dk`). Empty: taken from each request's Host.
    pub public_url: String,
    /// The SMTP server for e-mail notices (`[smtp]` in the file, `BRO_SMTP__HOST` etc.).
    /// Without one, notices wait, visible on each case, until it is configured.
    #[serde(default, skip_serializing)]
    pub smtp: Option<bro_mail::SmtpConfig>,
}

fn no_secret<S: serde::Serializer>(_: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_none()
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            secret_key: None,
            secure_cookies: true,
            idle_timeout_minutes: 30,
            session_lifetime_hours: 12,
            trust_forwarded_for: false,
            emergency_access_minutes: 240,
            public_url: String::new(),
            smtp: None,
        }
    }
}

impl Config {
    pub fn load(file: Option<PathBuf>) -> Result<Self, String> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if let Some(f) = file {
            if !f.exists() {
                return Err(format!("config file {} does not exist", f.display()));
            }
            fig = fig.merge(Toml::file(f));
        }
        fig.merge(Env::prefixed("BRO_").split("__"))
            .extract()
            .map_err(|e| format!("invalid configuration: {e}"))
    }

    /// Refuses what would be unsafe in production, saying why.
    pub fn check(&self) -> Result<(), String> {
        if self.database_url.is_none() {
            return Err("no database_url (BRO_DATABASE_URL) is set".into());
        }
        match &self.secret_key {
            None => return Err("no secret_key (BRO_SECRET_KEY) is set: refusing to start".into()),
            Some(k) if k.expose_secret().len() < 32 => {
                return Err("secret_key must be at least 32 characters: refusing to start".into());
            }
            Some(_) => {}
        }
        if !self.secure_cookies && !self.listen.ip().is_loopback() {
            return Err(format!(
                "secure_cookies = false is allowed only on a loopback address, not {}: refusing to start",
                self.listen.ip()
            ));
        }
        if self.idle_timeout_minutes < 1 || self.session_lifetime_hours < 1 {
            return Err("session timeouts must be positive".into());
        }
        let public_url = self.public_url.trim();
        if self.smtp.is_some()
            && !(public_url.starts_with("https://") || public_url.starts_with("http://"))
        {
            return Err(
                "e-mail is on ([smtp]) but public_url (BRO_PUBLIC_URL) is not an http(s) address: \
                 the notices link to it"
                    .into(),
            );
        }
        if !(1..=bro_web::MAX_EMERGENCY_MINUTES).contains(&self.emergency_access_minutes) {
            return Err(format!(
                "emergency_access_minutes must be between 1 and {} (4 hours)",
                bro_web::MAX_EMERGENCY_MINUTES
            ));
        }
        Ok(())
    }

    pub fn web(&self) -> WebConfig {
        WebConfig {
            secret_key: self
                .secret_key
                .as_ref()
                .map(|k| k.expose_secret().to_owned())
                .unwrap_or_default(),
            secure_cookies: self.secure_cookies,
            hsts: self.secure_cookies,
            idle_timeout_ms: self.idle_timeout_minutes * 60_000,
            absolute_lifetime_ms: self.session_lifetime_hours * 3_600_000,
            trust_forwarded_for: self.trust_forwarded_for,
            emergency_access_ms: self.emergency_access_minutes * 60_000,
            public_url: self.public_url.clone(),
            smtp: self.smtp.clone(),
            ..WebConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(secret: Option<&str>, secure: bool, listen: &str) -> Config {
        Config {
            listen: listen.parse().expect("addr"),
            database_url: Some("sqlite://x.db".into()),
            secret_key: secret.map(|s| SecretString::from(s.to_owned())),
            secure_cookies: secure,
            ..Config::default()
        }
    }

    #[test]
    fn unsafe_configurations_are_refused() {
        let key = "k".repeat(40);
        assert!(config(Some(&key), true, "0.0.0.0:8080").check().is_ok());
        assert!(
            config(None, true, "0.0.0.0:8080")
                .check()
                .expect_err("no key")
                .contains("secret_key")
        );
        assert!(config(Some("short"), true, "0.0.0.0:8080").check().is_err());
        assert!(
            config(Some(&key), false, "0.0.0.0:8080")
                .check()
                .expect_err("insecure")
                .contains("secure_cookies")
        );
        assert!(config(Some(&key), false, "127.0.0.1:8080").check().is_ok());
    }

    #[test]
    fn e_mail_needs_the_public_address_its_links_point_to() {
        let key = "k".repeat(40);
        let smtp = bro_mail::SmtpConfig {
            host: "smtp.example.dk".into(),
            port: 587,
            security: bro_mail::Security::StartTls,
            username: None,
            password: None,
            from: "bro@example.dk".into(),
            timeout_secs: 10,
        };
        let mut c = Config {
            smtp: Some(smtp),
            ..config(Some(&key), true, "0.0.0.0:8080")
        };
        assert!(c.check().expect_err("no address").contains("public_url"));
        c.public_url = "https://bro.example.dk".into();
        assert!(c.check().is_ok());
    }
}
