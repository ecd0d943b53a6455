//! A small load generator for Bro's real pages: logs in through the login form like a
//! browser, then keeps `--concurrency` sessions busy for `--seconds` on one page kind (a course
//! overview, a plan, "my courses", a citizen search by name or CPR number, a saved plan change,
//! the citizen's access log, or any page by its path, logged in or not) and prints
//! requests per second and latency percentiles.

use bro_loadgen::{get_text, login, ms, percentile, value_after};
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
    /// overview | plan | courses | search | save | access-log | get (`--path`, logged in) |
    /// public (`--path`, anonymous)
    #[arg(long, default_value = "overview")]
    page: String,
    /// What `public` asks for: a path with its query, e.g. `/tilbud?q=rusmiddel`.
    #[arg(long, default_value = "/tilbud")]
    path: String,
    /// What `search` looks for: a name or a CPR number.
    #[arg(long, default_value = "Nielsen")]
    query: String,
    /// Open loop: send this many requests per second in all, on a fixed schedule spread over
    /// the sessions, whatever the answers take; latency counts from the scheduled moment, so a
    /// server that falls behind shows it. 0 (the default): each session waits for its answer.
    #[arg(long, default_value_t = 0)]
    rate: u64,
}

/// One timed request of the chosen kind; Ok(false) for a refused save (someone else saved the
/// same plan first), which is counted apart from errors.
async fn request(
    client: &reqwest::Client,
    args: &Args,
    id: u64,
    csrf: &str,
) -> Result<(Duration, bool), String> {
    let base = &args.base;
    let get = |path: String| async move {
        let start = Instant::now();
        let r = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let ok = r.status().is_success();
        let _ = r.bytes().await;
        if !ok {
            return Err(format!("GET {path}: not 2xx"));
        }
        Ok((start.elapsed(), true))
    };
    match args.page.as_str() {
        "plan" => get(format!("/courses/{id}/plan")).await,
        "courses" => get("/courses".to_owned()).await,
        "access-log" => get("/me/access-log".to_owned()).await,
        "public" | "get" => get(args.path.clone()).await,
        "search" => {
            let start = Instant::now();
            let r = client
                .post(format!("{base}/citizens/search"))
                .form(&[("q", args.query.as_str()), ("csrf_token", csrf)])
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let ok = r.status().is_success();
            let _ = r.bytes().await;
            if !ok {
                return Err("search: not 2xx".into());
            }
            Ok((start.elapsed(), true))
        }
        "save" => {
            // The plan as the coordinator sees it, then a new review date on its version.
            let html = get_text(client, &format!("{base}/courses/{id}/plan")).await?;
            let version = value_after(&html, "name=\"base_version\" value=\"")
                .ok_or("no plan version on the plan page")?;
            // A review date within the next three months (the plan allows half a year), by the
            // real date: the server under test runs on the real clock too.
            #[expect(clippy::disallowed_methods, reason = "a load client, not product code")]
            let today = time::OffsetDateTime::now_utc().date();
            let day = (today + time::Duration::days(30 + (id % 60) as i64)).to_string();
            let start = Instant::now();
            let r = client
                .post(format!("{base}/courses/{id}/plan/review"))
                .form(&[
                    ("base_version", version.as_str()),
                    ("review_date", day.as_str()),
                    ("csrf_token", csrf),
                ])
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let status = r.status().as_u16();
            let _ = r.bytes().await;
            match status {
                303 => Ok((start.elapsed(), true)),
                409 => Ok((start.elapsed(), false)),
                _ => Err(format!("save: HTTP {status}")),
            }
        }
        _ => get(format!("/courses/{id}")).await,
    }
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

/// One session's share of an open-loop run: a request every `concurrency / rate` seconds,
/// each sent on time whether or not the earlier ones were answered.
async fn open_loop(
    client: &reqwest::Client,
    args: &Args,
    ids: &[u64],
    csrf: &str,
    w: usize,
) -> Result<(Vec<Duration>, u64, u64), String> {
    let every = Duration::from_secs_f64(args.concurrency as f64 / args.rate as f64);
    let first = Instant::now() + every.mul_f64(w as f64 / args.concurrency as f64);
    let sends = (args.seconds as f64 / every.as_secs_f64()) as u32;
    let mut pending = Vec::new();
    for k in 0..sends {
        let due = first + every * k;
        tokio::time::sleep_until(due.into()).await;
        let (client, args, csrf) = (client.clone(), args.clone(), csrf.to_owned());
        let id = ids[(w + 7 * k as usize) % ids.len()];
        pending.push(tokio::spawn(async move {
            let answer = request(&client, &args, id, &csrf).await;
            (answer, due.elapsed())
        }));
    }
    let (mut latencies, mut errors, mut refused) = (Vec::new(), 0u64, 0u64);
    for p in pending {
        match p.await.map_err(|e| e.to_string())? {
            (Ok((_, true)), since_due) => latencies.push(since_due),
            (Ok((_, false)), _) => refused += 1,
            (Err(_), _) => errors += 1,
        }
    }
    Ok((latencies, errors, refused))
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let public = args.page == "public";
    let ids = Arc::new(match args.page.as_str() {
        "access-log" | "search" | "courses" | "public" | "get" => vec![0],
        _ => {
            let first = login(&args.base, &args.user, &args.password).await?;
            course_ids(&first, &args.base).await?
        }
    });
    // Every session logs in first; then all start together, so the load is `concurrency` for
    // the whole run.
    let start_line = Arc::new(tokio::sync::Barrier::new(args.concurrency + 1));
    let mut workers = Vec::new();
    for w in 0..args.concurrency {
        let args = args.clone();
        let ids = ids.clone();
        let start_line = start_line.clone();
        workers.push(tokio::spawn(async move {
            let session = async {
                if public {
                    return Ok((reqwest::Client::new(), String::new()));
                }
                let client = login(&args.base, &args.user, &args.password).await?;
                let home = get_text(&client, &format!("{}/account", args.base)).await?;
                let csrf = value_after(&home, "name=\"csrf_token\" value=\"").unwrap_or_default();
                Ok::<_, String>((client, csrf))
            }
            .await;
            start_line.wait().await;
            let (client, csrf) = session?;
            if args.rate > 0 {
                return open_loop(&client, &args, &ids, &csrf, w).await;
            }
            let deadline = Instant::now() + Duration::from_secs(args.seconds);
            let (mut latencies, mut errors, mut refused) = (Vec::new(), 0u64, 0u64);
            let mut i = w;
            while Instant::now() < deadline {
                // Saves keep to one course per session, so sessions do not refuse each other.
                let id = if args.page == "save" {
                    ids[w % ids.len()]
                } else {
                    i += 7;
                    ids[i % ids.len()]
                };
                match request(&client, &args, id, &csrf).await {
                    Ok((took, true)) => latencies.push(took),
                    Ok((_, false)) => refused += 1,
                    Err(e) => {
                        // The first error of each session says what went wrong.
                        if errors == 0 {
                            eprintln!("{e}");
                        }
                        errors += 1;
                    }
                }
            }
            Ok::<_, String>((latencies, errors, refused))
        }));
    }
    start_line.wait().await;
    let started = Instant::now();
    let (mut all, mut errors, mut refused) = (Vec::new(), 0, 0);
    for w in workers {
        let (lat, err, refu) = w.await.map_err(|e| e.to_string())??;
        all.extend(lat);
        errors += err;
        refused += refu;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    println!(
        "page={} concurrency={} rate={} requests={} errors={} refused={} rps={:.0} p50={:.1}ms p90={:.1}ms p99={:.1}ms max={:.1}ms",
        args.page,
        args.concurrency,
        if args.rate > 0 {
            args.rate.to_string()
        } else {
            "closed".to_owned()
        },
        all.len(),
        errors,
        refused,
        all.len() as f64 / elapsed,
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 90.0)),
        ms(percentile(&all, 99.0)),
        ms(all.last().copied().unwrap_or_default()),
    );
    Ok(())
}
