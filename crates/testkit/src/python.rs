//! Python test tools from scripts/ (packages pinned in scripts/requirements-test.txt, installed
//! by scripts/test into a venv named by `BRO_TEST_PYTHON`): a real SMTP server that keeps what
//! Bro sends, and an iCalendar parser that Bro's own code did not write.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::watch;

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts")
}

/// The Python with the test packages: `$BRO_TEST_PYTHON`, else None. Under CI=true a missing
/// one is a panic (a check must not silently vanish); elsewhere the test says loudly on
/// standard error that it is skipped and should return early.
pub fn test_python(test: &str) -> Option<PathBuf> {
    match std::env::var_os("BRO_TEST_PYTHON").filter(|p| !p.is_empty()) {
        Some(python) => {
            let python = PathBuf::from(python);
            assert!(
                python.exists(),
                "BRO_TEST_PYTHON={} does not exist (scripts/test creates it)",
                python.display()
            );
            Some(python)
        }
        None if std::env::var("CI").is_ok_and(|ci| ci == "true") => {
            panic!("CI=true but BRO_TEST_PYTHON is not set: {test} must run in CI")
        }
        None => {
            eprintln!(
                "SKIPPED {test}: BRO_TEST_PYTHON is not set (scripts/test sets it up; or run \
                 python3 -m venv target/py-venv && target/py-venv/bin/pip install -r \
                 scripts/requirements-test.txt)"
            );
            None
        }
    }
}

/// A real SMTP server on 127.0.0.1 (scripts/smtp_sink.py) that keeps every message it gets.
pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    stored: watch::Receiver<usize>,
    // Holds the sink's stdin open: the sink exits when it closes, even if this process dies.
    child: Child,
}

impl SmtpSink {
    /// Starts the sink on `port` (0: a free port) and returns once it listens (at most 20 s).
    pub fn start(python: &Path, port: u16) -> SmtpSink {
        let port = if port == 0 { free_port() } else { port };
        let dir = unique_dir("smtp-sink");
        let mut child = Command::new(python)
            .arg("-u")
            .arg(scripts_dir().join("smtp_sink.py"))
            .arg("--port")
            .arg(port.to_string())
            .arg("--dir")
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("scripts/smtp_sink.py starts");
        let stdout = child.stdout.take().expect("sink stdout");

        // One thread reads the sink's lines: the first "ready", then one "stored" per message.
        let (ready_tx, ready_rx) = mpsc::channel();
        let (stored_tx, stored) = watch::channel(0usize);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line == "ready" {
                    let _ = ready_tx.send(());
                } else if line.starts_with("stored ") {
                    stored_tx.send_modify(|n| *n += 1);
                }
            }
        });

        let sink = SmtpSink {
            port,
            dir,
            stored,
            child,
        };
        if ready_rx.recv_timeout(Duration::from_secs(20)).is_err() {
            // Dropping the sink kills the process and removes the directory.
            drop(sink);
            panic!("scripts/smtp_sink.py did not report ready on port {port} within 20 s");
        }
        sink
    }

    /// The raw messages received so far, in arrival order.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .expect("sink directory")
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|path| {
                let bytes = std::fs::read(path).expect("stored message");
                String::from_utf8_lossy(&bytes).into_owned()
            })
            .collect()
    }

    /// The messages received so far with their quoted-printable text decoded (soft line
    /// breaks joined, `=XX` as bytes, read as UTF-8), so a test can look for a whole link.
    pub fn decoded(&self) -> Vec<String> {
        self.messages()
            .iter()
            .map(|m| quoted_printable(m))
            .collect()
    }

    /// Waits until at least `n` messages arrived, then returns them all; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<String> {
        let mut stored = self.stored.clone();
        let arrived = tokio::time::timeout(timeout, stored.wait_for(|count| *count >= n)).await;
        match arrived {
            Ok(Ok(_)) => self.messages(),
            Ok(Err(_)) => panic!("the SMTP sink exited while waiting for {n} message(s)"),
            Err(_) => panic!(
                "the SMTP sink got {} message(s) within {timeout:?}, expected {n}",
                *self.stored.borrow()
            ),
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Parses iCalendar text with scripts/ical_check.py (the `icalendar` package) and returns the
/// JSON it prints.
pub fn ical_parse(python: &Path, ics: &str) -> serde_json::Value {
    let mut child = Command::new(python)
        .arg(scripts_dir().join("ical_check.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("scripts/ical_check.py starts");
    // A write error means the script stopped reading early; its exit status and stderr below
    // say why.
    let _ = child.stdin.take().expect("stdin").write_all(ics.as_bytes());
    let out = child.wait_with_output().expect("ical_check.py output");
    assert!(
        out.status.success(),
        "ical_check.py rejected the iCalendar text: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("ical_check.py prints JSON")
}

/// Validates `documents` against the HSDS 3.0 schema `schema` (a file name in
/// `crates/hsds/schemas/`) with scripts/hsds_check.py (the `jsonschema` package); returns each
/// error, empty when all are valid.
pub fn hsds_validate(python: &Path, schema: &str, documents: &[serde_json::Value]) -> Vec<String> {
    let schema = scripts_dir().join("../crates/hsds/schemas").join(schema);
    let mut child = Command::new(python)
        .arg(scripts_dir().join("hsds_check.py"))
        .arg(schema)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("scripts/hsds_check.py starts");
    let input = serde_json::Value::Array(documents.to_vec()).to_string();
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes());
    let out = child.wait_with_output().expect("hsds_check.py output");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() || !stdout.is_empty(),
        "hsds_check.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout.lines().map(str::to_owned).collect()
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// A fresh directory under the system's temp dir, unique across processes and calls.
fn unique_dir(what: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("bro-{what}-{}-{n}", std::process::id()));
    // A leftover from a crashed run with the same pid would mix in old messages.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Decodes quoted-printable text; anything that is not an escape stays as it is.
fn quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Bro's settings for sending e-mail to a test sink on `port` (plain SMTP on this machine),
/// with links to `https://bro.example.dk`.
pub fn mailing_to(port: u16) -> bro_web::WebConfig {
    bro_web::WebConfig {
        public_url: "https://bro.example.dk".into(),
        smtp: Some(bro_mail::SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            security: bro_mail::Security::None,
            username: None,
            password: None,
            from: "Bro <bro@example.dk>".into(),
            timeout_secs: 5,
        }),
        ..bro_web::WebConfig::default()
    }
}
