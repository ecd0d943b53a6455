//! A small load generator for Bro's real pages: logs in through the login form like a
//! browser, then keeps `--concurrency` sessions busy for `--seconds` on one page kind and
//! prints requests per second and latency percentiles.

use clap::Parser;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser, Clone)]
struct Args {
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base: String,
    #[arg(long, default_value = "koordinator")]
    user: String,
    #[arg(long, default_value = "bro-demo-2026")]
    password: String,
    /// Concurrent sessions (each logs in once).
    #[arg(long, default_value_t = 20)]
    concurrency: usize,
    #[arg(long, default_value_t = 15)]
    seconds: u64,
    /// overview | plan | courses
    #[arg(long, default_value = "overview")]
    page: String,
}

async fn login(args: &Args) -> Result<reqwest::Client, String> {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let page = client
        .get(format!("{}/login", args.base))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let html = page.text().await.map_err(|e| e.to_string())?;
    let marker = "name=\"csrf_token\" value=\"";
    let at = html.find(marker).ok_or("no CSRF token on the login page")? + marker.len();
    let token = html[at..].split('"').next().unwrap_or_default().to_owned();
    let form = [
        ("username", args.user.as_str()),
        ("password", args.password.as_str()),
        ("csrf_token", token.as_str()),
    ];
    let r = client
        .post(format!("{}/login", args.base))
        .form(&form)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status().as_u16() != 303 {
        return Err(format!("login failed with HTTP {}", r.status()));
    }
    Ok(client)
}

/// The course ids on the user's "my courses" page.
async fn course_ids(client: &reqwest::Client, base: &str) -> Result<Vec<u64>, String> {
    let html = client
        .get(format!("{base}/courses"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    let ids: Vec<u64> = html
        .split("href=\"/courses/")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    if ids.is_empty() {
        return Err("the user has no courses".into());
    }
    Ok(ids)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let first = login(&args).await?;
    let ids = Arc::new(course_ids(&first, &args.base).await?);
    let mut workers = Vec::new();
    for w in 0..args.concurrency {
        let args = args.clone();
        let ids = ids.clone();
        workers.push(tokio::spawn(async move {
            let client = login(&args).await?;
            let deadline = Instant::now() + Duration::from_secs(args.seconds);
            let (mut latencies, mut errors, mut i) = (Vec::new(), 0u64, w);
            while Instant::now() < deadline {
                let id = ids[i % ids.len()];
                i += 7;
                let url = match args.page.as_str() {
                    "plan" => format!("{}/courses/{id}/plan", args.base),
                    "courses" => format!("{}/courses", args.base),
                    _ => format!("{}/courses/{id}", args.base),
                };
                let start = Instant::now();
                match client.get(&url).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(start.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            Ok::<_, String>((latencies, errors))
        }));
    }
    let started = Instant::now();
    let (mut all, mut errors) = (Vec::new(), 0);
    for w in workers {
        let (lat, err) = w.await.map_err(|e| e.to_string())??;
        all.extend(lat);
        errors += err;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "page={} concurrency={} requests={} errors={} rps={:.0} p50={:.1}ms p90={:.1}ms p99={:.1}ms max={:.1}ms",
        args.page,
        args.concurrency,
        all.len(),
        errors,
        all.len() as f64 / elapsed,
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 90.0)),
        ms(percentile(&all, 99.0)),
        ms(all.last().copied().unwrap_or_default()),
    );
    Ok(())
}
