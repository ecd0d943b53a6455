//! A small load generator for Bro's real pages: logs in through the login form like a
//! browser, then keeps `--concurrency` sessions busy for `--seconds` on one page kind and
//! prints requests per second and latency percentiles.

use bro_loadgen::{get_text, login, ms, percentile};
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

/// The course ids on the user's "my courses" page.
async fn course_ids(client: &reqwest::Client, base: &str) -> Result<Vec<u64>, String> {
    let html = get_text(client, &format!("{base}/courses")).await?;
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

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let first = login(&args.base, &args.user, &args.password).await?;
    let ids = Arc::new(course_ids(&first, &args.base).await?);
    let mut workers = Vec::new();
    for w in 0..args.concurrency {
        let args = args.clone();
        let ids = ids.clone();
        workers.push(tokio::spawn(async move {
            let client = login(&args.base, &args.user, &args.password).await?;
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
