/// Settings of the web layer. Built by the `bro` binary from its configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Server secret: session tokens are stored only as a digest keyed with it, so a copy of
    /// the database alone opens no session.
    pub secret_key: String,
    /// Secure cookies with the `__Host-` prefix. Off only when serving plain HTTP on localhost.
    pub secure_cookies: bool,
    /// Send HSTS: Bro is reached over TLS (directly or through a proxy).
    pub hsts: bool,
    /// A session unused this long ends.
    pub idle_timeout_ms: i64,
    /// A session ends this long after login, however busy.
    pub absolute_lifetime_ms: i64,
    /// Failed logins counted within this window.
    pub login_window_ms: i64,
    /// Failures per account within the window before it is locked for the rest of it.
    pub max_failures_per_account: i64,
    /// Failures per client address within the window.
    pub max_failures_per_address: i64,
    /// Bro runs behind a reverse proxy that sets `X-Forwarded-For`: rate limits use the
    /// address it reports. Off by default (the header could be forged without a proxy).
    pub trust_forwarded_for: bool,
    /// How long an emergency access lasts (at most four hours).
    pub emergency_access_ms: i64,
    /// Bro's public address (`https://bro.example.dk`), for links in e-mails and calendar
    /// feeds. Empty: taken from the request's Host.
    pub public_url: String,
    /// Where e-mail notices go out; `None`: not configured.
    pub smtp: Option<bro_mail::SmtpConfig>,
}

/// An emergency access lasts at most this long.
pub const MAX_EMERGENCY_MINUTES: i64 = 240;

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secret_key: String::new(),
            secure_cookies: true,
            hsts: true,
            idle_timeout_ms: 30 * 60 * 1000,
            emergency_access_ms: MAX_EMERGENCY_MINUTES * 60_000,
            absolute_lifetime_ms: 12 * 60 * 60 * 1000,
            login_window_ms: 15 * 60 * 1000,
            max_failures_per_account: 5,
            max_failures_per_address: 50,
            trust_forwarded_for: false,
            public_url: String::new(),
            smtp: None,
        }
    }
}

impl WebConfig {
    /// What the database keeps for a session token.
    pub fn session_digest(&self, token: &str) -> String {
        bro_auth::token::token_digest(&format!("{}\u{1f}{token}", self.secret_key))
    }

    pub fn session_cookie(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-bro_session"
        } else {
            "bro_session"
        }
    }

    pub fn csrf_cookie(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-bro_csrf"
        } else {
            "bro_csrf"
        }
    }

    /// `Set-Cookie` value for a cookie that lives as long as the browser session.
    pub fn cookie(&self, name: &str, value: &str, http_only: bool) -> String {
        let mut c = format!("{name}={value}; Path=/; SameSite=Lax");
        if http_only {
            c.push_str("; HttpOnly");
        }
        if self.secure_cookies {
            c.push_str("; Secure");
        }
        c
    }

    pub fn expired_cookie(&self, name: &str) -> String {
        format!("{}; Max-Age=0", self.cookie(name, "", true))
    }
}
