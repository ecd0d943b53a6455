//! What Bro's load generators share: a session that logs in through the real login form like
//! a browser, and latency percentiles.

use std::sync::Arc;
use std::time::Duration;

/// Logs `user` in and returns a client holding the session cookie (redirects not followed).
pub async fn login(base: &str, user: &str, password: &str) -> Result<reqwest::Client, String> {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let html = get_text(&client, &format!("{base}/login")).await?;
    let token = value_after(&html, "name=\"csrf_token\" value=\"")
        .ok_or("no CSRF token on the login page")?;
    let form = [
        ("username", user),
        ("password", password),
        ("csrf_token", token.as_str()),
    ];
    // Bro counts a login attempt before it checks it, so more than a few sessions of one
    // account logging in at once are told to wait (429): they try again shortly, as a person
    // would, once the others' attempts are settled.
    for attempt in 1..=40u64 {
        let r = client
            .post(format!("{base}/login"))
            .form(&form)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        match r.status().as_u16() {
            303 => return Ok(client),
            429 => tokio::time::sleep(Duration::from_millis(50 * attempt)).await,
            status => return Err(format!("login as {user} failed with HTTP {status}")),
        }
    }
    Err(format!("login as {user} was refused as too many at once"))
}

/// A page's body; an error unless it answered 2xx.
pub async fn get_text(client: &reqwest::Client, url: &str) -> Result<String, String> {
    let r = client.get(url).send().await.map_err(|e| e.to_string())?;
    if !r.status().is_success() {
        return Err(format!("GET {url}: HTTP {}", r.status()));
    }
    r.text().await.map_err(|e| e.to_string())
}

/// The text after `marker` up to the next double quote: an attribute value.
pub fn value_after(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)? + marker.len();
    html[at..].split('"').next().map(str::to_owned)
}

/// The `p`th percentile (0..=100) of sorted durations, nearest rank.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Milliseconds with one decimal's worth of precision, for reports.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
