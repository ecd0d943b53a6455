//! Sending Bro's e-mail notices: of approved minutes (to the citizen) and of changes in the
//! offers a member of staff follows (to those who chose it). The copy in Bro is written with
//! what it tells of; the e-mail is sent here, outside any request, so an SMTP outage never
//! blocks the meeting or the change. A failed e-mail stays in the store and is retried with
//! growing pauses until it is sent: none is lost.
//!
//! A minutes notice carries no personal data: it says that new minutes are waiting in Bro. An
//! offer notice names the offer and links to what changed; offers are not personal data.

use crate::state::AppState;
use bro_mail::Mail;
use std::time::Duration;

/// How many notices one round sends at most.
const BATCH: i64 = 50;

/// Asks the worker to look for due deliveries now (after an approval or a manual retry).
pub fn wake(state: &AppState) {
    state.delivery_wake.notify_one();
}

/// Sends every due e-mail once; returns how many were sent.
pub async fn deliver_due(state: &AppState) -> usize {
    deliver_minutes_notices(state).await + deliver_offer_notices(state).await
}

async fn deliver_minutes_notices(state: &AppState) -> usize {
    let now = state.clock.now_ms();
    let due = match state.store.due_deliveries(now, BATCH).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(cause = %e, "cannot read due deliveries");
            return 0;
        }
    };
    let mut sent = 0;
    for d in due {
        let outcome = match (&state.mailer, d.email.as_deref()) {
            (None, _) => Err("e-mail is not configured (smtp)".to_owned()),
            (_, None) => Err("the citizen has no e-mail address".to_owned()),
            (Some(mailer), Some(to)) => {
                let mail = Mail {
                    to: to.to_owned(),
                    subject: state.i18n.get(Default::default(), "mail-minutes-subject"),
                    text: notice_text(state),
                };
                mailer.send(&mail).await.map_err(|e| e.to_string())
            }
        };
        if outcome.is_ok() {
            sent += 1;
        } else {
            tracing::warn!(delivery = d.id, "minutes notice not delivered; will retry");
        }
        if let Err(e) = state
            .store
            .record_delivery_attempt(d.id, state.clock.now_ms(), outcome)
            .await
        {
            tracing::warn!(cause = %e, "cannot record a delivery attempt");
        }
    }
    sent
}

async fn deliver_offer_notices(state: &AppState) -> usize {
    let due = match state
        .store
        .due_notice_mails(state.clock.now_ms(), BATCH)
        .await
    {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(cause = %e, "cannot read due notice e-mails");
            return 0;
        }
    };
    let mut sent = 0;
    for d in due {
        let outcome = match (&state.mailer, d.email.as_deref(), &d.offer) {
            (None, _, _) => Err("e-mail is not configured (smtp)".to_owned()),
            (_, None, _) => Err("the user has no e-mail address".to_owned()),
            (_, _, None) => Err("the notice names no offer".to_owned()),
            (Some(mailer), Some(to), Some((id, name))) => {
                let mail = offer_mail(state, to, *id, name);
                mailer.send(&mail).await.map_err(|e| e.to_string())
            }
        };
        if outcome.is_ok() {
            sent += 1;
        } else {
            tracing::warn!(
                notice = d.id,
                "offer notice e-mail not delivered; will retry"
            );
        }
        if let Err(e) = state
            .store
            .record_notice_mail(d.id, state.clock.now_ms(), outcome)
            .await
        {
            tracing::warn!(cause = %e, "cannot record a notice e-mail attempt");
        }
    }
    sent
}

/// The e-mail of a change in offer `id`, in Danish then English, linking to what changed.
fn offer_mail(state: &AppState, to: &str, id: i64, name: &str) -> Mail {
    let link = format!(
        "{}/tilbud/{id}/versions",
        state.config.public_url.trim_end_matches('/')
    );
    let args = [("offer", name.to_owned()), ("link", link)];
    let text = |lang| state.i18n.get_with(lang, "mail-offer-body", &args);
    let (da, en) = (
        text(bro_domain::Language::Da),
        text(bro_domain::Language::En),
    );
    Mail {
        to: to.to_owned(),
        subject: state
            .i18n
            .get_with(Default::default(), "mail-offer-subject", &args),
        text: format!("{da}\n\n---\n\n{en}\n"),
    }
}

fn notice_text(state: &AppState) -> String {
    let link = format!(
        "{}/me/meetings",
        state.config.public_url.trim_end_matches('/')
    );
    let text = |lang| {
        state
            .i18n
            .get_with(lang, "mail-minutes-body", &[("link", link.clone())])
    };
    let (da, en) = (
        text(bro_domain::Language::Da),
        text(bro_domain::Language::En),
    );
    format!("{da}\n\n---\n\n{en}\n")
}

/// Runs the delivery worker: a round every `period`, or at once when woken.
pub fn spawn_worker(state: AppState, period: Duration) {
    tokio::spawn(async move {
        loop {
            deliver_due(&state).await;
            tokio::select! {
                () = tokio::time::sleep(period) => {}
                () = state.delivery_wake.notified() => {}
            }
        }
    });
}
