//! E-mail notifications over SMTP (lettre, TLS through rustls).
//!
//! Recipient addresses are personal data: no error from this crate contains one, nor the SMTP
//! server's reply text (which often quotes the address), only status codes and I/O causes.

use std::error::Error as _;
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain text: only for a relay on the same host or in tests.
    None,
    /// Plain connect, then STARTTLS, which is required (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    /// The sender, `bro@example.dk` or `Bro <bro@example.dk>`.
    pub from: String,
    /// Upper bound for one `send`, connecting included.
    pub timeout_secs: u64,
}

/// One plain-text message to one recipient.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A sender or recipient address that is not valid. Never contains the address.
    #[error("invalid address: {0}")]
    Address(String),
    /// The mail could not be handed to the SMTP server.
    #[error("sending failed: {0}")]
    Send(String),
}

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    timeout: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").finish_non_exhaustive()
    }
}

impl Mailer {
    pub fn new(cfg: &SmtpConfig) -> Result<Self, MailError> {
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|_| MailError::Address("the sender address is not valid".into()))?;
        let builder = match cfg.security {
            Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
            Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host)
                .map_err(|e| MailError::Send(describe(&e)))?,
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host)
                .map_err(|e| MailError::Send(describe(&e)))?,
        };
        let timeout = Duration::from_secs(cfg.timeout_secs);
        let mut builder = builder.port(cfg.port).timeout(Some(timeout));
        if let Some(username) = &cfg.username {
            let password = cfg
                .password
                .as_ref()
                .map(|p| p.expose_secret().to_owned())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(username.clone(), password));
        }
        Ok(Self {
            transport: builder.build(),
            from,
            timeout,
        })
    }

    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = self.message(mail)?;
        // lettre's timeout applies per step; this bounds the whole exchange.
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(MailError::Send(describe(&e))),
            Err(_) => Err(MailError::Send(format!(
                "timed out after {} s",
                self.timeout.as_secs()
            ))),
        }
    }

    /// The message as it goes on the wire. Date is set by lettre when it is built.
    fn message(&self, mail: &Mail) -> Result<Message, MailError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| MailError::Address("the recipient address is not valid".into()))?;
        // Quoted-printable keeps the message 7-bit clean for any relay while Danish text stays
        // readable in the raw mail.
        let body =
            Body::new_with_encoding(mail.text.clone(), ContentTransferEncoding::QuotedPrintable)
                .map_err(|_| MailError::Send("the body could not be encoded".into()))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(&mail.subject))
            .message_id(Some(message_id(&self.from)))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError::Send(format!("the message could not be built: {e}")))
    }
}

/// A subject is one line: line breaks from user input must not start new headers.
fn one_line(subject: &str) -> String {
    subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `<random@sender-domain>`: unique, and names the sender's domain rather than this host.
fn message_id(from: &Mailbox) -> String {
    format!("<{:032x}@{}>", rand::random::<u128>(), from.email.domain())
}

/// An SMTP error for logs: the kind, status code and I/O cause, never the server's reply text,
/// which often quotes the recipient address.
fn describe(e: &lettre::transport::smtp::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    if let Some(code) = e.status() {
        let kind = if e.is_permanent() {
            "permanent"
        } else {
            "transient"
        };
        return format!("{kind} SMTP error {code}");
    }
    let kind = if e.is_tls() {
        "TLS error"
    } else if e.is_response() {
        "unreadable SMTP response"
    } else if e.is_client() {
        "SMTP client error"
    } else {
        "connection error"
    };
    // I/O and TLS causes (connection refused, certificate invalid) carry no personal data.
    let mut source = e.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return format!("{kind}: {io}");
        }
        if e.is_tls() {
            return format!("{kind}: {cause}");
        }
        source = cause.source();
    }
    kind.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SmtpConfig {
        SmtpConfig {
            host: "127.0.0.1".into(),
            port: 2525,
            security: Security::None,
            username: None,
            password: None,
            from: "Bro <bro@example.dk>".into(),
            timeout_secs: 5,
        }
    }

    fn mail(to: &str) -> Mail {
        Mail {
            to: to.into(),
            subject: "Møde på fredag".into(),
            text: "Hej Søren,\nmødet flyttes til kl. 14 i lokale Æblehaven.\n".into(),
        }
    }

    fn raw(message: &Message) -> String {
        String::from_utf8(message.formatted()).expect("a 7-bit message")
    }

    #[test]
    fn security_reads_lowercase() {
        let all = parse_security(&["none", "starttls", "tls"]).expect("known values");
        assert_eq!(all, [Security::None, Security::StartTls, Security::Tls]);
        assert!(parse_security(&["STARTTLS"]).is_err());
    }

    // serde's value deserializer reads the names as a config file would, without a format crate.
    fn parse_security(names: &[&str]) -> Result<Vec<Security>, serde::de::value::Error> {
        use serde::Deserialize;
        use serde::de::IntoDeserializer;
        names
            .iter()
            .map(|n| Security::deserialize(n.into_deserializer()))
            .collect()
    }

    #[test]
    fn a_bad_sender_is_refused_without_echoing_it() {
        let cfg = SmtpConfig {
            from: "not an address".into(),
            ..config()
        };
        let err = Mailer::new(&cfg).expect_err("invalid sender");
        assert!(matches!(err, MailError::Address(_)));
        assert!(!err.to_string().contains("not an address"));
    }

    #[test]
    fn a_bad_recipient_is_refused_without_echoing_it() {
        let mailer = Mailer::new(&config()).expect("mailer");
        for to in ["soren.hansen", "soren@", "søren hansen@example.dk", ""] {
            let err = mailer.message(&mail(to)).expect_err("invalid recipient");
            assert!(matches!(err, MailError::Address(_)), "{to:?}");
            if !to.is_empty() {
                assert!(!err.to_string().contains(to), "{err}");
            }
        }
    }

    #[test]
    fn valid_recipients_are_accepted() {
        let mailer = Mailer::new(&config()).expect("mailer");
        for to in ["soren@example.dk", "Søren Hansen <soren@example.dk>"] {
            mailer.message(&mail(to)).expect("valid recipient");
        }
    }

    #[test]
    fn the_message_has_headers_and_a_quoted_printable_utf8_body() {
        let mailer = Mailer::new(&config()).expect("mailer");
        let message = mailer.message(&mail("soren@example.dk")).expect("message");
        let raw = raw(&message);
        let (headers, body) = raw.split_once("\r\n\r\n").expect("headers and body");

        assert!(
            headers.contains("From: Bro <bro@example.dk>\r\n"),
            "{headers}"
        );
        assert!(headers.contains("To: soren@example.dk\r\n"), "{headers}");
        assert!(headers.contains("Date: "), "{headers}");
        assert!(headers.contains("Content-Type: text/plain; charset=utf-8\r\n"));
        assert!(headers.contains("Content-Transfer-Encoding: quoted-printable\r\n"));
        let id = headers
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .expect("Message-ID");
        assert!(id.starts_with('<') && id.ends_with("@example.dk>"), "{id}");
        // The subject is RFC 2047 encoded, not raw UTF-8.
        assert!(raw.is_ascii());
        assert!(headers.contains("Subject: =?utf-8?"), "{headers}");

        let decoded = quoted_printable::decode(body, quoted_printable::ParseMode::Robust)
            .expect("quoted-printable");
        assert_eq!(
            String::from_utf8(decoded).expect("UTF-8"),
            "Hej Søren,\r\nmødet flyttes til kl. 14 i lokale Æblehaven.\r\n"
        );
    }

    #[test]
    fn each_message_gets_its_own_id() {
        let mailer = Mailer::new(&config()).expect("mailer");
        let ids: Vec<String> = (0..2)
            .map(|_| {
                let message = mailer.message(&mail("soren@example.dk")).expect("message");
                let raw = raw(&message);
                raw.lines()
                    .find_map(|l| l.strip_prefix("Message-ID: ").map(str::to_owned))
                    .expect("Message-ID")
            })
            .collect();
        assert_ne!(ids[0], ids[1]);
    }

    #[test]
    fn a_subject_cannot_inject_headers() {
        let mailer = Mailer::new(&config()).expect("mailer");
        let message = mailer
            .message(&Mail {
                subject: "Hej\r\nBcc: evil@example.com".into(),
                ..mail("soren@example.dk")
            })
            .expect("message");
        let raw = raw(&message);
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
    }

    #[test]
    fn tls_modes_build_without_a_server() {
        for security in [Security::StartTls, Security::Tls] {
            let cfg = SmtpConfig {
                host: "smtp.example.dk".into(),
                port: 587,
                security,
                username: Some("bro".into()),
                password: Some("hemmelig".into()),
                ..config()
            };
            Mailer::new(&cfg).expect("TLS mailer");
        }
    }
}
