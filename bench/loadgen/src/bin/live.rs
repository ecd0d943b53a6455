//! Load on live minutes: `--viewers` server-sent-event connections follow one Fælles Team case
//! (the citizen's own view, `/cases/{id}/live`) while the meeting leader writes in its template
//! every `--interval-ms`. Each write carries a numbered marker; every viewer notes when the
//! marker arrives. Prints the delivery latency (from the moment the leader's save was sent to
//! the moment a viewer has the event) as p50/p99/max, and how many deliveries arrived.

use bro_loadgen::{get_text, login, ms, percentile, value_after};
use clap::Parser;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

#[derive(Parser, Clone)]
struct Args {
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base: String,
    /// Follows the case: the citizen whose case it is.
    #[arg(long, default_value = "borger")]
    viewer: String,
    /// Writes in the case: the team's meeting leader.
    #[arg(long, default_value = "moedeleder")]
    writer: String,
    #[arg(long, default_value = "bro-demo-2026")]
    password: String,
    /// Concurrent SSE connections.
    #[arg(long, default_value_t = 200)]
    viewers: usize,
    /// Logged-in sessions the viewers are spread over (each connection is its own request).
    #[arg(long, default_value_t = 10)]
    sessions: usize,
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Pause between the leader's saves (a typist's autosave fires about this often).
    #[arg(long, default_value_t = 250)]
    interval_ms: u64,
}

/// When each numbered write was sent, relative to the run's start.
type Sent = Arc<Mutex<Vec<Option<Instant>>>>;

/// The citizen's first upcoming case on /me/meetings.
async fn upcoming_case(client: &reqwest::Client, base: &str) -> Result<u64, String> {
    let html = get_text(client, &format!("{base}/me/meetings")).await?;
    // Upcoming cases are listed before the inbox of approved minutes.
    let id = value_after(&html, "href=\"/me/meetings/")
        .and_then(|v| v.parse().ok())
        .ok_or("the viewer has no upcoming case on /me/meetings")?;
    Ok(id)
}

/// One viewer: reads the stream until `stop`, noting each marker's arrival once.
async fn follow(
    client: reqwest::Client,
    url: String,
    sent: Sent,
    stop: Instant,
) -> Result<(Vec<Duration>, usize), String> {
    let mut r = client.get(&url).send().await.map_err(|e| e.to_string())?;
    if !r.status().is_success() {
        return Err(format!("live stream: HTTP {}", r.status()));
    }
    let (mut latencies, mut events, mut seen) = (Vec::new(), 0, 0usize);
    let mut buffer = String::new();
    loop {
        let wait = stop.saturating_duration_since(Instant::now());
        let chunk = match tokio::time::timeout(wait, r.chunk()).await {
            Err(_) => break, // the run is over
            Ok(Ok(Some(chunk))) => chunk,
            Ok(Ok(None)) => return Err("the server ended the stream".into()),
            Ok(Err(e)) => return Err(e.to_string()),
        };
        let now = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        // Whole events only: an event ends with a blank line.
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if !event.contains("event: case") {
                continue; // keep-alive comment
            }
            events += 1;
            let Some(n) = value_between(&event, "[[m", "]]").and_then(|v| v.parse::<usize>().ok())
            else {
                continue; // the first event: the template as it stood
            };
            // A viewer that fell behind skips to the newest; earlier markers count as missed.
            if n >= seen {
                seen = n + 1;
                let at = sent.lock().unwrap_or_else(PoisonError::into_inner)[n];
                if let Some(at) = at {
                    latencies.push(now.saturating_duration_since(at));
                }
            }
        }
    }
    Ok((latencies, events))
}

fn value_between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let at = text.find(open)? + open.len();
    let len = text[at..].find(close)?;
    Some(&text[at..at + len])
}

/// The leader: saves the citizen's wishes field with a new marker every interval.
async fn write(
    client: reqwest::Client,
    args: Args,
    case: u64,
    sent: Sent,
    stop: Instant,
) -> Result<usize, String> {
    let page = get_text(&client, &format!("{}/cases/{case}", args.base)).await?;
    let form = format!("action=\"/cases/{case}/fields/wishes\"");
    let at = page.find(&form).ok_or("no wishes field on the case page")?;
    let mut version =
        value_after(&page[at..], "name=\"version\" value=\"").ok_or("no field version")?;
    let csrf = value_after(&page, "name=\"csrf_token\" value=\"").ok_or("no CSRF token")?;
    let url = format!("{}/cases/{case}/fields/wishes", args.base);
    let mut n = 0;
    while Instant::now() < stop && n < sent.lock().unwrap_or_else(PoisonError::into_inner).len() {
        let body = format!("Vil gerne i praktik og have egen bolig. [[m{n}]]");
        sent.lock().unwrap_or_else(PoisonError::into_inner)[n] = Some(Instant::now());
        let r = client
            .post(&url)
            .header("hx-request", "true")
            .form(&[
                ("body", body.as_str()),
                ("version", version.as_str()),
                ("csrf_token", csrf.as_str()),
            ])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let fragment = r.text().await.map_err(|e| e.to_string())?;
        if fragment.contains("alert-warning") {
            return Err("someone else saved the field during the run".into());
        }
        version = value_after(&fragment, "name=\"version\" value=\"")
            .ok_or("the save answered without a version")?;
        n += 1;
        tokio::time::sleep(Duration::from_millis(args.interval_ms)).await;
    }
    Ok(n)
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let mut sessions = Vec::new();
    for _ in 0..args.sessions.max(1) {
        sessions.push(login(&args.base, &args.viewer, &args.password).await?);
    }
    let case = upcoming_case(&sessions[0], &args.base).await?;
    let writer = login(&args.base, &args.writer, &args.password).await?;
    let writes = (args.seconds * 1000 / args.interval_ms.max(1)) as usize + 1;
    let sent: Sent = Arc::new(Mutex::new(vec![None; writes]));
    // Viewers connect first; the leader starts once they are all following.
    let connect = Duration::from_secs(5);
    let stop =
        Instant::now() + connect + Duration::from_secs(args.seconds) + Duration::from_secs(2);
    let url = format!("{}/cases/{case}/live", args.base);
    let viewers: Vec<_> = (0..args.viewers)
        .map(|i| {
            let client = sessions[i % sessions.len()].clone();
            tokio::spawn(follow(client, url.clone(), sent.clone(), stop))
        })
        .collect();
    tokio::time::sleep(connect).await;
    let written = write(
        writer,
        args.clone(),
        case,
        sent.clone(),
        stop - Duration::from_secs(2),
    )
    .await?;
    let (mut all, mut errors, mut events) = (Vec::new(), 0usize, 0usize);
    for v in viewers {
        match v.await.map_err(|e| e.to_string())? {
            Ok((latencies, n)) => {
                all.extend(latencies);
                events += n;
            }
            Err(e) => {
                eprintln!("viewer: {e}");
                errors += 1;
            }
        }
    }
    all.sort_unstable();
    let expected = written * args.viewers;
    println!(
        "viewers={} writes={} interval={}ms deliveries={}/{} ({:.1}%) events={} viewer_errors={} p50={:.1}ms p99={:.1}ms max={:.1}ms",
        args.viewers,
        written,
        args.interval_ms,
        all.len(),
        expected,
        100.0 * all.len() as f64 / expected.max(1) as f64,
        events,
        errors,
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 99.0)),
        ms(all.last().copied().unwrap_or_default()),
    );
    Ok(())
}
