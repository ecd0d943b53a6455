//! Delivering approved minutes by e-mail. The inbox copy is written with the approval; the
//! e-mail notice is sent here, outside any request, so an SMTP outage never blocks the
//! meeting. A failed notice stays in the store, is retried with growing pauses and is shown
//! on the case until it is sent: none is lost.
//!
//! The notice carries no personal data: it says that new minutes are waiting in Bro.

use crate::state::AppState;
use bro_mail::Mail;
use std::time::Duration;

/// How many notices one round sends at most.
const BATCH: i64 = 50;

/// Asks the worker to look for due deliveries now (after an approval or a manual retry).
pub fn wake(state: &AppState) {
    state.delivery_wake.notify_one();
}

/// Sends every due notice once; returns how many were sent.
pub async fn deliver_due(state: &AppState) -> usize {
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
