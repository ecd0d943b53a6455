//! Sends real mail to a real SMTP server (scripts/smtp_sink.py) and reads what arrived.

use std::time::{Duration, Instant};

use base64::Engine as _;
use bro_mail::{Mail, MailError, Mailer, Security, SmtpConfig};
use bro_testkit::{SmtpSink, test_python};

fn config(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        username: None,
        password: None,
        from: "Bro <bro@example.dk>".into(),
        timeout_secs: 5,
    }
}

/// Joins a header's folded lines and decodes its RFC 2047 `=?utf-8?b?...?=` words.
fn header(raw: &str, name: &str) -> String {
    let (head, _) = raw.split_once("\r\n\r\n").expect("headers and body");
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let value = unfolded
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .expect("header present");
    value
        .split_whitespace()
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            match lower
                .strip_prefix("=?utf-8?b?")
                .and_then(|w| w.strip_suffix("?="))
            {
                // Base64 is case-sensitive: take the same span from the original word.
                Some(b64) => {
                    let b64 = &word[10..10 + b64.len()];
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .expect("base64 encoded word");
                    String::from_utf8(bytes).expect("UTF-8 encoded word")
                }
                None => format!(" {word} "),
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn body(raw: &str) -> String {
    let (_, body) = raw.split_once("\r\n\r\n").expect("headers and body");
    let bytes = quoted_printable::decode(body, quoted_printable::ParseMode::Robust)
        .expect("quoted-printable body");
    String::from_utf8(bytes).expect("UTF-8 body")
}

#[tokio::test]
async fn a_mail_with_danish_text_arrives_intact() {
    let Some(python) = test_python("a_mail_with_danish_text_arrives_intact") else {
        return;
    };
    let sink = SmtpSink::start(&python, 0);
    let mailer = Mailer::new(&config(sink.port)).expect("mailer");
    let mail = Mail {
        to: "Søren Ærø <soren@example.dk>".into(),
        subject: "Møde på fredag: blåbærgrød i Ålborg".into(),
        text: "Hej Søren,\n\nmødet flyttes til kl. 14 i lokale Æblehaven.\nVenlig hilsen\nBrø\n"
            .into(),
    };
    mailer.send(&mail).await.expect("sent");

    let messages = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 1);
    let raw = &messages[0];
    assert_eq!(header(raw, "Subject"), mail.subject);
    assert!(header(raw, "To").contains("<soren@example.dk>"), "{raw}");
    // lettre ends DATA with "\r\n.\r\n" even after a final line break: one more line at the end.
    assert_eq!(
        body(raw).trim_end(),
        mail.text.replace('\n', "\r\n").trim_end()
    );
}

#[tokio::test]
async fn a_closed_port_is_a_send_error_within_the_timeout() {
    // Nothing listens here: the port was free a moment ago.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let mailer = Mailer::new(&SmtpConfig {
        timeout_secs: 2,
        ..config(port)
    })
    .expect("mailer");
    let started = Instant::now();
    let err = mailer
        .send(&Mail {
            to: "soren@example.dk".into(),
            subject: "Hej".into(),
            text: "Hej".into(),
        })
        .await
        .expect_err("nobody listens");
    assert!(matches!(err, MailError::Send(_)), "{err:?}");
    assert!(!err.to_string().contains("soren"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(4), "{err}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // Accepts connections (the kernel does, from the backlog) but never sends a greeting.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mailer = Mailer::new(&SmtpConfig {
        timeout_secs: 1,
        ..config(port)
    })
    .expect("mailer");
    let started = Instant::now();
    let err = mailer
        .send(&Mail {
            to: "soren@example.dk".into(),
            subject: "Hej".into(),
            text: "Hej".into(),
        })
        .await
        .expect_err("the server never answers");
    assert!(matches!(err, MailError::Send(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{err}");
    drop(listener);
}
